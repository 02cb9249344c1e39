import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { App } from '../../app';
import { authorizationHeader } from '../../auth/tokens';
import type { Config } from '../../config';
import type { Context } from '../../context';
import type { Logger } from '../../logger';
import type { OperationLimits } from '../../security/operation-limits';
import { apolloHandler } from './apollo-handler';
import { recordRequest } from './request-log.plugin';

/** POST/GET /graphql: the caller from the token, the read cache, and Apollo. */
export function graphqlEndpoint(deps: {
  readonly app: App;
  readonly apollo: ApolloServer<Context>;
  readonly config: Config;
  readonly log: Logger;
  readonly operationLimits: OperationLimits;
}) {
  const { app, config, log } = deps;
  const { metrics, readCache } = app;
  return apolloHandler(
    deps.apollo,
    async (req) => {
      try {
        return app.contextFor(await app.verifier.callerOf(authorizationHeader(req)));
      } catch (error) {
        // A token that does not verify answers 401, before anything runs (and before the request
        // log plugin sees the request, so it is logged and counted here).
        if (error instanceof GraphQLError) {
          const codes = [String(error.extensions.code)];
          log.info({ requestId: randomUUID(), operation: null, ms: 0, outcome: 'error', codes }, 'graphql request');
          metrics.requests.inc({ operation: 'anonymous', outcome: codes[0] });
          throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 401 } } });
        }
        throw error;
      }
    },
    {
      bodyLimitBytes: config.bodyLimitBytes,
      maxBatch: config.limits.maxBatch,
      tooManyTokens: (query) => deps.operationLimits.tooManyTokens(query),
    },
    readCache
      ? {
          cache: readCache,
          cacheableAs: (context) => context.answer.cacheableAs,
          answered(answer, res, ms) {
            const requestId = randomUUID();
            res.setHeader('x-request-id', requestId);
            metrics.readCacheHits.inc();
            recordRequest(log, metrics, {
              requestId,
              operationName: answer.operationName,
              seconds: ms / 1000,
              codes: [],
              cached: true,
            });
          },
          computed: () => metrics.readCacheComputations.inc(),
          shared: () => metrics.readCacheShared.inc(),
        }
      : undefined,
    app.planned
      ? {
          knows: (request) => app.planned!.knows(request.query, request.operationName),
          answer: (request, scope, basis) =>
            app.planned!.answer(request.query, request.operationName, request.variables, scope, basis),
          answered(operationName, res, ms) {
            const requestId = randomUUID();
            res.setHeader('x-request-id', requestId);
            recordRequest(log, metrics, { requestId, operationName, seconds: ms / 1000, codes: [] });
          },
        }
      : undefined,
  );
}
