import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Logger } from '../../logger';
import type { Metrics } from '../../observability/metrics';

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
          recordRequest(log, metrics, {
            requestId,
            operationName: operationName ?? null,
            seconds: Number(process.hrtime.bigint() - started) / 1e9,
            codes,
          });
        },
      };
    },
  };
}

/** Longest operation name written whole to a log line: a client chooses it, up to the body limit. */
const MAX_LOGGED_NAME = 64;

/** The name, or its first characters and a marker saying how many were left out. */
function cut(name: string): string {
  return name.length <= MAX_LOGGED_NAME
    ? name
    : `${name.slice(0, MAX_LOGGED_NAME)}…[+${name.length - MAX_LOGGED_NAME} characters]`;
}

/** The log line and the metrics of one answered request, however it was answered. */
export function recordRequest(
  log: Logger,
  metrics: Metrics | undefined,
  request: { requestId: string; operationName: string | null; seconds: number; codes: string[]; cached?: boolean },
): void {
  const { requestId, operationName, seconds, codes } = request;
  metrics?.request(operationName, codes[0] ?? 'ok', seconds);
  log.info(
    {
      requestId,
      operation: operationName === null ? null : cut(operationName),
      ms: seconds * 1000,
      outcome: codes.length === 0 ? 'ok' : 'error',
      ...(codes.length > 0 ? { codes: [...new Set(codes)] } : {}),
      ...(request.cached ? { cached: true } : {}),
    },
    'graphql request',
  );
}
