import net from 'node:net';
import path from 'node:path';

/**
 * The only reader of process.env. Every setting is read and validated once,
 * here, so a bad value stops the process at start with a message naming the
 * variable instead of failing later in a request.
 */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type PubSubKind = 'postgres' | 'redis';
export type RateLimitStoreKind = 'memory' | 'redis' | 'postgres';

export interface Config {
  /** PORT: HTTP and WebSocket port. @default 4000 (0 picks a free one, for tests) */
  readonly port: number;
  /** HOST: interface to listen on. @default all interfaces */
  readonly host: string | undefined;
  /** DATABASE_URL: an external PostgreSQL. Unset: an embedded PostgreSQL under DATA_DIR. */
  readonly databaseUrl: string | undefined;
  /** DATA_DIR: where the embedded database (and generated secrets) live. @default .data */
  readonly dataDir: string;
  /** EMBEDDED_PG_PORT: port of the embedded PostgreSQL. @default 0, a free port (never 5432, which another server may hold) */
  readonly embeddedPgPort: number;
  /** DB_POOL_SIZE: connections per instance. @default 10 */
  readonly dbPoolSize: number;
  /** LOG_LEVEL: fatal, error, warn, info, debug, trace or silent. @default info */
  readonly logLevel: LogLevel;
  /** NODE_ENV=production turns off the landing page and field suggestions. */
  readonly production: boolean;
  /** TIME_ZONE: the zone DateTime values are written in. @default Europe/Warsaw, the city's */
  readonly timeZone: string;
  /** CORS_ORIGINS: comma-separated origins allowed to call from a browser, or *. @default * (public data) */
  readonly corsOrigins: readonly string[];
  /** BODY_LIMIT_BYTES: largest accepted HTTP request body. @default 102400 */
  readonly bodyLimitBytes: number;
  /** AUTH_SECRET: HS256 secret for clerk and admin tokens. Unset with the embedded database: generated once under DATA_DIR. */
  readonly authSecret: string | undefined;
  /** PUBSUB: how instances hear of each other's events, postgres (LISTEN/NOTIFY) or redis. @default postgres */
  readonly pubsub: PubSubKind;
  /** REDIS_URL: required with PUBSUB=redis. */
  readonly redisUrl: string | undefined;
  /** AUTH_JWKS_URL: trust RS256/ES256 tokens of an identity provider whose keys are published here. */
  readonly authJwksUrl: string | undefined;
  /** AUTH_ISSUER: the `iss` such tokens must carry (required with AUTH_JWKS_URL). */
  readonly authIssuer: string | undefined;
  /** AUTH_AUDIENCE: the `aud` such tokens must carry (required with AUTH_JWKS_URL). */
  readonly authAudience: string | undefined;
  /** TRUST_PROXY: take the client's address from X-Forwarded-For (behind a load balancer). @default false */
  readonly trustProxy: boolean;
  /**
   * RATE_LIMIT_STORE: where the rate limits count: memory (each instance its own), or redis or postgres, shared,
   * so an address gets HTTP_RATE_LIMIT and WS_SUBSCRIBE_RATE_LIMIT in all, whichever instances it reaches.
   * @default redis with PUBSUB=redis, else memory
   */
  readonly rateLimitStore: RateLimitStoreKind;
  /** RATE_LIMIT_PREFIX: namespace of the shared counters, for deployments sharing one Redis or database. @default obrady */
  readonly rateLimitPrefix: string;
  /** READ_CACHE_BYTES: memory for answers to anonymous queries, reused until the data changes; 0 turns it off. @default 33554432 (32 MiB) */
  readonly readCacheBytes: number;
  readonly limits: Limits;
  readonly metrics: MetricsSettings;
  readonly http: HttpTimeouts;
}

/**
 * How long an HTTP connection may take to send its request, and stay idle
 * between requests. Set explicitly so a client dripping its headers or body a
 * byte at a time (slowloris) cannot hold a connection, and its memory, open.
 * They end at the upgrade: a WebSocket is bounded by its own limits instead.
 */
export interface HttpTimeouts {
  /** HTTP_HEADERS_TIMEOUT_MS: time to receive a request's headers; then 408 and closed. At most HTTP_REQUEST_TIMEOUT_MS. @default 10000 */
  readonly headersTimeoutMs: number;
  /** HTTP_REQUEST_TIMEOUT_MS: time to receive a whole request, body included; then 408 and closed. @default 30000 */
  readonly requestTimeoutMs: number;
  /** HTTP_KEEP_ALIVE_TIMEOUT_MS: how long a kept-alive connection may stay idle between requests. @default 5000 */
  readonly keepAliveTimeoutMs: number;
}

/**
 * Who may read /metrics and what it may hold. It is cheap to scrape only while
 * its label sets are bounded, and it tells a reader about the traffic, so it is
 * served only to the addresses the operator names, at a bounded rate.
 */
