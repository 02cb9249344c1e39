import 'reflect-metadata';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import type { Config } from './config';
import { openDatabase } from './db/database';
import type { Database } from './db/database';
import { createLogger } from './logger';
import type { Logger } from './logger';
import { OperationLimits } from './security/operation-limits';
import { RateLimiter } from './security/rate-limiter';
import { startApollo } from './transport/http/apollo-server';
import { feedsRoute } from './transport/http/feeds.route';
import { graphqlEndpoint } from './transport/http/graphql-endpoint';
import { exportRoute } from './transport/http/export-route';
import { createHttpServer } from './transport/http/http-server';
import { MetricsEndpoint } from './transport/http/metrics-endpoint';
import { PageRoutes } from './transport/http/pages/pages.router';
import { httpRouter, metricsOnlyRouter } from './transport/http/router';
import { screenRoutes } from './transport/http/screen.routes';
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

/**
 * The composition root: one http.Server carries GraphQL over HTTP and over
 * WebSocket, on the same path, over the application's parts (app.ts). It
 * only wires parts made elsewhere, and stops them in order: HTTP and
 * WebSocket drain first, then the feed and the rate-limit store, the
 * database last.
 */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config);
  const database = await openDatabase(config, log);
  try {
    const app = await createApp(config, database, log);
    const operationLimits = new OperationLimits(config.limits, config.production);
    const httpServer = createHttpServer(config.http);
    const ws = serveWebSocket({
      httpServer,
      schema: app.schema,
      config,
      verifier: app.verifier,
      operationLimits,
      contextFor: (caller) => app.contextFor(caller),
      log,
      rateLimits: app.rateLimits.store,
      executed: () => app.metrics.subscriptionExecutions.inc(),
    });
    app.metrics.watch({ sockets: ws.sockets, subscriptions: () => app.feed.subscriberCount });
    const apollo = await startApollo({ app, config, log, httpServer, operationLimits, drain: ws.dispose });
    const scrape = new MetricsEndpoint(app.metrics, config.metrics, config.trustProxy);
    // With METRICS_PORT, /metrics has a listener of its own (for a network the API's clients do not reach).
    const metricsServer = config.metrics.port === 0 ? null : createHttpServer(config.http, metricsOnlyRouter(scrape));
    const httpRate = new RateLimiter('http', config.limits.httpRatePerMinute, app.rateLimits.store);
    httpServer.on(
      'request',
      httpRouter({
        config,
        log,
        graphql: graphqlEndpoint({ app, apollo, config, log, operationLimits }),
        feeds: feedsRoute({ config, published: app.services.publishedSessions }),
        pages: new PageRoutes({ config, services: app.services, schema: app.schema }),
        httpRate,
        exports: exportRoute(app.exports, log),
        metrics: metricsServer ? null : scrape,
        readiness: () => app.readiness(),
        screen: screenRoutes({ config, log, services: app.services, httpRate }),
      }),
    );

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
          await app.stop();
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
