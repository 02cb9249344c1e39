import type { GraphQLSchema } from 'graphql';
import pg from 'pg';
import type { Pool } from 'pg';
import type { Caller } from './auth/caller';
import { authSecret } from './auth/secret';
import { TokenVerifier } from './auth/tokens';
import { VersionReader } from './cache/versions';
import { PublicReadCache } from './cache/public-read-cache';
import type { Config } from './config';
import type { Context } from './context';
import type { Database } from './db/database';
import type { SessionEventKind } from './entities/session-event.entity';
import type { EventBus } from './events/event-bus';
import { PostgresEventBus } from './events/postgres-event-bus';
import { RedisEventBus } from './events/redis-event-bus';
import { SessionFeed } from './events/session-feed';
import { createLoaders } from './loaders';
import type { Loaders } from './loaders';
import type { Logger } from './logger';
import { Metrics } from './observability/metrics';
import { PlannedReads } from './plans/planned-reads';
import { buildObradySchema } from './schema/build-schema';
import { ZonedDateTimeFormat } from './schema/scalars';
import { openRateLimitStore } from './security/rate-limiter';
import { createServices } from './services';
import { ExportFilesService } from './services/export-files.service';
import type { Services } from './services';
import { WebhookDispatcher } from './services/webhook-dispatcher.service';
import { WEBHOOK_EVENT_TYPE_OF } from './services/webhook-payload.rules';

/** Everything both transports serve from, made once per instance. */
export interface App {
  readonly schema: GraphQLSchema;
  readonly services: Services;
  readonly feed: SessionFeed;
  readonly metrics: Metrics;
  readonly verifier: TokenVerifier;
  readonly rateLimits: Awaited<ReturnType<typeof openRateLimitStore>>;
  /** Answers to anonymous queries, kept while the data version holds; null with READ_CACHE_BYTES=0. */
  readonly readCache: PublicReadCache | null;
  /** Anonymous queries answered by one planned statement (src/plans/); null with PLANNED_READS=off. */
  readonly planned: PlannedReads | null;
  /** The bulk exports under /export/, built on demand per data version. */
  readonly exports: ExportFilesService;
  /** The context of one HTTP request or one subscription. */
  contextFor(caller: Caller | null): Context;
  /** Why this instance should not get traffic now, or null when it should. */
  readiness(): Promise<string | null>;
  /** Stops the webhook dispatcher, the feed and the shared rate-limit store, removes the export files (the database is the caller's). */
  stop(): Promise<void>;
}

/** The parts of the application, on an open database: schema, tokens, events, services, metrics, contexts. */
export async function createApp(config: Config, database: Database, log: Logger): Promise<App> {
  const { dataSource } = database;
  const schema = await buildObradySchema(config.timeZone);
  const verifier = new TokenVerifier(
    authSecret(config),
    config.authJwksUrl
      ? { jwksUrl: config.authJwksUrl, issuer: config.authIssuer!, audience: config.authAudience! }
      : null,
  );
  const bus: EventBus =
    config.pubsub === 'redis' ? new RedisEventBus(config.redisUrl!, log) : new PostgresEventBus(database.url, log);
  // TypeORM does not expose its pg pool; the metrics read its counts.
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  const rateLimits = await openRateLimitStore(config, pool, log);
  const metrics = new Metrics(
    {
      pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      sqlStatements: () => database.counter.statements,
    },
    config.metrics.maxOperations,
  );
  // Sends the webhook outbox; on its own two connections, so its polling is no request's cost (see the dispatcher).
  const webhooks = new WebhookDispatcher(
    new pg.Pool({
      connectionString: database.url,
      max: 2,
      application_name: 'obrady-webhooks',
      // A database that does not answer fails a poll in 5 s rather than holding it (and a shutdown) for minutes.
      connectionTimeoutMillis: 5000,
    }),
    config.webhooks,
    log,
    { attempted: (outcome) => metrics.webhookAttempts.inc({ outcome }) },
  );
  const services = createServices(
    dataSource,
    bus,
    config.limits,
    (notice) => {
      metrics.eventsWritten.inc();
      // A change made here may have put deliveries in the outbox: send them now rather than at the next poll. Only
      // a kind some webhook type carries can have (the outbox trigger's rule): an attendance or a ballot would cost
      // a claim statement for nothing, on every write of a meeting.
      if (WEBHOOK_EVENT_TYPE_OF[notice.k as SessionEventKind] != null) webhooks.kick();
    },
    config.timeZone,
    config.webhooks.allowPrivate,
    database.searchStemming,
  );
  const feed = new SessionFeed(
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
  webhooks.start();
  const readCache =
    config.readCacheBytes > 0 ? new PublicReadCache(new VersionReader(dataSource), config.readCacheBytes) : null;
  const planned = config.plannedReads
    ? new PlannedReads(schema, dataSource, pool, {
        statement: () => database.counter.countPlanned(),
        outcome: (outcome) => metrics.plannedReads.inc({ outcome }),
        failed: (why) => log.error({ why }, 'planned reads: left to Apollo'),
      })
    : null;
  const exports = new ExportFilesService(dataSource, services.attendanceStats, {
    root: config.exportDir,
    license: config.exportLicense ?? null,
    // Exports are built once for every request, so their links cannot follow a request's Host.
    style: {
      publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
      dates: new ZonedDateTimeFormat(config.timeZone),
    },
  });

  return {
    schema,
    services,
    feed,
    metrics,
    verifier,
    rateLimits,
    readCache,
    planned,
    exports,
    contextFor(caller) {
      return new RequestContext(caller, services, () => createLoaders(dataSource), log, feed);
    },
    async readiness() {
      try {
        if (await dataSource.showMigrations()) return 'migrations are pending';
      } catch {
        return 'the database is not reachable';
      }
      return feed.listening ? null : 'the event transport is not listening';
    },
    async stop() {
      await webhooks.stop();
      await feed.stop();
      await rateLimits.close();
      await exports.stop();
    },
  };
}

/**
 * What a request or subscription is handed. Its loaders are made when first read: a subscription's context
 * mostly never needs its own (each event brings shared ones), and thousands of idle screens should not each hold
 * a set. The getter is the prototype's, so the shallow copy Apollo makes of a request's context (Object.assign)
 * does not call it: as an own getter it did, and every request, a mutation's too, made a set of loaders.
 */
class RequestContext implements Context {
  readonly answer: Context['answer'] = {};
  private made: Loaders | undefined;

  constructor(
    readonly caller: Caller | null,
    readonly services: Services,
    readonly createLoaders: () => Loaders,
    readonly log: Logger,
    readonly feed: SessionFeed,
  ) {}

  get loaders(): Loaders {
    return (this.made ??= this.createLoaders());
  }

  set loaders(value: Loaders) {
    this.made = value;
  }
}