export interface MetricsSettings {
  /** METRICS_PORT: serve /metrics on a listener of its own, on this port (same HOST), and not on PORT. @default 0, on PORT */
  readonly port: number;
  /** METRICS_ALLOW: comma-separated addresses and CIDR ranges allowed to scrape; others get 403. @default 127.0.0.0/8,::1 (this machine only) */
  readonly allow: readonly string[];
  /** METRICS_RATE_LIMIT: scrapes per minute per address; more get 429 with Retry-After. @default 600 */
  readonly ratePerMinute: number;
  /** METRICS_MAX_OPERATIONS: distinct operation names given a label of their own (first seen, first kept); the rest count as "other". @default 200 */
  readonly maxOperations: number;
}

/**
 * Limits against abusive traffic. The defaults leave room above the deepest
 * and widest legitimate queries (the README's and the test suite's); see the
 * SECURITY section of the README.
 */
export interface Limits {
  /** MAX_DEPTH: deepest selection. @default 8 */
  readonly maxDepth: number;
  /** MAX_ALIASES: aliases per operation. @default 15 */
  readonly maxAliases: number;
  /** MAX_DIRECTIVES: directives per operation. @default 50 */
  readonly maxDirectives: number;
  /** MAX_TOKENS: lexical tokens per document. @default 2000 */
  readonly maxTokens: number;
  /** MAX_COST: GraphQL Armor's cost of an operation (objects, scalars, depth, page sizes; introspection counted). @default 20000 */
  readonly maxCost: number;
  /** MAX_ROWS: rows an operation may ask for: the product of page sizes along any path. @default 5000 */
  readonly maxRows: number;
  /** MAX_BATCH: operations in one batched HTTP request. @default 5 */
  readonly maxBatch: number;
  /** HTTP_RATE_LIMIT: HTTP requests per minute from one client address. @default 1200 */
  readonly httpRatePerMinute: number;
  /** WS_MAX_PAYLOAD: largest WebSocket message, in bytes. @default 65536 */
  readonly wsMaxPayload: number;
  /** WS_INIT_TIMEOUT_MS: how long a socket may wait before connection_init. @default 3000 */
  readonly wsInitTimeoutMs: number;
  /** WS_MAX_SUBSCRIPTIONS: subscriptions at once on one socket. @default 20 */
  readonly wsMaxSubscriptions: number;
  /** WS_MAX_SOCKETS_PER_ADDRESS: open sockets from one client address (a venue's screens share one). @default 500 */
  readonly wsMaxSocketsPerAddress: number;
  /** WS_SUBSCRIBE_RATE_LIMIT: subscribe messages per minute from one client address. @default 600 */
  readonly wsSubscribeRatePerMinute: number;
  /** WS_MAX_BUFFERED_BYTES: a socket whose unsent data grows past this is a slow consumer and is closed. @default 1048576 */
  readonly wsMaxBufferedBytes: number;
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function postgresUrl(env: Env, name: string): string | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a URL (expected postgres://user:password@host:port/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(name, `must start with postgres:// or postgresql://, got ${url.protocol}//`);
  }
  return raw;
}

function httpUrl(env: Env, name: string): string | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return raw;
  } catch {
    // reported below
  }
  throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
}

function timeZone(env: Env, name: string, fallback: string): string {
  const zone = text(env, name) ?? fallback;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new ConfigError(name, `is not a known IANA time zone, got "${zone}"`);
  }
  return zone;
}

/** Addresses and CIDR ranges, each checked, for an allow-list. */
function addressList(env: Env, name: string, fallback: readonly string[]): readonly string[] {
  const raw = text(env, name);
  if (raw === undefined) return Object.freeze([...fallback]);
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address = '', prefix, ...rest] = entry.split('/');
    const family = net.isIP(address);
    const bits = family === 6 ? 128 : 32;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (family === 0 || !prefixOk || rest.length > 0) {
      throw new ConfigError(name, `must list IP addresses or CIDR ranges (e.g. 10.0.0.0/8), got "${entry}"`);
    }
  }
  return Object.freeze(entries);
}

