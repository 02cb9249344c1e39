import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * The only reader of process.env. Every setting is declared once, in the
 * tables below (variable, type, default, range, meaning): `Config` and its
 * validation come from them, and so do the README's configuration tables
 * (src/config-readme.ts writes them; `npm run check` fails when they
 * differ). A bad value stops the process at start with a message naming the
 * variable, instead of failing later in a request.
 */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type PubSubKind = 'postgres' | 'redis';
export type RateLimitStoreKind = 'memory' | 'redis' | 'postgres';

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** One setting: how it is read, and what the README says of it. */
export interface Setting<T> {
  readonly variable: string;
  /** The default as the README shows it. */
  readonly shown: string;
  readonly meaning: string;
  read(raw: string | undefined): T;
}

const code = (value: unknown): string => `\`${String(value)}\``;

function integer(
  variable: string,
  fallback: number,
  [min, max]: readonly [number, number],
  meaning: string,
  shown = code(fallback),
): Setting<number> {
  return {
    variable,
    shown,
    meaning,
    read(raw) {
      if (raw === undefined) return fallback;
      if (!/^\d+$/.test(raw)) throw new ConfigError(variable, `must be a whole number, got "${raw}"`);
      const value = Number(raw);
      if (value < min || value > max) {
        throw new ConfigError(variable, `must be between ${min} and ${max}, got ${value}`);
      }
      return value;
    },
  };
}

function oneOf<T extends string>(variable: string, allowed: readonly T[], fallback: T, meaning: string): Setting<T> {
  return {
    variable,
    shown: code(fallback),
    meaning,
    read(raw) {
      if (raw === undefined) return fallback;
      if (!(allowed as readonly string[]).includes(raw)) {
        throw new ConfigError(variable, `must be one of ${allowed.join(', ')}, got "${raw}"`);
      }
      return raw as T;
    },
  };
}

function flag(variable: string, meaning: string): Setting<boolean> {
  const choice = oneOf(variable, ['true', 'false'], 'false', meaning);
  return { ...choice, read: (raw) => choice.read(raw) === 'true' };
}

function text(variable: string, meaning: string, shown = 'unset'): Setting<string | undefined> {
  return { variable, shown, meaning, read: (raw) => raw };
}

function checkedText(
  variable: string,
  meaning: string,
  check: (raw: string) => string | null,
  shown = 'unset',
): Setting<string | undefined> {
  // Unset stays unset (undefined): a setting with a default reads it itself.
  return {
    variable,
    shown,
    meaning,
    read(raw) {
      const problem = raw === undefined ? null : check(raw);
      if (problem) throw new ConfigError(variable, problem);
      return raw;
    },
  };
}

function postgresUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL (expected postgres://user:password@host:port/database)';
  }
  return url.protocol === 'postgres:' || url.protocol === 'postgresql:'
    ? null
    : `must start with postgres:// or postgresql://, got ${url.protocol}//`;
}

function httpUrl(raw: string): string | null {
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return null;
  } catch {
    // reported below
  }
  return `must be an http(s) URL, got "${raw}"`;
}

