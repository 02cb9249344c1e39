import pg from 'pg';
import WebSocket from 'ws';
import { createTestDatabase, spawnServer, token } from '../support';
import type { TestDatabase } from '../support';

/**
 * SIGTERM during a stream of queries and mutations: the process stops
 * accepting, finishes what it started, and exits 0; every mutation it
 * answered is in the log, and none is half-done.
 */
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
}, 120_000);
afterAll(() => database?.drop());

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

it('finishes in-flight work on SIGTERM and loses nothing it answered', async () => {
  const { child, url, exited } = await spawnServer({ DATABASE_URL: database.url });
  const adminToken = await token('ADMIN', { subject: 'test' });
  const { id } = (await sql<{ id: number }>('SELECT id FROM session LIMIT 1'))[0]!;
  const sessionId = Buffer.from(`Session:${id}`).toString('base64url');

  let answered = 0;
  let refused = 0;
  const worker = async (n: number): Promise<void> => {
    for (let i = 0; i < 400; i += 1) {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
          body: JSON.stringify({
            query:
              'mutation($id: ID!, $d: String) { updateSession(input: { id: $id, description: $d }) { lastSequence } }',
            variables: { id: sessionId, d: `worker ${n} step ${i}` },
          }),
        });
        const body = (await response.json()) as {
          data?: { updateSession: { lastSequence: number } };
          errors?: unknown[];
        };
        // An answer is whole: either the change with its sequence, or a clear error.
        if (body.data?.updateSession) answered += 1;
        else expect(body.errors?.length).toBeGreaterThan(0);
      } catch {
        refused += 1; // the server had stopped accepting
        return;
      }
    }
  };
  // A screen's socket is told to go elsewhere (1001), not dropped.
  const screen = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => screen.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve) => {
    screen.once('open', () => {
      screen.send(JSON.stringify({ type: 'connection_init' }));
      screen.once('message', () => resolve());
    });
  });
  const workers = [worker(1), worker(2), worker(3)];
  await new Promise((resolve) => setTimeout(resolve, 500));
  child.kill('SIGTERM');
  await Promise.all(workers);
  expect(await exited).toBe(0);
  expect(await closed).toBe(1001);
  expect(answered).toBeGreaterThan(0);

  const rows = await sql<{ events: number; last: number }>(
    'SELECT count(*)::int AS events, (SELECT last_sequence FROM session WHERE id = $1) AS last FROM session_event WHERE session_id = $1',
    [id],
  );
  // Every answered change is in the log, numbered without gaps; nothing answered was lost.
  expect(rows[0]!.events).toBe(rows[0]!.last);
  expect(rows[0]!.events).toBeGreaterThanOrEqual(answered);
  expect(refused).toBeGreaterThan(0);
}, 120_000);
