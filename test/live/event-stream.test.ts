import net from 'node:net';
import {
  AddAgendaItemDocument,
  AgendaFeedDocument,
  AttendanceFeedDocument,
  BodiesOfDistrictDocument,
  SessionEventsDocument,
  FanOutDocument,
  MeetingStateDocument,
  OpenSessionDocument,
  RecordAttendanceDocument,
  ScheduleSessionDocument,
  StatusFeedDocument,
} from '../generated/graphql';
import { bearer, collect, ok, post, query, startTestServer, token, waitFor, wsClient } from '../support';
import type { TestServer } from '../support';

/** What screens receive: every change, in order, across reconnects and instances. */
let server: TestServer;
let admin: string;
let councilId: string;
let seats: string[];

beforeAll(async () => {
  server = await startTestServer();
  admin = await token('ADMIN');
  const { bodies } = await query(server.url, BodiesOfDistrictDocument, { districtNumber: 3 });
  const council = bodies.find((b) => b.kind === 'DISTRICT_COUNCIL')!;
  councilId = council.id;
  seats = council.seats.map((s) => s.id);
});
afterAll(() => server?.stop());

async function newSession(url = server.url): Promise<string> {
  return (
    await query(
      url,
      ScheduleSessionDocument,
      {
        input: { bodyId: councilId, termNumber: 9, title: 'Sesja na żywo', scheduledAt: '2026-12-03T17:00:00+01:00' },
      },
      bearer(admin),
    )
  ).scheduleSession.id;
}
const record = (sessionId: string, seat: number, status: 'PRESENT' | 'ABSENT' | 'EXCUSED', url = server.url) =>
  post(
    url,
    RecordAttendanceDocument,
    { input: { sessionId, seatId: seats[seat % seats.length], status } },
    bearer(admin),
  );
const sequences = (items: { sessionEvents: { sequence: number } }[]) => items.map((i) => i.sessionEvents.sequence);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('sessionEvents', () => {
  it('delivers every change of 50 concurrent writers once, in sequence order', async () => {
    const sessionId = await newSession();
    const client = wsClient(server);
    const feed = collect(client, SessionEventsDocument, { sessionId, after: 0 });
    try {
      await waitFor(() => feed.items.length === 1, 'the scheduling event');
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, n) => record(sessionId, n, n % 2 ? 'PRESENT' : 'EXCUSED')),
      );
      expect(results.every((r) => !r.errors)).toBe(true);
      await waitFor(() => feed.items.length === 51, 'all 51 events');
      expect(sequences(feed.items)).toEqual(oneTo(51));
      const { session } = await query(server.url, MeetingStateDocument, { id: sessionId });
      expect(session!.events.map((e) => e.sequence)).toEqual(oneTo(51));
      expect(feed.errors).toEqual([]);
    } finally {
      feed.stop();
      await client.dispose();
    }
  });

  it('replays exactly the K events missed while disconnected, then goes on live', async () => {
    const sessionId = await newSession();
    const first = wsClient(server);
    const before = collect(first, SessionEventsDocument, { sessionId, after: 0 });
    for (let i = 0; i < 4; i += 1) ok(await record(sessionId, i, 'PRESENT'));
    await waitFor(() => before.items.length === 5, 'five events');
    before.stop();
    await first.dispose();
    const lastSeen = sequences(before.items).at(-1)!;

    const K = 7;
    for (let i = 0; i < K; i += 1) ok(await record(sessionId, 10 + i, 'ABSENT'));
    const second = wsClient(server);
    const after = collect(second, SessionEventsDocument, { sessionId, after: lastSeen });
    try {
      await waitFor(() => after.items.length === K, 'the missed events');
      expect(sequences(after.items)).toEqual(oneTo(K).map((i) => lastSeen + i));
      ok(await record(sessionId, 20, 'PRESENT'));
      await waitFor(() => after.items.length === K + 1, 'a live event');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sequences(after.items)).toEqual(oneTo(K + 1).map((i) => lastSeen + i));
    } finally {
      after.stop();
      await second.dispose();
    }
  });

  it('meets the live stream at the seam with no gap and no duplicate while a writer is busy', async () => {
    const sessionId = await newSession();
    let writing = true;
    let written = 1;
    const writer = (async () => {
      for (let i = 0; writing && i < 200; i += 1) {
        ok(await record(sessionId, i, i % 2 ? 'PRESENT' : 'ABSENT'));
        written += 1;
      }
    })();
    await waitFor(() => written > 10, 'the writer to get going');
    const client = wsClient(server);
    const feed = collect(client, SessionEventsDocument, { sessionId, after: 0 });
    try {
      await waitFor(() => feed.items.length > 20, 'replay and live events');
      writing = false;
      await writer;
      await waitFor(() => feed.items.length === written, 'every written event');
      expect(sequences(feed.items)).toEqual(oneTo(written));
    } finally {
      writing = false;
      feed.stop();
      await client.dispose();
    }
  });

  it('answers an unknown session with NOT_FOUND and an after beyond the log with BAD_USER_INPUT', async () => {
    const client = wsClient(server);
    try {
      const unknown = collect(client, SessionEventsDocument, {
        sessionId: Buffer.from('Session:999999').toString('base64url'),
      });
      await waitFor(() => unknown.errors.length + unknown.resultErrors.length > 0, 'an error');
      expect(JSON.stringify([...unknown.errors, ...unknown.resultErrors])).toMatch(/NOT_FOUND/);
      const sessionId = await newSession();
      const beyond = collect(client, SessionEventsDocument, { sessionId, after: 99 });
      await waitFor(() => beyond.errors.length + beyond.resultErrors.length > 0, 'an error');
      expect(JSON.stringify([...beyond.errors, ...beyond.resultErrors])).toMatch(/BAD_USER_INPUT/);
    } finally {
      await client.dispose();
    }
  });
});