/** An http(s) base URL, kept without a trailing slash: links are written as base + path. */
function baseUrl(variable: string, meaning: string): Setting<string | undefined> {
  const setting = checkedText(variable, meaning, httpUrl, 'from the request');
  return { ...setting, read: (raw) => setting.read(raw)?.replace(/\/+$/, '') };
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** Where it runs and what it talks to. */
export const SETTINGS = {
  port: integer('PORT', 4000, [0, 65535], 'HTTP and WebSocket port (`0` picks a free one).'),
  host: text('HOST', 'Interface to listen on.', 'all interfaces'),
  databaseUrl: checkedText(
    'DATABASE_URL',
    '`postgres://user:password@host:port/db`. Unset: the embedded PostgreSQL.',
    postgresUrl,
  ),
  dataDir: {
    ...text('DATA_DIR', 'Folder of the embedded database (`pg/`) and of the generated token secret.', code('.data')),
    read: (raw: string | undefined) => path.resolve(raw ?? '.data'),
  } satisfies Setting<string>,
  embeddedPgPort: integer(
    'EMBEDDED_PG_PORT',
    0,
    [0, 65535],
    'Port of the embedded PostgreSQL (never 5432 by default, which another server may hold).',
    '`0` (a free port)',
  ),
  dbPoolSize: integer('DB_POOL_SIZE', 10, [1, 500], 'Database connections per instance.'),
  dbPoolLazy: flag(
    'DB_POOL_LAZY',
    // About 0.4 s of CPU a connection (PostgreSQL keeps a dictionary per connection, never shared); `false` keeps them open.
    '`true`: connections open when needed, each loading the Polish dictionary on first use; `false`: all at start.',
  ),
  searchStemming: oneOf<'auto' | 'off'>(
    'SEARCH_STEMMING',
    ['auto', 'off'],
    'auto',
    '`auto`: match Polish word forms if the database has the dictionary (docs/operations.md); `off`: words as typed.',
  ),
  logLevel: oneOf<LogLevel>(
    'LOG_LEVEL',
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    'info',
    '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`. Logs are JSON lines (pino).',
  ),
  production: {
    ...text('NODE_ENV', '`production` hides field suggestions.'),
    read: (raw: string | undefined) => raw === 'production',
  } satisfies Setting<boolean>,
  timeZone: {
    ...text(
      'TIME_ZONE',
      "Zone in which `DateTime` values are written (always with their offset); the city's.",
      code('Europe/Warsaw'),
    ),
    read(raw: string | undefined): string {
      const zone = raw ?? 'Europe/Warsaw';
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
      } catch {
        throw new ConfigError('TIME_ZONE', `is not a known IANA time zone, got "${zone}"`);
      }
      return zone;
    },
  } satisfies Setting<string>,
  corsOrigins: {
    ...text('CORS_ORIGINS', 'Comma-separated origins allowed to call from a browser, or `*` (public data).', code('*')),
    read: (raw: string | undefined): readonly string[] =>
      Object.freeze((raw ?? '*').split(',').map((origin) => origin.trim())),
  } satisfies Setting<readonly string[]>,
  bodyLimitBytes: integer(
    'BODY_LIMIT_BYTES',
    100 * KiB,
    [KiB, 100 * MiB],
    'Largest accepted HTTP request body; larger is refused with 413.',
  ),
  authSecret: checkedText(
    'AUTH_SECRET',
    'HS256 secret for clerk and admin tokens (≥ 32 characters). Unset: generated once in `DATA_DIR/auth-secret`.',
    (secret) => (secret.length < 32 ? 'must be at least 32 characters long' : null),
    'generated',
  ),
  authJwksUrl: checkedText(
    'AUTH_JWKS_URL',
    'Also trust RS256/ES256 tokens of an identity provider whose keys are published here.',
    httpUrl,
  ),
  authIssuer: text('AUTH_ISSUER', 'The `iss` such tokens must carry (required with `AUTH_JWKS_URL`).'),
  authAudience: text('AUTH_AUDIENCE', 'The `aud` such tokens must carry (required with `AUTH_JWKS_URL`).'),
  pubsub: oneOf<PubSubKind>(
    'PUBSUB',
    ['postgres', 'redis'],
    'postgres',
    "How instances hear of each other's events: `postgres` (LISTEN/NOTIFY) or `redis`.",
  ),
  redisUrl: text('REDIS_URL', 'Required with `PUBSUB=redis`, e.g. `redis://127.0.0.1:6379`.'),
  trustProxy: flag(
    'TRUST_PROXY',
    "Take the client's address from the last `X-Forwarded-For` entry, the one your proxy wrote (only behind one proxy of your own).",
  ),
  rateLimitStore: {
    ...text(
      'RATE_LIMIT_STORE',
      'Where the rate limits count: `memory` (each instance its own), or shared by the instances: `redis` or `postgres`.',
      '`redis` with `PUBSUB=redis`, else `memory`',
    ),
    read(raw: string | undefined): RateLimitStoreKind | undefined {
      return raw === undefined
        ? undefined
        : oneOf<RateLimitStoreKind>('RATE_LIMIT_STORE', ['memory', 'redis', 'postgres'], 'memory', '').read(raw);
    },
  } satisfies Setting<RateLimitStoreKind | undefined>,
  rateLimitPrefix: {
    ...text(
      'RATE_LIMIT_PREFIX',
      'Namespace of the shared counters (deployments sharing one Redis or database).',
      code('obrady'),
    ),
    read(raw: string | undefined): string {
      const prefix = raw ?? 'obrady';
      if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(prefix)) {
        throw new ConfigError('RATE_LIMIT_PREFIX', `must be 1-64 letters, digits or _.:-, got "${prefix}"`);
      }
      return prefix;
    },
  } satisfies Setting<string>,
  publicUrl: baseUrl(
    'PUBLIC_URL',
    "Where users reach this API (behind your proxy), e.g. `https://obrady.example.org`: the links in calendars, feeds and `/export/` files. Unset: the request's `Host` (and protocol); in exports, `http://localhost:PORT`.",
  ),
  feedMaxAgeSeconds: integer(
    'FEED_MAX_AGE',
    300,
    [0, 86_400],
    'Seconds clients and proxies may reuse a calendar or feed (`/feeds/`) before revalidating it (`ETag`, 304).',
  ),
  explorer: {
    ...oneOf(
      'EXPLORER',
      ['on', 'off'],
      'on',
      '`off` turns off the explorer (GraphiQL) at `/explorer` and for browsers at `/graphql`; on in production too.',
    ),
    read: (raw: string | undefined) => oneOf('EXPLORER', ['on', 'off'], 'on', '').read(raw) === 'on',
  } satisfies Setting<boolean>,
  readCacheBytes: integer(
    'READ_CACHE_BYTES',
    32 * MiB,
    [0, 16 * 1024 * MiB],
    'Memory for answers to anonymous queries, reused until a write to what they read commits (see below); `0` turns it off.',
  ),
  plannedReads: {
    ...oneOf(
      'PLANNED_READS',
      ['on', 'off'],
      'on',
      '`off` sends every anonymous query through Apollo and the resolvers; `on` answers those whose every field a plan covers with one SQL statement (`src/plans/`), the same answer byte for byte.',
    ),
    read: (raw: string | undefined) => oneOf('PLANNED_READS', ['on', 'off'], 'on', '').read(raw) === 'on',
  } satisfies Setting<boolean>,
  exportDir: {
    ...text(
      'EXPORT_DIR',
      'Folder for `/export/` files, kept while their data version holds; each instance uses a folder of its own in it.',
      '`obrady-exports` in the temporary folder',
    ),
    read: (raw: string | undefined) => path.resolve(raw ?? path.join(os.tmpdir(), 'obrady-exports')),
  } satisfies Setting<string>,
  exportLicense: text(
    'EXPORT_LICENSE',
    'The licence `/export/index.json` names for the files (e.g. an SPDX id or a URL); unset: `null`, for the publisher to state.',
  ),
};

