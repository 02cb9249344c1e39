import { randomBytes } from 'node:crypto';
import { DistrictsDocument } from '../generated/graphql';
import { post, RawSocket, startTestServer, waitFor } from '../support';
import type { TestServer } from '../support';

/**
 * Behind a load balancer, one client address gets the configured rate in all,
 * not that rate at each instance: the counters live in a store the instances
 * share. PostgreSQL (the test database) always; Redis when TEST_REDIS_URL or
 * REDIS_URL names one.
 */
const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL;
const stores: [string, Record<string, string>][] = [
  ['postgres', { RATE_LIMIT_STORE: 'postgres' }],
  ...(redisUrl
    ? [['redis', { RATE_LIMIT_STORE: 'redis', REDIS_URL: redisUrl }] as [string, Record<string, string>]]
    : []),
];
if (!redisUrl)
  process.stderr.write('shared-rate-limit: no TEST_REDIS_URL/REDIS_URL, testing the PostgreSQL store only.\n');

describe.each(stores)('rate limits shared through %s', (_store, storeEnv) => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    // A prefix of its own, so runs (and files) sharing one Redis do not count each other's requests.
    const env = {
      ...storeEnv,
      RATE_LIMIT_PREFIX: `test_${randomBytes(4).toString('hex')}`,
      HTTP_RATE_LIMIT: '6',
      WS_SUBSCRIBE_RATE_LIMIT: '4',
    };
    a = await startTestServer({ env });
    b = await startTestServer({ database: a.database, env });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  it('lets one address make HTTP_RATE_LIMIT requests a minute across two instances, then 429 with Retry-After', async () => {
    const answers = [];
    for (let i = 0; i < 4; i += 1) {
      answers.push(await post(a.url, DistrictsDocument));
      answers.push(await post(b.url, DistrictsDocument));
    }
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    expect(answers[7]!.errors![0]!.extensions!.code).toBe('RATE_LIMITED');

    const refused = await fetch(b.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('counts subscribe messages from one address across instances against WS_SUBSCRIBE_RATE_LIMIT', async () => {
    const sockets = [await RawSocket.open(a.wsUrl), await RawSocket.open(b.wsUrl)];
    try {
      for (const socket of sockets) await socket.init();
      for (let i = 0; i < 3; i += 1) {
        for (const [n, socket] of sockets.entries()) socket.subscribe(`s${n}-${i}`, 'subscription { __typename }');
      }
      const refusals = () =>
        sockets.flatMap((socket) =>
          socket.received.filter(
            (message) =>
              message.type === 'error' &&
              (message.payload as { extensions?: { code?: string } }[])[0]?.extensions?.code === 'RATE_LIMITED',
          ),
        );
      // Six subscribes, four allowed in all: two refused, whichever instance they reached.
      await waitFor(() => refusals().length >= 2, 'two RATE_LIMITED errors');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(refusals()).toHaveLength(2);
    } finally {
      for (const socket of sockets) socket.close();
    }
  });
});

it('counts in memory, per instance, while the shared store does not answer', async () => {
  // Nothing listens on port 1: every Redis command fails at once, and the insurance limiter counts.
  const server = await startTestServer({
    env: { RATE_LIMIT_STORE: 'redis', REDIS_URL: 'redis://127.0.0.1:1', HTTP_RATE_LIMIT: '2' },
  });
  try {
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await post(server.url, DistrictsDocument)).status);
    expect(statuses).toEqual([200, 200, 429]);
  } finally {
    await server.stop();
  }
});
