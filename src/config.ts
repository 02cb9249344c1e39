import path from 'node:path';

/**
 * The only reader of process.env. Every setting is read and validated once,
 * here, so a bad value stops the process at start with a message naming the
 * variable instead of failing later in a request.
 */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type PubSubKind = 'postgres' | 'redis';

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
  /** READ_CACHE_BYTES: memory for answers to anonymous queries, reused until the data changes; 0 turns it off. @default 33554432 (32 MiB) */
  readonly readCacheBytes: number;
  readonly limits: Limits;
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
  /**
   * EVENT_MAX_BYTES: largest payload one change may record in the event log (the changed row and the agenda's
   * order, as JSON). A change that would record more is refused with CONFLICT. @default 65536
   */
  readonly eventMaxBytes: number;
  /** SESSION_LOG_MAX_BYTES: payload bytes one session's event log may hold; a change past it is refused with CONFLICT. @default 33554432 */
  readonly sessionLogMaxBytes: number;
  /**
   * MAX_LOG_BYTES: bytes one operation may pull from the event log: `events(first:)` estimated at validation
   * (first × EVENT_MAX_BYTES when a payload field is selected), a `sessionEvents` replay measured before it starts.
   * @default 16777216
   */
  readonly maxLogBytes: number;
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
  const eventMaxBytes = integer(env, 'EVENT_MAX_BYTES', 64 * 1024, 4 * 1024, 16 * 1024 * 1024);
  const sessionLogMaxBytes = integer(env, 'SESSION_LOG_MAX_BYTES', 32 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024);
  if (sessionLogMaxBytes < eventMaxBytes) {
    throw new ConfigError(
      'SESSION_LOG_MAX_BYTES',
      `must be at least EVENT_MAX_BYTES (${eventMaxBytes}), got ${sessionLogMaxBytes}`,
    );
  }
  return Object.freeze({
    port: integer(env, 'PORT', 4000, 0, 65535),
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
      eventMaxBytes,
      sessionLogMaxBytes,
      maxLogBytes: integer(env, 'MAX_LOG_BYTES', 16 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
    }),
  });
}