/**
 * Limits against abusive traffic. The defaults leave room above the deepest
 * and widest legitimate queries (the README's and the test suite's); see the
 * README's security section.
 */
export const LIMIT_SETTINGS = {
  maxDepth: integer(
    'MAX_DEPTH',
    8,
    [1, 100],
    'Selection depth (an operation that only introspects has its own bound).',
  ),
  maxAliases: integer('MAX_ALIASES', 15, [0, 1000], 'Aliases per operation.'),
  maxDirectives: integer('MAX_DIRECTIVES', 50, [0, 1000], 'Directives per operation.'),
  maxTokens: integer('MAX_TOKENS', 2000, [10, 100_000], 'Lexical tokens per document (counted before parsing).'),
  maxCost: integer(
    'MAX_COST',
    20_000,
    [1, 10_000_000],
    "GraphQL Armor's cost (objects, scalars, depth, page sizes); introspection mixed with other fields is counted.",
  ),
  maxRows: integer(
    'MAX_ROWS',
    5000,
    [1, 10_000_000],
    'Rows along any path: page sizes (`first`, default 20; a variable counts as 100) multiplied.',
  ),
  maxBatch: integer('MAX_BATCH', 5, [1, 100], 'Operations in one batched HTTP request.'),
  httpRatePerMinute: integer('HTTP_RATE_LIMIT', 1200, [1, 10_000_000], 'HTTP requests per minute per client address.'),
  wsMaxPayload: integer(
    'WS_MAX_PAYLOAD',
    64 * KiB,
    [KiB, 100 * MiB],
    'Bytes per WebSocket message (closed with 1009 beyond).',
  ),
  wsInitTimeoutMs: integer(
    'WS_INIT_TIMEOUT_MS',
    3000,
    [100, 600_000],
    'Time to send `connection_init` (closed with 4408).',
  ),
  wsMaxSubscriptions: integer('WS_MAX_SUBSCRIPTIONS', 20, [1, 10_000], 'Operations at once on one socket.'),
  wsMaxSocketsPerAddress: integer(
    'WS_MAX_SOCKETS_PER_ADDRESS',
    500,
    [1, 1_000_000],
    "Open sockets per client address (a venue's screens share one); 429 at the upgrade.",
  ),
  wsSubscribeRatePerMinute: integer(
    'WS_SUBSCRIBE_RATE_LIMIT',
    600,
    [1, 10_000_000],
    'Subscribe messages per minute per client address.',
  ),
  eventMaxBytes: integer(
    'EVENT_MAX_BYTES',
    64 * KiB,
    [4 * KiB, 16 * MiB],
    "Largest payload one change may record in the event log (the changed row and the agenda's order); more is `CONFLICT`.",
  ),
  sessionLogMaxBytes: integer(
    'SESSION_LOG_MAX_BYTES',
    32 * MiB,
    [64 * KiB, 1024 * MiB],
    "Payload bytes one session's event log may hold; a change past it is `CONFLICT`. At least `EVENT_MAX_BYTES`.",
  ),
  maxLogBytes: integer(
    'MAX_LOG_BYTES',
    16 * MiB,
    [64 * KiB, 1024 * MiB],
    'Bytes one operation may pull from the event log: `events(first:)` estimated at validation, a `sessionEvents` replay measured before it starts.',
  ),
  wsMaxBufferedBytes: integer(
    'WS_MAX_BUFFERED_BYTES',
    MiB,
    [KiB, 1024 * MiB],
    'Unsent bytes a socket may hold; a slower consumer is disconnected.',
  ),
};