describe('the narrower feeds', () => {
  it('attendanceChanged, agendaChanged and sessionStatusChanged carry their own kinds only', async () => {
    const client = wsClient(server);
    const byBody = collect(client, StatusFeedDocument, { bodyId: councilId });
    const byDistrict = collect(client, StatusFeedDocument, { districtNumber: 3 });
    const otherDistrict = collect(client, StatusFeedDocument, { districtNumber: 4 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sessionId = await newSession();
    const attendance = collect(client, AttendanceFeedDocument, { sessionId });
    const agenda = collect(client, AgendaFeedDocument, { sessionId });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await query(server.url, AddAgendaItemDocument, { input: { sessionId, title: 'Punkt A' } }, bearer(admin));
      ok(await record(sessionId, 0, 'PRESENT'));
      await query(
        server.url,
        AddAgendaItemDocument,
        { input: { sessionId, title: 'Punkt B', position: 1 } },
        bearer(admin),
      );
      await query(server.url, OpenSessionDocument, { id: sessionId }, bearer(admin));
      await waitFor(
        () => agenda.items.length === 2 && attendance.items.length === 1,
        'the agenda and attendance feeds',
      );
      await waitFor(() => byBody.items.length === 2 && byDistrict.items.length === 2, 'the status feeds');
      expect(attendance.items[0]!.attendanceChanged).toMatchObject({
        record: { status: 'PRESENT' },
        quorum: { present: 1 },
      });
      expect(agenda.items.map((i) => i.agendaChanged.kind)).toEqual(['AGENDA_ITEM_ADDED', 'AGENDA_ITEM_ADDED']);
      expect(agenda.items[1]!.agendaChanged.agenda.map((i) => i.title)).toEqual(['Punkt B', 'Punkt A']);
      expect(byBody.items.map((i) => i.sessionStatusChanged.status)).toEqual(['SCHEDULED', 'IN_PROGRESS']);
      expect(otherDistrict.items).toEqual([]);
    } finally {
      await client.dispose();
    }
  });
});

async function redisAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: 6379 });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.write('PING\r\n');
    });
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe('across instances', () => {
  for (const mode of ['postgres', 'redis'] as const) {
    it(`a change made through instance A reaches a subscriber on instance B (${mode})`, async () => {
      if (mode === 'redis' && !(await redisAnswers())) {
        if (process.env.CI === 'true') throw new Error('CI=true but no Redis answers at 127.0.0.1:6379');
        process.stderr.write('Skipping the Redis two-instance test: no Redis answers at 127.0.0.1:6379.\n');
        return;
      }
      const env = { PUBSUB: mode, REDIS_URL: 'redis://127.0.0.1:6379' };
      const a = await startTestServer({ env });
      const b = await startTestServer({ database: a.database, env });
      const client = wsClient(b);
      try {
        const sessionId = await newSession(a.url);
        const feed = collect(client, SessionEventsDocument, { sessionId, after: 0 });
        await waitFor(() => feed.items.length === 1, 'the replayed first event');
        for (let i = 0; i < 5; i += 1) ok(await record(sessionId, i, 'PRESENT', a.url));
        await waitFor(() => feed.items.length === 6, 'the events made through A');
        expect(sequences(feed.items)).toEqual(oneTo(6));
      } finally {
        await client.dispose();
        await b.stop();
        await a.stop();
      }
    });
  }
});