export function loadConfig(env: Env = process.env): Config {
  const pubsub = oneOf<PubSubKind>(env, 'PUBSUB', ['postgres', 'redis'], 'postgres');
  const redisUrl = text(env, 'REDIS_URL');
  if (pubsub === 'redis' && redisUrl === undefined) {
    throw new ConfigError('REDIS_URL', 'must be set when PUBSUB=redis');
  }
  const authSecret = text(env, 'AUTH_SECRET');
  if (authSecret !== undefined && authSecret.length < 32) {
    throw new ConfigError('AUTH_SECRET', 'must be at least 32 characters long');
  }
  const databaseUrl = postgresUrl(env, 'DATABASE_URL');
  const authJwksUrl = httpUrl(env, 'AUTH_JWKS_URL');
  const authIssuer = text(env, 'AUTH_ISSUER');
  const authAudience = text(env, 'AUTH_AUDIENCE');
  if (authJwksUrl && (!authIssuer || !authAudience)) {
    throw new ConfigError(authIssuer ? 'AUTH_AUDIENCE' : 'AUTH_ISSUER', 'must be set with AUTH_JWKS_URL');
  }
  const rateLimitStore = oneOf<RateLimitStoreKind>(
    env,
    'RATE_LIMIT_STORE',
    ['memory', 'redis', 'postgres'],
    pubsub === 'redis' ? 'redis' : 'memory',
  );
  if (rateLimitStore === 'redis' && redisUrl === undefined) {
    throw new ConfigError('REDIS_URL', 'must be set when RATE_LIMIT_STORE=redis');
  }
  const rateLimitPrefix = text(env, 'RATE_LIMIT_PREFIX') ?? 'obrady';
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(rateLimitPrefix)) {
    throw new ConfigError('RATE_LIMIT_PREFIX', `must be 1-64 letters, digits or _.:-, got "${rateLimitPrefix}"`);
  }
  const port = integer(env, 'PORT', 4000, 0, 65535);
  const metricsPort = integer(env, 'METRICS_PORT', 0, 0, 65535);
  if (metricsPort !== 0 && metricsPort === port) {
    throw new ConfigError('METRICS_PORT', `must differ from PORT (${port}); unset, /metrics is served on PORT`);
  }
  const headersTimeoutMs = integer(env, 'HTTP_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000);
  const requestTimeoutMs = integer(env, 'HTTP_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000);
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(
      'HTTP_HEADERS_TIMEOUT_MS',
      `must not exceed HTTP_REQUEST_TIMEOUT_MS (${requestTimeoutMs}), got ${headersTimeoutMs}`,
    );
  }
  return Object.freeze({
    port,
    host: text(env, 'HOST'),
    databaseUrl,
    dataDir: path.resolve(text(env, 'DATA_DIR') ?? '.data'),
    embeddedPgPort: integer(env, 'EMBEDDED_PG_PORT', 0, 0, 65535),
    dbPoolSize: integer(env, 'DB_POOL_SIZE', 10, 1, 500),
    logLevel: oneOf<LogLevel>(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    production: text(env, 'NODE_ENV') === 'production',
    timeZone: timeZone(env, 'TIME_ZONE', 'Europe/Warsaw'),
    corsOrigins: Object.freeze((text(env, 'CORS_ORIGINS') ?? '*').split(',').map((origin) => origin.trim())),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 100 * 1024, 1024, 100 * 1024 * 1024),
    authSecret,
    pubsub,
    redisUrl,
    authJwksUrl,
    authIssuer,
    authAudience,
    trustProxy: oneOf(env, 'TRUST_PROXY', ['true', 'false'], 'false') === 'true',
    rateLimitStore,
    rateLimitPrefix,
    readCacheBytes: integer(env, 'READ_CACHE_BYTES', 32 * 1024 * 1024, 0, 16 * 1024 * 1024 * 1024),
    limits: Object.freeze({
      maxDepth: integer(env, 'MAX_DEPTH', 8, 1, 100),
      maxAliases: integer(env, 'MAX_ALIASES', 15, 0, 1000),
      maxDirectives: integer(env, 'MAX_DIRECTIVES', 50, 0, 1000),
      maxTokens: integer(env, 'MAX_TOKENS', 2000, 10, 100_000),
      maxCost: integer(env, 'MAX_COST', 20_000, 1, 10_000_000),
      maxRows: integer(env, 'MAX_ROWS', 5000, 1, 10_000_000),
      maxBatch: integer(env, 'MAX_BATCH', 5, 1, 100),
      httpRatePerMinute: integer(env, 'HTTP_RATE_LIMIT', 1200, 1, 10_000_000),
      wsMaxPayload: integer(env, 'WS_MAX_PAYLOAD', 64 * 1024, 1024, 100 * 1024 * 1024),
      wsInitTimeoutMs: integer(env, 'WS_INIT_TIMEOUT_MS', 3000, 100, 600_000),
      wsMaxSubscriptions: integer(env, 'WS_MAX_SUBSCRIPTIONS', 20, 1, 10_000),
      wsMaxSocketsPerAddress: integer(env, 'WS_MAX_SOCKETS_PER_ADDRESS', 500, 1, 1_000_000),
      wsSubscribeRatePerMinute: integer(env, 'WS_SUBSCRIBE_RATE_LIMIT', 600, 1, 10_000_000),
      wsMaxBufferedBytes: integer(env, 'WS_MAX_BUFFERED_BYTES', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    }),
    metrics: Object.freeze({
      port: metricsPort,
      allow: addressList(env, 'METRICS_ALLOW', ['127.0.0.0/8', '::1']),
      ratePerMinute: integer(env, 'METRICS_RATE_LIMIT', 600, 1, 10_000_000),
      maxOperations: integer(env, 'METRICS_MAX_OPERATIONS', 200, 1, 100_000),
    }),
    http: Object.freeze({
      headersTimeoutMs,
      requestTimeoutMs,
      keepAliveTimeoutMs: integer(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 5000, 100, 600_000),
    }),
  });
}