/**
 * How long an HTTP connection may take to send its request, and stay idle
 * between requests. Set explicitly so a client dripping its headers or body a
 * byte at a time (slowloris) cannot hold a connection, and its memory, open.
 * They end at the upgrade: a WebSocket is bounded by its own limits instead.
 */
export const HTTP_SETTINGS = {
  headersTimeoutMs: integer(
    'HTTP_HEADERS_TIMEOUT_MS',
    10_000,
    [100, 600_000],
    "Time to send a request's headers (408 and closed beyond); at most `HTTP_REQUEST_TIMEOUT_MS`.",
  ),
  requestTimeoutMs: integer(
    'HTTP_REQUEST_TIMEOUT_MS',
    30_000,
    [100, 3_600_000],
    'Time to send a whole request, body included (408 and closed beyond).',
  ),
  keepAliveTimeoutMs: integer(
    'HTTP_KEEP_ALIVE_TIMEOUT_MS',
    5000,
    [100, 600_000],
    'Idle time of a kept-alive HTTP connection between requests.',
  ),
};

/** Addresses and CIDR ranges, each checked, for an allow-list. */
function addressList(raw: string): string | null {
  for (const entry of raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const [address = '', prefix, ...rest] = entry.split('/');
    const family = net.isIP(address);
    const bits = family === 6 ? 128 : 32;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (family === 0 || !prefixOk || rest.length > 0) {
      return `must list IP addresses or CIDR ranges (e.g. 10.0.0.0/8), got "${entry}"`;
    }
  }
  return null;
}

/**
 * Who may read /metrics and what it may hold. It is cheap to scrape only while
 * its label sets are bounded, and it tells a reader about the traffic, so it is
 * served only to the addresses the operator names, at a bounded rate.
 */
export const METRICS_SETTINGS = {
  port: integer(
    'METRICS_PORT',
    0,
    [0, 65535],
    'A port of its own for `/metrics` (then not served on `PORT`); `0`: on `PORT`.',
  ),
  allow: {
    ...checkedText(
      'METRICS_ALLOW',
      'Comma-separated addresses and CIDR ranges that may read `/metrics`; others get 403.',
      addressList,
      '`127.0.0.0/8,::1` (this machine)',
    ),
    read(raw: string | undefined): readonly string[] {
      const problem = raw === undefined ? null : addressList(raw);
      if (problem) throw new ConfigError('METRICS_ALLOW', problem);
      return Object.freeze(
        (raw ?? '127.0.0.0/8,::1')
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      );
    },
  } satisfies Setting<readonly string[]>,
  ratePerMinute: integer(
    'METRICS_RATE_LIMIT',
    600,
    [1, 10_000_000],
    'Scrapes per minute per address (429 with `Retry-After` beyond).',
  ),
  maxOperations: integer(
    'METRICS_MAX_OPERATIONS',
    200,
    [1, 100_000],
    'Operation names with a metrics label of their own (first seen, first kept); the rest count as `other`.',
  ),
};

/** One duration: a whole number and its unit (`ms`, `s`, `m`, `h`), in milliseconds; null when it is not one. */
export function durationMs(raw: string): number | null {
  const match = /^(\d{1,9})(ms|s|m|h)$/.exec(raw.trim());
  if (!match) return null;
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
}

/**
 * Signed webhooks (Standard Webhooks 1.0): how the outbox is sent. Every instance runs a dispatcher; they share
 * the work through the database (see docs/operations.md).
 */
