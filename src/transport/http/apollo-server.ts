import type http from 'node:http';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDisableSuggestions } from '@apollo/server/plugin/disableSuggestions';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { App } from '../../app';
import { cacheablePlugin } from '../../cache/cacheable.plugin';
import type { Config } from '../../config';
import type { Context } from '../../context';
import type { Logger } from '../../logger';
import type { OperationLimits } from '../../security/operation-limits';
import { formatErrorFor } from './format-error';
import { noSubscriptionsOverHttpPlugin } from './no-subscriptions.plugin';
import { planLearningPlugin } from './plan-learning.plugin';
import { requestLogPlugin } from './request-log.plugin';
import { writeGuardPlugin } from './write-guard.plugin';

/**
 * Apollo Server for GraphQL over HTTP, started. Stopping it drains the HTTP
 * server and then `drain` (the WebSocket server), so in-flight requests and
 * subscriptions end before the database closes.
 */
export async function startApollo(deps: {
  readonly app: App;
  readonly config: Config;
  readonly log: Logger;
  readonly httpServer: http.Server;
  readonly operationLimits: OperationLimits;
  readonly drain: () => Promise<void>;
}): Promise<ApolloServer<Context>> {
  const { app, config, log, httpServer, drain } = deps;
  const armor = deps.operationLimits.apollo();
  const apollo = new ApolloServer<Context>({
    schema: app.schema,
    introspection: true,
    csrfPrevention: true,
    // main.ts owns the signals: the database must stop after the server, not beside it.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError: formatErrorFor(log),
    // Batches are allowed, up to MAX_BATCH operations (checked as the body is read).
    allowBatchedHttpRequests: true,
    validationRules: armor.validationRules,
    plugins: [
      ...armor.plugins,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        async serverWillStart() {
          return { drainServer: drain };
        },
      },
      noSubscriptionsOverHttpPlugin(),
      writeGuardPlugin(app.schema),
      requestLogPlugin<Context>(log, app.metrics),
      cacheablePlugin(),
      ...(app.planned ? [planLearningPlugin<Context>(app.planned)] : []),
      // Apollo's landing page loads its explorer from Apollo's servers; a browser gets ours (pages/) instead.
      ApolloServerPluginLandingPageDisabled(),
      ...(config.production ? [ApolloServerPluginDisableSuggestions()] : []),
      // We set no cache hints; Apollo's cache-control plugin would still wrap every resolver to look for them.
      ApolloServerPluginCacheControlDisabled(),
    ],
  });
  await apollo.start();
  return apollo;
}
