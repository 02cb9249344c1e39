import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { SessionEventKind } from '../../src/entities/session-event.entity';
import { WEBHOOK_EVENT_TYPE_OF } from '../../src/services/webhook-payload.rules';
import {
  AddAgendaItemDocument,
  CastBallotDocument,
  CloseSessionDocument,
  CloseVoteDocument,
  CreateWebhookEndpointDocument,
  FinishAgendaItemDocument,
  OpenSessionDocument,
  OpenVoteDocument,
  RecordAttendanceDocument,
  RecordVoteCountsDocument,
  ReplayWebhookDeliveryDocument,
  StartAgendaItemDocument,
  UpdateAgendaItemDocument,
  WebhookDeliveriesDocument,
  WebhookEndpointsDocument,
} from '../generated/graphql';
import type { WebhookEventType } from '../generated/graphql';
import {
  bearer,
  councilOf,
  createSeatHolder,
  gid,
  keyOf,
  query,
  scheduleSession,
  sql,
  startTestServer,
  startWebhookReceiver,
  statementsOf,
  token,
  waitFor,
} from '../support';
import type { TestServer, WebhookReceiver } from '../support';

/**
 * Webhooks (issue 15, item 4) through a real server and a real receiver on loopback (plain HTTP, allowed by
 * WEBHOOKS_ALLOW_PRIVATE=true), which verifies every request with the `standardwebhooks` library. The retry
 * schedule is shortened to milliseconds; everything else is as in production. Each test registers its own
 * endpoint for the sessions of its own district council, so the tests' deliveries never mix.
 */