describe('cost of an audience', () => {
  it('delivers one event to 200 subscribers with the statements and the one execution it takes for one', async () => {
    const writer = await startTestServer({ database: server.database });
    const sessionId = await newSession(writer.url);
    await query(writer.url, AddAgendaItemDocument, { input: { sessionId, title: 'Punkt' } }, bearer(admin));
    const executions = async (): Promise<number> => {
      const text = await (await fetch(server.url.replace(/\/graphql$/, '/metrics'))).text();
      return Number(/^obrady_subscription_executions_total (\d+)/m.exec(text)?.[1]);
    };
    const statementsFor = async (audience: number): Promise<number> => {
      const clients = Array.from({ length: Math.ceil(audience / 20) }, () => wsClient(server));
      const feeds = Array.from({ length: audience }, (_, n) =>
        collect(clients[Math.floor(n / 20)]!, FanOutDocument, { sessionId }),
      );
      try {
        // Changes until every subscription has received one: then all are established.
        for (let i = 0; !feeds.every((f) => f.items.length > 0); i += 1) {
          if (i === 100) throw new Error(`${audience} subscribers did not all go live`);
          ok(await record(sessionId, i, i % 2 ? 'PRESENT' : 'ABSENT', writer.url));
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const lastSequence = (await query(server.url, MeetingStateDocument, { id: sessionId })).session!.lastSequence;
        await waitFor(
          () => feeds.every((f) => f.items.at(-1)!.sessionEvents.sequence === lastSequence),
          'the feeds to settle',
        );
        const received = feeds.map((f) => f.items.length);
        const before = server.statements();
        const executionsBefore = await executions();
        await query(
          writer.url,
          AddAgendaItemDocument,
          { input: { sessionId, title: `Punkt dla ${audience}` } },
          bearer(admin),
        );
        await waitFor(() => feeds.every((f, n) => f.items.length === received[n]! + 1), `${audience} deliveries`);
        expect(feeds.every((f) => f.items.at(-1)!.sessionEvents.agendaItem?.session.body.name)).toBe(true);
        // All asked for the same thing: the payload was built once and handed to each.
        expect((await executions()) - executionsBefore).toBe(1);
        return server.statements() - before;
      } finally {
        for (const feed of feeds) feed.stop();
        await Promise.all(clients.map((c) => c.dispose()));
      }
    };
    try {
      const one = await statementsFor(1);
      const many = await statementsFor(200);
      expect(one).toBeGreaterThan(0);
      expect(many).toBe(one);
    } finally {
      await writer.stop();
    }
  });
});
