import { ConfigError, loadConfig } from '../../src/config';

/** Configuration is read and checked once, and a bad value names its variable. */
describe('loadConfig', () => {
  it('starts with no configuration at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      databaseUrl: undefined,
      logLevel: 'info',
      pubsub: 'postgres',
      timeZone: 'Europe/Warsaw',
      production: false,
    });
    expect(config.limits.maxDepth).toBe(8);
    expect(config.http).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5000 });
    expect(config.metrics).toEqual({ port: 0, allow: ['127.0.0.0/8', '::1'], ratePerMinute: 600, maxOperations: 200 });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ PUBSUB: 'redis' }, 'REDIS_URL'],
    [{ PUBSUB: 'kafka' }, 'PUBSUB'],
    [{ AUTH_SECRET: 'short' }, 'AUTH_SECRET'],
    [{ TIME_ZONE: 'Mars/Olympus' }, 'TIME_ZONE'],
    [{ AUTH_JWKS_URL: 'https://idp.example/jwks' }, 'AUTH_ISSUER'],
    [{ MAX_DEPTH: '0' }, 'MAX_DEPTH'],
    [{ METRICS_ALLOW: '10.0.0.0/33' }, 'METRICS_ALLOW'],
    [{ METRICS_ALLOW: '127.0.0.1, prometheus' }, 'METRICS_ALLOW'],
    [{ PORT: '4000', METRICS_PORT: '4000' }, 'METRICS_PORT'],
    [{ METRICS_MAX_OPERATIONS: '0' }, 'METRICS_MAX_OPERATIONS'],
    [{ HTTP_HEADERS_TIMEOUT_MS: '40000' }, 'HTTP_HEADERS_TIMEOUT_MS'],
    [{ HTTP_KEEP_ALIVE_TIMEOUT_MS: '0' }, 'HTTP_KEEP_ALIVE_TIMEOUT_MS'],
    [{ RATE_LIMIT_STORE: 'redis' }, 'REDIS_URL'],
    [{ RATE_LIMIT_STORE: 'memcached' }, 'RATE_LIMIT_STORE'],
    [{ RATE_LIMIT_PREFIX: 'a b' }, 'RATE_LIMIT_PREFIX'],
    [{ EVENT_MAX_BYTES: '1024' }, 'EVENT_MAX_BYTES'],
    [{ EVENT_MAX_BYTES: '1048576', SESSION_LOG_MAX_BYTES: '65536' }, 'SESSION_LOG_MAX_BYTES'],
    [{ MAX_LOG_BYTES: 'lots' }, 'MAX_LOG_BYTES'],
    [{ PUBLIC_URL: 'obrady.example.org' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'ftp://obrady.example.org' }, 'PUBLIC_URL'],
    [{ FEED_MAX_AGE: '-1' }, 'FEED_MAX_AGE'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Configuration: ${variable} `));
  });

  it('keeps PUBLIC_URL without its trailing slash, since links are written as base + path', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://obrady.example.org/api/' }).publicUrl).toBe(
      'https://obrady.example.org/api',
    );
    expect(loadConfig({}).publicUrl).toBeUndefined();
  });
});
