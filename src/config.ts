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
  });
}
