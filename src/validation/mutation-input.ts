import { defaultFieldResolver } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { BadUserInputError } from '../errors';
import { textProblem } from './text';

/**
 * Applies the text rules to every string argument of every mutation, before
 * its resolver runs: a new mutation is covered without doing anything, and
 * a service that forgets a field cannot store what PostgreSQL or a screen
 * would choke on. Per-field lengths, trimming and emptiness stay with the
 * services (requiredText, optionalText); this is the floor under them.
 * Only mutations are wrapped: reads carry their own checks, and wrapping
 * every field would cost every query.
 */
export function guardMutationText(schema: GraphQLSchema): GraphQLSchema {
  const mutation = schema.getMutationType();
  for (const field of Object.values(mutation?.getFields() ?? {})) {
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args: Record<string, unknown>, context, info) => {
      for (const [name, value] of Object.entries(args)) assertTextIn(value, name);
      return resolve(source, args, context, info);
    };
  }
  return schema;
}

/** Walks an argument's value (coerced: plain objects, lists, scalars) and checks each string in it. */
export function assertTextIn(value: unknown, path: string): void {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    if (problem) throw new BadUserInputError(path, `${path} ${problem}`);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => assertTextIn(item, `${path}[${index}]`));
  } else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [name, item] of Object.entries(value)) assertTextIn(item, `${path}.${name}`);
  }
}
