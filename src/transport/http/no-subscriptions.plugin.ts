import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Context } from '../../context';

/**
 * A subscription sent over HTTP is refused with a message saying where it is served. Apollo would otherwise
 * execute it as a query: the subscription's resolver, written for a socket's event stream, has none to read, and the
 * client got an internal error instead of a way forward.
 */
export function noSubscriptionsOverHttpPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError(
            'Subscriptions are served over WebSocket (graphql-transport-ws, the graphql-ws library) at this same /graphql path, not over HTTP.',
            { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
          );
        },
      };
    },
  };
}
