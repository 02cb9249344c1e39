import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDisableSuggestions } from '@apollo/server/plugin/disableSuggestions';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { GraphQLError } from 'graphql';
import { authSecret } from './auth/secret';
import { cacheablePlugin } from './cache/cacheable.plugin';
import { DataVersion } from './cache/data-version';
import { PublicReadCache } from './cache/public-read-cache';
import { authorizationHeader, TokenVerifier } from './auth/tokens';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import type { Caller } from './auth/caller';
import type { Context } from './context';
import { openDatabase } from './db/database';
import type { Database } from './db/database';
import { apolloHandler } from './transport/http/apollo-handler';
import { formatErrorFor } from './transport/http/format-error';
import { createHttpServer } from './transport/http/http-server';
import { recordRequest, requestLogPlugin } from './transport/http/request-log.plugin';
import { writeGuardPlugin } from './transport/http/write-guard.plugin';
import { createLoaders } from './loaders';
import type { Loaders } from './loaders';
import { createLogger } from './logger';
import type { Logger } from './logger';
import { buildObradySchema } from './schema/build-schema';
import { clientAddress } from './security/client-address';
import { OperationLimits } from './security/operation-limits';
import { openRateLimitStore, RateLimiter } from './security/rate-limiter';
import { Metrics } from './observability/metrics';
import { MetricsEndpoint } from './transport/http/metrics-endpoint';
import { createServices } from './services';
import type { EventBus } from './events/event-bus';
import { PostgresEventBus } from './events/postgres-event-bus';
import { RedisEventBus } from './events/redis-event-bus';
import { SessionFeed } from './events/session-feed';
import { serveWebSocket } from './transport/ws/websocket';

export interface RunningServer {
  /** http://host:port/graphql, for HTTP; the same with ws:// for WebSocket. */
  readonly url: string;
  readonly port: number;
  readonly database: Database;
  readonly log: Logger;
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly log?: Logger;
}

