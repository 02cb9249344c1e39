import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createTestDatabase, spawnServer, token, waitFor } from '../support';
import type { SpawnedServer, TestDatabase } from '../support';

/**
 * Two instances on one database; the one a screen is connected to is killed
 * (SIGKILL: no goodbye). The screen's graphql-ws client retries on its own,
 * reaches the other instance, and resubscribes with the last sequence it saw
 * (a client-side `after`, kept in the payload it resends): it misses nothing
 * and sees nothing twice.
 */
let database: TestDatabase;
let a: SpawnedServer;
let b: SpawnedServer;

beforeAll(async () => {
  database = await createTestDatabase();
  a = await spawnServer({ DATABASE_URL: database.url });
  b = await spawnServer({ DATABASE_URL: database.url });
}, 120_000);

afterAll(async () => {
  for (const server of [a, b]) {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }
  await database?.drop();
});

it('a screen on a killed instance reconnects to the other and misses nothing', async () => {
  const adminToken = await token('ADMIN', { subject: 'clerk' });
  const write = async (description: string): Promise<void> => {
    const response = await fetch(b.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({
        query: 'mutation($id: ID!, $d: String) { updateSession(input: { id: $id, description: $d }) { id } }',
        variables: { id: sessionId, d: description },
      }),
    });
    const body = (await response.json()) as { errors?: unknown };
    expect(body.errors).toBeUndefined();
  };
  const sessions = (await (
    await fetch(b.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ sessions(first: 1) { nodes { id } } }' }),
    })
  ).json()) as { data: { sessions: { nodes: { id: string }[] } } };
  const sessionId = sessions.data.sessions.nodes[0]!.id;

  // The screen tries A first, then whichever answers.
  const urls = [a.wsUrl, b.wsUrl];
  let attempt = 0;
  let connectedTo = '';
  const client = createClient({
    url: () => urls[Math.min(attempt++, urls.length - 1)]!,
    webSocketImpl: WebSocket,
    retryAttempts: 20,
    retryWait: () => new Promise((resolve) => setTimeout(resolve, 100)),
    shouldRetry: () => true,
    on: { connected: (socket) => (connectedTo = (socket as WebSocket).url) },
  });
  const payload = {
    query: 'subscription($s: ID!, $after: Int) { sessionEvents(sessionId: $s, after: $after) { sequence } }',
    variables: { s: sessionId, after: 0 as number },
  };
  const seen: number[] = [];
  const unsubscribe = client.subscribe<{ sessionEvents: { sequence: number } }>(payload, {
    next: ({ data }) => {
      seen.push(data!.sessionEvents.sequence);
      payload.variables.after = data!.sessionEvents.sequence;
    },
    error: () => {},
    complete: () => {},
  });
  try {
    await waitFor(() => connectedTo === a.wsUrl, 'the screen to connect to A');
    for (let i = 0; i < 5; i += 1) await write(`before ${i}`);
    await waitFor(() => seen.length === 5, 'five events through A');

    a.child.kill('SIGKILL');
    await a.exited;
    for (let i = 0; i < 10; i += 1) await write(`after ${i}`);
    await waitFor(() => seen.length >= 15 && connectedTo === b.wsUrl, 'the events written while it moved to B');
    for (let i = 0; i < 3; i += 1) await write(`live ${i}`);
    await waitFor(() => seen.length >= 18, 'live events through B');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
  } finally {
    unsubscribe();
    await client.dispose();
  }
}, 120_000);
