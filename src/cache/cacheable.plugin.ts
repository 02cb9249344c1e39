import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';

/**
 * Marks the requests whose answer may be kept, with their operation's name: a
 * query (never a mutation) answered in full, without a single error.
 */
export function cacheablePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operation, operationName, errors, response }) {
          if (operation?.operation !== 'query' || (errors?.length ?? 0) > 0) return;
          if (response.body.kind !== 'single' || (response.body.singleResult.errors?.length ?? 0) > 0) return;
          contextValue.answer.cacheableAs = operationName ?? null;
        },
      };
    },
  };
}
