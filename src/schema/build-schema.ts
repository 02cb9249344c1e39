import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { resolvers } from '../resolvers';
import { guardMutationText } from '../validation/mutation-input';
import { createDateTimeScalar } from './scalars';

/** The served schema. The time zone only changes how DateTime values are written, never the schema's shape. */
export async function buildObradySchema(timeZone = 'Europe/Warsaw'): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    scalarsMap: [{ type: Date, scalar: createDateTimeScalar(timeZone) }],
    validate: false,
    // Every subscription brings its own subscribe function (src/subscriptions); type-graphql still asks for a PubSub.
    pubSub: {
      publish: () => {
        throw new Error('Obrady publishes through src/subscriptions, not type-graphql');
      },
      subscribe: () => {
        throw new Error('Obrady subscribes through src/subscriptions, not type-graphql');
      },
    },
    emitSchemaFile: false,
  });
  return guardMutationText(schema);
}
