import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Logger } from '../logger';
import type { Metrics } from '../observability/metrics';

/**
 * One log line per GraphQL request: id, operation, duration, outcome. Never
 * the variables or headers, which may carry personal data or tokens.
 */
export function requestLogPlugin<T extends BaseContext>(log: Logger, metrics?: Metrics): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      const requestId = randomUUID();
      return {
        async willSendResponse({ response, operationName, errors }) {
          response.http.headers.set('x-request-id', requestId);
          const codes = (errors ?? []).map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const operation = operationName ?? 'anonymous';
          metrics?.requests.inc({ operation, outcome: codes[0] ?? 'ok' });
          metrics?.requestSeconds.observe({ operation }, seconds);
          log.info(
            {
              requestId,
              operation: operationName ?? null,
              ms: seconds * 1000,
              outcome: codes.length === 0 ? 'ok' : 'error',
              ...(codes.length > 0 ? { codes: [...new Set(codes)] } : {}),
            },
            'graphql request',
          );
        },
      };
    },
  };
}