/** One http.Server carries GraphQL over HTTP and over WebSocket, on the same path. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config);
  const database = await openDatabase(config, log);
  const { dataSource } = database;
  try {
    const schema = await buildObradySchema(config.timeZone);
    const verifier = new TokenVerifier(
      authSecret(config),
      config.authJwksUrl
        ? { jwksUrl: config.authJwksUrl, issuer: config.authIssuer!, audience: config.authAudience! }
        : null,
    );
    let feed: SessionFeed | undefined = undefined;
    const onReconnect = (): void => feed?.catchUp();
    const bus: EventBus =
      config.pubsub === 'redis'
        ? new RedisEventBus(config.redisUrl!, log, onReconnect)
        : new PostgresEventBus(database.url, log, onReconnect);
    let sockets = (): number => 0;
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    const rateLimits = await openRateLimitStore(config, pool, log);
    const metrics = new Metrics(
      {
        sockets: () => sockets(),
        subscriptions: () => feed?.subscriberCount ?? 0,
        pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
        sqlStatements: () => database.counter.statements,
      },
      config.metrics.maxOperations,
    );
    const services = createServices(dataSource, bus, config.limits, () => metrics.eventsWritten.inc());
    feed = new SessionFeed(
      dataSource,
      bus,
      log,
      {
        read: (occurredAt, subscribers) => {
          metrics.eventsRead.inc();
          metrics.eventsDelivered.inc(subscribers);
          metrics.deliveryLag.observe(Math.max(0, (Date.now() - occurredAt.getTime()) / 1000));
        },
      },
      config.limits.maxLogBytes,
    );
    await feed.start();
    const liveFeed = feed;
    const contextFor = (caller: Caller | null): Context => {
      // Made when first used: a subscription's context mostly never needs its own (each event brings shared
      // ones), and thousands of idle screens should not each hold a set.
      let loaders: Loaders | undefined;
      return {
        caller,
        get loaders(): Loaders {
          return (loaders ??= createLoaders(dataSource));
        },
        set loaders(value: Loaders) {
          loaders = value;
        },
        services,
        createLoaders: () => createLoaders(dataSource),
        log,
        feed: liveFeed,
        answer: {},
      };
    };

    const httpServer = createHttpServer(config.http);
    const operationLimits = new OperationLimits(config.limits, config.production);
    const ws = serveWebSocket({
      httpServer,
      schema,
      config,
      verifier,
      operationLimits,
      contextFor,
      log,
      rateLimits: rateLimits.store,
      executed: () => metrics.subscriptionExecutions.inc(),
    });
    sockets = ws.sockets;
    const armor = operationLimits.apollo();
    const readCache =
      config.readCacheBytes > 0 ? new PublicReadCache(new DataVersion(dataSource), config.readCacheBytes) : null;

    const apollo = new ApolloServer<Context>({
      schema,
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
            return {
              async drainServer() {
                await ws.dispose();
              },
            };
          },
        },
        writeGuardPlugin(schema),
        requestLogPlugin<Context>(log, metrics),
        cacheablePlugin(),
        config.production
          ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
          : ApolloServerPluginLandingPageLocalDefault({ footer: false }),
        ...(config.production ? [ApolloServerPluginDisableSuggestions()] : []),
        // We set no cache hints; Apollo's cache-control plugin would still wrap every resolver to look for them.
        ApolloServerPluginCacheControlDisabled(),
      ],
    });
    await apollo.start();

    const graphql = apolloHandler(
      apollo,
      async (req) => {
        try {
          return contextFor(await verifier.callerOf(authorizationHeader(req)));
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
        tooManyTokens: (query) => operationLimits.tooManyTokens(query),
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
          }
        : undefined,
    );
    const httpRate = new RateLimiter('http', config.limits.httpRatePerMinute, rateLimits.store);
    const scrape = new MetricsEndpoint(metrics, config.metrics, config.trustProxy);
    // With METRICS_PORT, /metrics has a listener of its own (for a network the API's clients do not reach).
    const metricsServer =
      config.metrics.port === 0
        ? null
        : createHttpServer(config.http, (req, res) => {
            if ((req.url ?? '/').split('?')[0] === '/metrics') return scrape.serve(req, res);
            res.writeHead(404, { 'content-type': 'text/plain' });
            res.end('Not found: metrics are served at /metrics\n');
          });
    httpServer.on('request', (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (applyCors(config, req, res)) return;
      if (path === '/graphql') {
        // Probes are not rate-limited; GraphQL is, per client address (and scrapes, by their own limit).
        httpRate
          .take(clientAddress(req, config.trustProxy))
          .then((verdict) => (verdict.allowed ? graphql(req, res) : tooManyRequests(res, verdict.retryAfterSeconds)))
          .catch((error: unknown) => {
            log.error({ err: error instanceof Error ? error.message : String(error) }, 'request failed');
            if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
            res.end(
              JSON.stringify({
                errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
              }),
            );
          });
        return;
      }
      if (path === '/healthz') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok\n');
        return;
      }
      if (path === '/readyz') {
        void readiness(dataSource, liveFeed).then((problem) => {
          res.writeHead(problem ? 503 : 200, { 'content-type': 'text/plain' });
          res.end(problem ? `not ready: ${problem}\n` : 'ready\n');
        });
        return;
      }
      if (path === '/metrics' && !metricsServer) {
        scrape.serve(req, res);
        return;
      }
      if (path === '/') {
        res.writeHead(302, { location: '/graphql' });
        res.end();
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found: GraphQL is served at /graphql\n');
    });

    await listen(httpServer, config.port, config.host);
    if (metricsServer) {
      await listen(metricsServer, config.metrics.port, config.host).catch((error: unknown) => {
        httpServer.close();
        throw error;
      });
    }
    const { port } = httpServer.address() as AddressInfo;
    const url = `http://${config.host && config.host !== '0.0.0.0' && config.host !== '::' ? config.host : 'localhost'}:${port}/graphql`;
    log.info({ url, embeddedDatabase: database.embedded }, 'Obrady is serving GraphQL');

    let stopping: Promise<void> | undefined;
    return {
      url,
      port,
      database,
      log,
      stop() {
        stopping ??= (async () => {
          await apollo.stop();
          if (metricsServer) await new Promise((resolve) => metricsServer.close(resolve));
          await liveFeed.stop();
          await rateLimits.close();
          await database.close();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

function listen(server: http.Server, port: number, host: string | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

/** 429 for a client address past HTTP_RATE_LIMIT. */
function tooManyRequests(res: http.ServerResponse, retryAfterSeconds: number): void {
  res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfterSeconds) });
  res.end(
    JSON.stringify({
      errors: [
        { message: 'Too many requests from this address; retry shortly.', extensions: { code: 'RATE_LIMITED' } },
      ],
    }),
  );
}

/** Why this instance should not get traffic now, or null when it should. */
async function readiness(dataSource: DataSource, feed: SessionFeed): Promise<string | null> {
  try {
    if (await dataSource.showMigrations()) return 'migrations are pending';
  } catch {
    return 'the database is not reachable';
  }
  return feed.listening ? null : 'the event transport is not listening';
}

/** CORS for browser dashboards; returns true when it answered a preflight. */
function applyCors(config: Config, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const origin = req.headers.origin;
  if (origin && (config.corsOrigins.includes('*') || config.corsOrigins.includes(origin))) {
    res.setHeader('access-control-allow-origin', config.corsOrigins.includes('*') ? '*' : origin);
    res.setHeader('vary', 'origin');
  }
  if (req.method === 'OPTIONS') {
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.setHeader(
      'access-control-allow-headers',
      'content-type, authorization, apollo-require-preflight, x-apollo-operation-name',
    );
    res.setHeader('access-control-max-age', '600');
    res.writeHead(204);
    res.end();
    return true;
  }
  return false;
}