const SCHEDULE = [150, 150, 150];
let server: TestServer;
let admin: string;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  [server, admin] = await Promise.all([
    startTestServer({
      env: {
        WEBHOOKS_ALLOW_PRIVATE: 'true',
        WEBHOOKS_RETRY_SCHEDULE: SCHEDULE.map((ms) => `${ms}ms`).join(','),
        WEBHOOKS_POLL_MS: '50',
        WEBHOOKS_TIMEOUT_MS: '2000',
      },
    }),
    token('ADMIN'),
  ]);
});
afterAll(async () => {
  await server?.stop();
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

const ALL_TYPES: WebhookEventType[] = ['SESSION_STATUS_CHANGED', 'VOTE_CLOSED', 'AGENDA_CHANGED'];

/** A receiver and an endpoint for it, hearing of the sessions of one district's council. */
async function endpointFor(
  district: number,
  eventTypes: WebhookEventType[] = ALL_TYPES,
): Promise<{ receiver: WebhookReceiver; endpointId: string; secret: string; bodyGid: string }> {
  const receiver = await startWebhookReceiver();
  receivers.push(receiver);
  const { bodyGid } = await councilOf(server, district);
  const created = await query(
    server.url,
    CreateWebhookEndpointDocument,
    { url: receiver.url, eventTypes, bodyIds: [bodyGid] },
    bearer(admin),
  );
  receiver.secret = created.createWebhookEndpoint.secret;
  return { receiver, endpointId: created.createWebhookEndpoint.endpoint.id, secret: receiver.secret, bodyGid };
}

/** Every key path of a JSON value, sorted: its shape without its values. */
function keysOf(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value)
    .flatMap(([key, inner]) => [`${prefix}${key}`, ...keysOf(inner, `${prefix}${key}.`)])
    .sort();
}

/** The webhook-ids the event log says an endpoint of every type should get for a session, in order. */
async function expectedIds(sessionId: string): Promise<string[]> {
  const events = await sql<{ sequence: number; kind: SessionEventKind }>(
    server,
    'SELECT sequence, kind FROM session_event WHERE session_id = $1 ORDER BY sequence',
    [keyOf(sessionId)],
  );
  return events
    .filter((event) => WEBHOOK_EVENT_TYPE_OF[event.kind] !== null)
    .map((event) => `msg_${keyOf(sessionId)}_${event.sequence}`);
}

async function deliveriesOf(endpointId: string) {
  return (await query(server.url, WebhookDeliveriesDocument, { endpointId, first: 100 }, bearer(admin)))
    .webhookDeliveries;
}

it('signs every delivery as Standard Webhooks 1.0: the library verifies it with the secret, and not with another', async () => {
  const { receiver, secret } = await endpointFor(1);
  const sessionId = await scheduleSession(server, admin, (await councilOf(server, 1)).bodyGid, 'Sesja: podpis');
  await waitFor(() => receiver.received.length === 1, 'the delivery of SESSION_SCHEDULED');
  const [got] = receiver.received;
  expect(got!.verified).toEqual(JSON.parse(got!.body));
  expect(got!.id).toBe(`msg_${keyOf(sessionId)}_1`);
  expect(got!.signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  expect(Math.abs(Number(got!.timestamp) - Date.now() / 1000)).toBeLessThan(60);
  const other = new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`);
  const headers = { 'webhook-id': got!.id, 'webhook-timestamp': got!.timestamp, 'webhook-signature': got!.signature };
  expect(() => other.verify(got!.body, headers)).toThrow();
  expect(() => new Webhook(secret).verify(`${got!.body} `, headers)).toThrow();
  expect(JSON.parse(got!.body)).toMatchObject({
    type: 'session.status_changed',
    data: {
      sessionId,
      sequence: 1,
      kind: 'SESSION_SCHEDULED',
      session: { status: 'SCHEDULED', title: 'Sesja: podpis' },
    },
  });
});

it('delivers a meeting run through the mutations in order, each event once, as the log says; no personal data', async () => {
  const holder = await createSeatHolder(server, 2, 1, {
    email: 'radna.webhook@example.org',
    phone: '+48 600 123 456',
    fullName: 'Radna Webhookowa',
  });
  const { receiver } = await endpointFor(2);
  const as = bearer(admin);
  const sessionId = await scheduleSession(server, admin, holder.bodyGid, 'Sesja: cały przebieg');
  const item = (await query(server.url, AddAgendaItemDocument, { input: { sessionId, title: 'Budżet' } }, as))
    .addAgendaItem;
  await query(server.url, AddAgendaItemDocument, { input: { sessionId, title: 'Wolne wnioski' } }, as);
  await query(server.url, UpdateAgendaItemDocument, { input: { id: item.id, presenter: 'Zarząd Dzielnicy' } }, as);
  await query(server.url, OpenSessionDocument, { id: sessionId }, as);
  await query(
    server.url,
    RecordAttendanceDocument,
    { input: { sessionId, seatId: holder.seatGid, status: 'PRESENT' } },
    as,
  );
  await query(server.url, StartAgendaItemDocument, { id: item.id }, as);
  for (const secrecy of ['OPEN', 'SECRET'] as const) {
    const vote = (
      await query(server.url, OpenVoteDocument, { input: { sessionId, subject: `Uchwała ${secrecy}`, secrecy } }, as)
    ).openVote;
    if (secrecy === 'OPEN') {
      await query(
        server.url,
        CastBallotDocument,
        { input: { voteId: vote.id, seatId: holder.seatGid, option: 'FOR' } },
        as,
      );
    } else {
      // A secret ballot has no named list: the tellers' counts only.
      await query(
        server.url,
        RecordVoteCountsDocument,
        { input: { voteId: vote.id, for: 1, against: 0, abstain: 0 } },
        as,
      );
    }
    await query(server.url, CloseVoteDocument, { id: vote.id }, as);
  }
  await query(server.url, FinishAgendaItemDocument, { id: item.id }, as);
  await query(server.url, CloseSessionDocument, { id: sessionId }, as);

  const expected = await expectedIds(sessionId);
  await waitFor(() => receiver.received.length >= expected.length, `${expected.length} deliveries`);
  // Nothing more comes: give the dispatcher a few polls.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(receiver.received.map((entry) => entry.id)).toEqual(expected);
  expect(receiver.received.every((entry) => entry.verified !== null)).toBe(true);
  const payloads = receiver.accepted().map((entry) => entry.payload);
  const kinds = await sql<{ sequence: number; kind: SessionEventKind }>(
    server,
    'SELECT sequence, kind FROM session_event WHERE session_id = $1 ORDER BY sequence',
    [keyOf(sessionId)],
  );
  expect(payloads.map((payload) => [payload.data.sequence, payload.type])).toEqual(
    kinds
      .filter((event) => WEBHOOK_EVENT_TYPE_OF[event.kind] !== null)
      .map((event) => [event.sequence, WEBHOOK_EVENT_TYPE_OF[event.kind]]),
  );
  const closed = payloads.filter((payload) => payload.type === 'vote.closed');
  expect(closed.map((payload) => payload.data.vote)).toEqual([
    expect.objectContaining({ secrecy: 'OPEN', counts: { for: 1, against: 0, abstain: 0 }, status: 'CLOSED' }),
    expect.objectContaining({ secrecy: 'SECRET', counts: { for: 1, against: 0, abstain: 0 }, status: 'CLOSED' }),
  ]);
  // The README's example payload has the shape of a real one: the same keys, at every level.
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const example = JSON.parse(/## Webhooks[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)![1]!) as unknown;
  expect(keysOf(example)).toEqual(keysOf(closed[0]));
  // Personal data: no contact details, no seat or person of a ballot, nobody's name but the agenda's presenter.
  const bodies = receiver.received.map((entry) => entry.body).join('\n');
  for (const forbidden of [holder.email, holder.phone, 'Radna Webhookowa', holder.seatGid, holder.personGid]) {
    expect(bodies).not.toContain(forbidden);
  }
  expect(bodies).not.toMatch(/"(email|phone|actor|ballot|ballots|seatId|personId)"/);
  const log = await deliveriesOf(
    (await query(server.url, WebhookEndpointsDocument, {}, as)).webhookEndpoints.find(
      (endpoint) => endpoint.url === receiver.url,
    )!.id,
  );
  expect(log.map((delivery) => [delivery.webhookId, delivery.status, delivery.attempts])).toEqual(
    [...expected].reverse().map((id) => [id, 'DELIVERED', 1]),
  );
});

it('retries a receiver that fails (500) on the schedule, with the same webhook-id, until it recovers', async () => {
  const { receiver, endpointId, bodyGid } = await endpointFor(3, ['SESSION_STATUS_CHANGED']);
  receiver.answer = (n) => (n <= 2 ? 500 : 204);
  const sessionId = await scheduleSession(server, admin, bodyGid, 'Sesja: ponawianie');
  await waitFor(() => receiver.received.length === 3, 'three attempts');
  expect(new Set(receiver.received.map((entry) => entry.id))).toEqual(new Set([`msg_${keyOf(sessionId)}_1`]));
  expect(new Set(receiver.received.map((entry) => entry.body)).size).toBe(1);
  expect(receiver.received.every((entry) => entry.verified !== null)).toBe(true);
  // Each retry waited its turn of the schedule at least (jitter only lengthens a wait).
  const [first, second, third] = receiver.received.map((entry) => entry.at);
  expect(second! - first!).toBeGreaterThanOrEqual(SCHEDULE[0]!);
  expect(third! - second!).toBeGreaterThanOrEqual(SCHEDULE[1]!);
  await waitFor(async () => (await deliveriesOf(endpointId))[0]?.status === 'DELIVERED', 'the log to say DELIVERED');
  const [delivery] = await deliveriesOf(endpointId);
  expect(delivery).toMatchObject({ attempts: 3, lastStatusCode: 204, lastError: null, status: 'DELIVERED' });
  // Counted for the operator, by outcome (this file's other tests add their own, so at least these).
  const metrics = await (await fetch(server.url.replace(/\/graphql$/, '/metrics'))).text();
  const counted = (outcome: string): number =>
    Number(new RegExp(`^obrady_webhook_attempts_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
  expect(counted('retry')).toBeGreaterThanOrEqual(2);
  expect(counted('delivered')).toBeGreaterThanOrEqual(1);
});

it('gives up after the last retry (FAILED), and replayWebhookDelivery sends it again with the same webhook-id', async () => {
  const { receiver, endpointId, bodyGid } = await endpointFor(4, ['SESSION_STATUS_CHANGED']);
  receiver.answer = () => 503;
  const sessionId = await scheduleSession(server, admin, bodyGid, 'Sesja: porażka');
  await waitFor(async () => (await deliveriesOf(endpointId))[0]?.status === 'FAILED', 'the delivery to fail');
  expect(receiver.received).toHaveLength(1 + SCHEDULE.length);
  const [failed] = await deliveriesOf(endpointId);
  expect(failed).toMatchObject({
    attempts: 1 + SCHEDULE.length,
    lastStatusCode: 503,
    lastError: 'The receiver answered 503.',
  });

  receiver.answer = () => 200;
  const replayed = await query(server.url, ReplayWebhookDeliveryDocument, { id: failed!.id }, bearer(admin));
  expect(replayed.replayWebhookDelivery).toMatchObject({ status: 'PENDING', attempts: 0 });
  await waitFor(async () => (await deliveriesOf(endpointId))[0]?.status === 'DELIVERED', 'the replay');
  expect(receiver.received.at(-1)).toMatchObject({ id: `msg_${keyOf(sessionId)}_1`, status: 200 });
  expect(receiver.received.at(-1)!.verified).not.toBeNull();
});

it('disables the endpoint when the receiver answers 410 Gone, and sends it nothing more', async () => {
  const { receiver, endpointId, bodyGid } = await endpointFor(5, ['SESSION_STATUS_CHANGED']);
  receiver.answer = () => 410;
  await scheduleSession(server, admin, bodyGid, 'Sesja: 410');
  await waitFor(async () => (await deliveriesOf(endpointId))[0]?.status === 'FAILED', 'the delivery to fail');
  const endpoint = (await query(server.url, WebhookEndpointsDocument, {}, bearer(admin))).webhookEndpoints.find(
    (candidate) => candidate.id === endpointId,
  );
  expect(endpoint).toMatchObject({ enabled: false, disabledReason: 'The receiver answered 410 Gone.' });
  expect(receiver.received).toHaveLength(1);
  await scheduleSession(server, admin, bodyGid, 'Sesja: po 410');
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(receiver.received).toHaveLength(1);
  expect(await deliveriesOf(endpointId)).toHaveLength(1);
});

it('does not follow redirects: a 307 is a failed attempt, and where it points gets nothing', async () => {
  const { receiver, endpointId, bodyGid } = await endpointFor(11, ['SESSION_STATUS_CHANGED']);
  const elsewhere = await startWebhookReceiver();
  receivers.push(elsewhere);
  receiver.redirectTo = elsewhere.url;
  receiver.answer = (n) => (n === 1 ? 307 : 200);
  await scheduleSession(server, admin, bodyGid, 'Sesja: przekierowanie');
  await waitFor(async () => (await deliveriesOf(endpointId))[0]?.status === 'DELIVERED', 'the retry');
  expect(receiver.received.map((entry) => entry.status)).toEqual([307, 200]);
  expect(elsewhere.received).toEqual([]);
});

it('hears only of its event types and bodies', async () => {
  const { receiver, bodyGid } = await endpointFor(6, ['VOTE_CLOSED']);
  await scheduleSession(server, admin, bodyGid, 'Sesja: wybrane typy');
  await scheduleSession(server, admin, (await councilOf(server, 7)).bodyGid, 'Sesja: inna dzielnica');
  const [delivery] = await sql<{ count: number }>(
    server,
    `SELECT count(*)::int AS count FROM webhook_delivery d JOIN webhook_endpoint w ON w.id = d.endpoint_id
      WHERE w.url = $1`,
    [receiver.url],
  );
  expect(delivery!.count).toBe(0);
});

it('puts deliveries in the outbox in the statement that writes the event: a change still costs 6 statements', async () => {
  const { receiver, bodyGid } = await endpointFor(8);
  const sessionId = await scheduleSession(server, admin, bodyGid, 'Sesja: koszt');
  await waitFor(() => receiver.received.length === 1, 'the first delivery');
  const text = 'mutation($i: AddAgendaItemInput!) { addAgendaItem(input: $i) { id } }';
  const statements = await statementsOf(server, async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(admin) },
      body: JSON.stringify({ query: text, variables: { i: { sessionId, title: 'Punkt: koszt' } } }),
    });
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
  });
  expect(statements).toBe(6);
  await waitFor(() => receiver.received.length === 2, 'the delivery of AGENDA_ITEM_ADDED');
  expect(JSON.parse(receiver.received[1]!.body)).toMatchObject({
    type: 'agenda.changed',
    data: { kind: SessionEventKind.AGENDA_ITEM_ADDED, agendaItem: { title: 'Punkt: koszt', position: 1 } },
  });
});

