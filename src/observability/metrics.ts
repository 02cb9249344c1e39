import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Longest operation name given a label of its own; longer ones, and any other characters, count as "other". */
export const MAX_OPERATION_LABEL_LENGTH = 64;
const LABEL_NAME = new RegExp(`^[A-Za-z0-9_]{1,${MAX_OPERATION_LABEL_LENGTH}}$`);
/** ok, or an error code (ours or GraphQL's). */
const OUTCOME = /^(ok|[A-Z][A-Z0-9_]{0,63})$/;

/**
 * The server's metrics, in Prometheus format at GET /metrics. One registry
 * per server (tests run several in one process); `sample` callbacks read
 * the gauges that are states rather than counts when scraped.
 *
 * Every label value comes from a bounded set, because every distinct value is
 * a series held in memory and written at each scrape: an operation name is
 * chosen by the client, so only the first `maxOperations` distinct names of
 * a sane form get a label of their own, and the rest are "other".
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();

  readonly requests = new Counter({
    name: 'obrady_graphql_requests_total',
    help: 'GraphQL operations over HTTP, by operation name and outcome (ok or the first error code).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly requestSeconds = new Histogram({
    name: 'obrady_graphql_request_duration_seconds',
    help: 'Time to answer a GraphQL operation over HTTP.',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly eventsWritten = new Counter({
    name: 'obrady_events_written_total',
    help: 'Session events committed by this instance.',
    registers: [this.registry],
  });

  readonly webhookAttempts = new Counter({
    name: 'obrady_webhook_attempts_total',
    help: 'Webhook delivery attempts made by this instance, by outcome: delivered, retry, failed (schedule used up) or gone (410, endpoint disabled).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly eventsRead = new Counter({
    name: 'obrady_events_published_total',
    help: 'Session events this instance read from the log after a notice, to deliver to its subscribers.',
    registers: [this.registry],
  });

  readonly eventsDelivered = new Counter({
    name: 'obrady_events_delivered_total',
    help: 'Session events handed to subscribers (one per event per subscriber).',
    registers: [this.registry],
  });

  readonly deliveryLag = new Histogram({
    name: 'obrady_event_delivery_lag_seconds',
    help: 'From an event being written to this instance reading it for its subscribers.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly subscriptionExecutions = new Counter({
    name: 'obrady_subscription_executions_total',
    help: 'Subscription selections executed for an event: one per distinct operation, variables and visibility, shared by every subscriber that asked for it.',
    registers: [this.registry],
  });

  readonly readCacheHits = new Counter({
    name: 'obrady_read_cache_hits_total',
    help: 'Anonymous queries answered from the public read cache.',
    registers: [this.registry],
  });

  readonly readCacheComputations = new Counter({
    name: 'obrady_read_cache_computations_total',
    help: 'Anonymous queries the public read cache had no valid answer for, computed (each distinct answer once per change, when concurrent misses wait for one computation).',
    registers: [this.registry],
  });

  readonly readCacheShared = new Counter({
    name: 'obrady_read_cache_shared_total',
    help: 'Anonymous queries that waited for the same answer being computed for another request, and were answered from it.',
    registers: [this.registry],
  });

  readonly plannedReads = new Counter({
    name: 'obrady_planned_reads_total',
    help: 'Anonymous queries offered to a plan (src/plans/): planned (answered by one statement), unplanned (no plan for the document: Apollo answered), declined (a plan whose arguments or values the resolvers must handle).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** Open sockets and live subscriptions, read when scraped; set by watch() once their owners exist. */
  private sockets: () => number = () => 0;
  private subscriptions: () => number = () => 0;

  constructor(
    sample: {
      pool: () => { total: number; idle: number; waiting: number };
      sqlStatements: () => number;
    },
    private readonly maxOperations = 200,
  ) {
    // Arrows keep `this` (the Metrics); each collect's own `this` is its gauge.
    const sockets = (): number => this.sockets();
    const subscriptions = (): number => this.subscriptions();
    collectDefaultMetrics({ register: this.registry, prefix: 'obrady_' });
    let counted = 0;
    new Counter({
      name: 'obrady_sql_statements_total',
      help: 'SQL statements sent to PostgreSQL.',
      registers: [this.registry],
      collect() {
        const now = sample.sqlStatements();
        this.inc(now - counted);
        counted = now;
      },
    });
    new Gauge({
      name: 'obrady_websocket_connections',
      help: 'Open WebSocket connections.',
      registers: [this.registry],
      collect() {
        this.set(sockets());
      },
    });
    new Gauge({
      name: 'obrady_subscriptions_active',
      help: 'Active subscriptions to session events.',
      registers: [this.registry],
      collect() {
        this.set(subscriptions());
      },
    });
    new Gauge({
      name: 'obrady_db_pool_connections',
      help: 'Database pool connections, by state (in_use, idle, waiting clients).',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const pool = sample.pool();
        this.set({ state: 'in_use' }, pool.total - pool.idle);
        this.set({ state: 'idle' }, pool.idle);
        this.set({ state: 'waiting' }, pool.waiting);
      },
    });
  }

  /** Where the socket and subscription gauges read from: the WebSocket server and the feed. */
  watch(sources: { sockets: () => number; subscriptions: () => number }): void {
    this.sockets = sources.sockets;
    this.subscriptions = sources.subscriptions;
  }

  /** Counts one answered GraphQL request over HTTP, under bounded labels. */
  request(operationName: string | null, outcome: string, seconds: number): void {
    const operation = this.operationLabel(operationName);
    this.requests.inc({ operation, outcome: OUTCOME.test(outcome) ? outcome : 'other' });
    this.requestSeconds.observe({ operation }, seconds);
  }

  /** The label of an operation name: itself while there is room and it has a sane form, else "other". */
  operationLabel(operationName: string | null): string {
    if (operationName === null) return 'anonymous';
    if (this.operations.has(operationName)) return operationName;
    if (!LABEL_NAME.test(operationName) || this.operations.size >= this.maxOperations) return 'other';
    this.operations.add(operationName);
    return operationName;
  }
}
