import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { resolvers } from '../resolvers';
import { createDateTimeScalar } from './scalars';

/** The served schema. The time zone only changes how DateTime values are written, never the schema's shape. */
export function buildObradySchema(timeZone = 'Europe/Warsaw'): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    scalarsMap: [{ type: Date, scalar: createDateTimeScalar(timeZone) }],
    validate: false,
    emitSchemaFile: false,
  });
}
