import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { PlannedReads } from '../../plans/planned-reads';

/**
 * Hands every document Apollo has parsed and validated to the planned reads
 * (src/plans/), which plan it once: the next anonymous request of the same
 * text is answered by its plan, having passed the same checks.
 */
export function planLearningPlugin<T extends BaseContext>(planned: PlannedReads): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          if (typeof request.query === 'string') planned.learn(request.query, request.operationName, document);
        },
      };
    },
  };
}
