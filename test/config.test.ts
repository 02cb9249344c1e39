import { ConfigError, loadConfig } from '../src/config';

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
    [{ EVENT_MAX_BYTES: '1024' }, 'EVENT_MAX_BYTES'],
    [{ EVENT_MAX_BYTES: '1048576', SESSION_LOG_MAX_BYTES: '65536' }, 'SESSION_LOG_MAX_BYTES'],
    [{ MAX_LOG_BYTES: 'lots' }, 'MAX_LOG_BYTES'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Configuration: ${variable} `));
  });
});
