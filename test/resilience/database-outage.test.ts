import { createClient } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { startTestServer, token, waitFor } from '../support';
import type { TestServer } from '../support';

/**
 * PostgreSQL goes away mid-session (every connection cut, new ones refused)
 * and comes back: meanwhile requests fail fast with a clear error and
 * /readyz says so; afterwards the pool and LISTEN reconnect by themselves
 * and every subscriber gets every event it missed, in order, once.
 */
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  a = await startTestServer();
  b = await startTestServer({ database: a.database });
});
afterAll(async () => {
  await setConnections(true).catch(() => {});
  await b?.stop();
  await a?.stop();
});

async function admin<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.OBRADY_TEST_ADMIN_URL });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

async function setConnections(allowed: boolean): Promise<void> {
  await admin(`ALTER DATABASE ${a.database.name} ALLOW_CONNECTIONS ${allowed}`);
  if (!allowed) {
    await admin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${a.database.name}' AND pid <> pg_backend_pid()`,
    );
  }
}

it('fails fast while the database is away, then delivers everything missed, in order, once', async () => {
  const adminToken = await token('ADMIN', { subject: 'clerk' });
  const [{ id }] = (await a.server.database.dataSource.query('SELECT id FROM session LIMIT 1')) as [{ id: number }];
  const sessionId = Buffer.from(`Session:${id}`).toString('base64url');
  const write = async (
    description: string,
  ): Promise<{ errors?: { message: string; extensions?: { code?: string } }[] }> => {
    const response = await fetch(b.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({
        query: 'mutation($id: ID!, $d: String) { updateSession(input: { id: $id, description: $d }) { id } }',
        variables: { id: sessionId, d: description },
      }),
    });
    return (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
  };

  const client = createClient({ url: a.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0 });
  const seen: number[] = [];
  const unsubscribe = client.subscribe<{ sessionEvents: { sequence: number } }>(
    { query: `subscription { sessionEvents(sessionId: "${sessionId}", after: 0) { sequence } }` },
    { next: ({ data }) => seen.push(data!.sessionEvents.sequence), error: () => {}, complete: () => {} },
  );
  try {
    expect((await write('before')).errors).toBeUndefined();
    await waitFor(() => seen.length === 1, 'the first event');

    await setConnections(false);
    const started = Date.now();
    const during = await fetch(a.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ districts { number } }' }),
    });
    const body = (await during.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
    expect(Date.now() - started).toBeLessThan(4000);
    expect(body.errors?.[0]).toMatchObject({
      message: 'The database is not reachable right now; please try again in a moment.',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(body)).not.toMatch(/SELECT|stack|pg_/i);
    const readyz = await fetch(a.url.replace(/\/graphql$/, '/readyz'));
    expect(readyz.status).toBe(503);
    expect(await readyz.text()).toMatch(/not ready/);
    expect((await write('refused')).errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');

    await setConnections(true);
    // Written at once, before A's listener is back: A must read them from the log when it returns.
    for (let i = 0; i < 10; i += 1) expect((await write(`after ${i}`)).errors).toBeUndefined();
    await waitFor(() => seen.length >= 11, 'the ten events written while A was reconnecting');
    await waitFor(async () => (await fetch(a.url.replace(/\/graphql$/, '/readyz'))).status === 200, 'A to be ready');
    expect((await write('live')).errors).toBeUndefined();
    await waitFor(() => seen.length >= 12, 'a live event after the outage');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  } finally {
    unsubscribe();
    await client.dispose();
  }
}, 60_000);