it('two instances on one database send each delivery once (SKIP LOCKED), in order', async () => {
  const second = await startTestServer({
    database: server.database,
    env: { WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOKS_POLL_MS: '20' },
  });
  try {
    const { receiver, bodyGid } = await endpointFor(9, ['AGENDA_CHANGED']);
    const sessionId = await scheduleSession(server, admin, bodyGid, 'Sesja: dwie instancje');
    for (let i = 0; i < 12; i += 1) {
      // Changes made on both instances: each wakes its own dispatcher.
      const target = i % 2 === 0 ? server : second;
      await query(target.url, AddAgendaItemDocument, { input: { sessionId, title: `Punkt ${i + 1}` } }, bearer(admin));
    }
    const expected = await expectedIds(sessionId);
    await waitFor(() => receiver.received.length >= expected.length - 1, 'every delivery');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The schedule's delivery is of another type: the endpoint gets the agenda's 12.
    expect(receiver.received.map((entry) => entry.id)).toEqual(expected.slice(1));
  } finally {
    await second.stop();
  }
});

it('keeps the ids of a delivery stable: webhookId is the session and the sequence', async () => {
  const { endpointId, bodyGid } = await endpointFor(10, ['SESSION_STATUS_CHANGED']);
  const sessionId = await scheduleSession(server, admin, bodyGid, 'Sesja: identyfikatory');
  await waitFor(async () => (await deliveriesOf(endpointId)).length === 1, 'the delivery');
  const [delivery] = await deliveriesOf(endpointId);
  expect(delivery).toMatchObject({ sessionId, sequence: 1, webhookId: `msg_${keyOf(sessionId)}_1`, endpointId });
  expect(delivery!.id).toBe(gid('WebhookDelivery', keyOf(delivery!.id)));
});
