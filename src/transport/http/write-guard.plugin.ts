import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { refusedWrite } from '../../auth/write-guard';
import type { Context } from '../../context';

/**
 * Runs the write guard once Apollo knows the operation and before it
 * executes, that is before the variables are coerced (a DateTime read, an
 * Int checked) and before any resolver decodes an id. The refusal is
 * answered as the resolvers' own were, with HTTP 200 and no data.
 */
export function writeGuardPlugin(schema: GraphQLSchema): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, contextValue }) {
          const refusal = await refusedWrite(
            schema,
            { document, operationName: request.operationName, variables: request.variables },
            contextValue.caller,
            (type, key) => contextValue.services.writeTargets.bodyOf(type, key),
          );
          if (refusal) {
            refusal.extensions.http = { status: 200 };
            throw refusal;
          }
        },
      };
    },
  };
}