export const WEBHOOK_SETTINGS = {
  retrySchedule: {
    ...text(
      'WEBHOOKS_RETRY_SCHEDULE',
      "Waits before each retry of a failed delivery (the first attempt is immediate), each stretched by up to 20 % of jitter; after the last, the delivery is `FAILED`. The spec's schedule.",
      code('5s,5m,30m,2h,5h,10h,10h'),
    ),
    read(raw: string | undefined): readonly number[] {
      const entries = (raw ?? '5s,5m,30m,2h,5h,10h,10h').split(',');
      const delays = entries.map(durationMs);
      if (entries.length > 20 || delays.some((delay) => delay === null)) {
        throw new ConfigError(
          'WEBHOOKS_RETRY_SCHEDULE',
          `must be at most 20 comma-separated durations such as 5s, 5m, 2h or 500ms, got "${raw}"`,
        );
      }
      return Object.freeze(delays as number[]);
    },
  } satisfies Setting<readonly number[]>,
  timeoutMs: integer(
    'WEBHOOKS_TIMEOUT_MS',
    10_000,
    [100, 120_000],
    'Time a receiver has to answer one delivery (then it counts as failed and is retried).',
  ),
  pollMs: integer(
    'WEBHOOKS_POLL_MS',
    1000,
    [20, 600_000],
    "How often each instance's dispatcher looks for due deliveries (a change made on the instance wakes it at once).",
  ),
  batch: integer(
    'WEBHOOKS_BATCH',
    20,
    [1, 1000],
    'Deliveries one instance sends at once (one per endpoint at a time).',
  ),
  allowPrivate: flag(
    'WEBHOOKS_ALLOW_PRIVATE',
    'Allow plain `http://` endpoints and private, loopback and link-local addresses. For tests only: it lets a webhook reach the internal network.',
  ),
};

type Values<S> = { readonly [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

export type Limits = Values<typeof LIMIT_SETTINGS>;
export type HttpTimeouts = Values<typeof HTTP_SETTINGS>;
export type MetricsSettings = Values<typeof METRICS_SETTINGS>;
export type WebhookSettings = Values<typeof WEBHOOK_SETTINGS>;
export type Config = Omit<Values<typeof SETTINGS>, 'rateLimitStore'> & {
  readonly rateLimitStore: RateLimitStoreKind;
  readonly limits: Limits;
  readonly http: HttpTimeouts;
  readonly metrics: MetricsSettings;
  readonly webhooks: WebhookSettings;
};

function readAll<S extends Record<string, Setting<unknown>>>(settings: S, env: Env): Values<S> {
  const values: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(settings)) {
    const raw = env[setting.variable]?.trim();
    values[key] = setting.read(raw === '' ? undefined : raw);
  }
  return Object.freeze(values) as Values<S>;
}

export function loadConfig(env: Env = process.env): Config {
  const general = readAll(SETTINGS, env);
  const config: Config = Object.freeze({
    ...general,
    rateLimitStore: general.rateLimitStore ?? (general.pubsub === 'redis' ? 'redis' : 'memory'),
    limits: readAll(LIMIT_SETTINGS, env),
    http: readAll(HTTP_SETTINGS, env),
    metrics: readAll(METRICS_SETTINGS, env),
    webhooks: readAll(WEBHOOK_SETTINGS, env),
  });
  // What no single setting can say of itself.
  if (config.pubsub === 'redis' && config.redisUrl === undefined) {
    throw new ConfigError('REDIS_URL', 'must be set when PUBSUB=redis');
  }
  if (config.authJwksUrl && (!config.authIssuer || !config.authAudience)) {
    throw new ConfigError(config.authIssuer ? 'AUTH_AUDIENCE' : 'AUTH_ISSUER', 'must be set with AUTH_JWKS_URL');
  }
  if (config.rateLimitStore === 'redis' && config.redisUrl === undefined) {
    throw new ConfigError('REDIS_URL', 'must be set when RATE_LIMIT_STORE=redis');
  }
  if (config.metrics.port !== 0 && config.metrics.port === config.port) {
    throw new ConfigError('METRICS_PORT', `must differ from PORT (${config.port}); unset, /metrics is served on PORT`);
  }
  if (config.limits.sessionLogMaxBytes < config.limits.eventMaxBytes) {
    throw new ConfigError(
      'SESSION_LOG_MAX_BYTES',
      `must be at least EVENT_MAX_BYTES (${config.limits.eventMaxBytes}), got ${config.limits.sessionLogMaxBytes}`,
    );
  }
  if (config.http.headersTimeoutMs > config.http.requestTimeoutMs) {
    throw new ConfigError(
      'HTTP_HEADERS_TIMEOUT_MS',
      `must not exceed HTTP_REQUEST_TIMEOUT_MS (${config.http.requestTimeoutMs}), got ${config.http.headersTimeoutMs}`,
    );
  }
  return config;
}
