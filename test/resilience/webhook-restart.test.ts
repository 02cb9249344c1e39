import pg from 'pg';
import { AddAgendaItemDocument, CreateWebhookEndpointDocument, ScheduleSessionDocument } from '../generated/graphql';
import { bearer, createTestDatabase, query, spawnServer, startWebhookReceiver, token, waitFor } from '../support';
import type { SpawnedServer, TestDatabase, WebhookReceiver } from '../support';

/**
 * The outbox survives the loss of the instance sending it: events are written while the receiver fails, the
 * instance retrying them is killed (SIGKILL: no goodbye, maybe mid-attempt), and another instance started
 * afterwards on the same database delivers every one of them, in order, each accepted once.
 */
let database: TestDatabase;
let receiver: WebhookReceiver;
let db: pg.Client;
const spawned: SpawnedServer[] = [];

const ENV = {
  WEBHOOKS_ALLOW_PRIVATE: 'true',
  WEBHOOKS_RETRY_SCHEDULE: Array.from({ length: 12 }, () => '200ms').join(','),
  WEBHOOKS_TIMEOUT_MS: '1000',
  WEBHOOKS_POLL_MS: '50',
};

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startWebhookReceiver();
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
});

afterAll(async () => {
  for (const server of spawned) {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }
  await db?.end();
  await receiver?.close();
  await database?.drop();
});

it('an instance killed during retries loses nothing: another delivers every event after the restart', async () => {
  const admin = bearer(await token('ADMIN'));
  const a = await spawnServer({ DATABASE_URL: database.url, ...ENV });
  spawned.push(a);
  const {
    rows: [body],
  } = await db.query<{ id: number }>(
    `SELECT b.id FROM body b JOIN district d ON d.id = b.district_id WHERE d.number = 3 AND b.kind = 'DISTRICT_COUNCIL'`,
  );
  const bodyGid = Buffer.from(`Body:${body!.id}`).toString('base64url');
  const created = await query(
    a.url,
    CreateWebhookEndpointDocument,
    { url: receiver.url, eventTypes: ['SESSION_STATUS_CHANGED', 'AGENDA_CHANGED'], bodyIds: [bodyGid] },
    admin,
  );
  receiver.secret = created.createWebhookEndpoint.secret;
  receiver.answer = () => 500;

  const session = await query(
    a.url,
    ScheduleSessionDocument,
    { input: { bodyId: bodyGid, termNumber: 9, title: 'Sesja: restart', scheduledAt: '2031-03-05T18:00:00+01:00' } },
    admin,
  );
  const sessionId = session.scheduleSession.id;
  for (const title of ['Punkt pierwszy', 'Punkt drugi']) {
    await query(a.url, AddAgendaItemDocument, { input: { sessionId, title } }, admin);
  }
  await waitFor(() => receiver.received.length >= 3, 'a few failed attempts');
  a.child.kill('SIGKILL');
  await a.exited;
  const failedBefore = receiver.received.length;
  expect(receiver.received.every((entry) => entry.status === 500)).toBe(true);

  receiver.answer = () => 200;
  const b = await spawnServer({ DATABASE_URL: database.url, ...ENV });
  spawned.push(b);
  const {
    rows: [{ key }],
  } = (await db.query(`SELECT id AS key FROM session WHERE title = 'Sesja: restart'`)) as { rows: { key: number }[] };
  const expected = [1, 2, 3].map((sequence) => `msg_${key}_${sequence}`);
  await waitFor(() => receiver.accepted().length === expected.length, 'every event, after the restart', 30_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(receiver.received.length).toBeGreaterThan(failedBefore);
  expect(receiver.accepted().map((entry) => entry.id)).toEqual(expected);
  expect(receiver.received.every((entry) => entry.verified !== null)).toBe(true);
  const { rows } = await db.query<{ status: string }>(
    'SELECT status FROM webhook_delivery WHERE session_id = $1 ORDER BY sequence',
    [key],
  );
  expect(rows.map((row) => row.status)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED']);
}, 120_000);
