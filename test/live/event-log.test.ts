import { randomBytes } from 'node:crypto';
import {
  AddAgendaItemDocument,
  AgendaHistoryDocument,
  AgendaNowDocument,
  BodiesOfDistrictDocument,
  EventItemsDocument,
  EventItemsPageDocument,
  EventSequencesDocument,
  MoveAgendaItemDocument,
  RecordAttendanceDocument,
  RemoveAgendaItemDocument,
  SessionEventsDocument,
  ReplaySequencesDocument,
  UpdateAgendaItemDocument,
} from '../generated/graphql';
import type { AgendaNowQuery } from '../generated/graphql';
import {
  bearer,
  collect,
  councilOf,
  fingerprint,
  gid,
  keyOf,
  ok,
  post,
  query,
  scheduleSession,
  sql,
  startTestServer,
  token,
  waitFor,
  wsClient,
} from '../support';
import type { Collected, TestServer } from '../support';

/** Sends an operation with a caller's token. */
const asCaller = <TData, TVariables>(
  caller: string,
  url: string,
  document: Parameters<typeof post<TData, TVariables>>[1],
  variables: TVariables,
) => post(url, document, variables, bearer(caller));
/** Protocol errors and errors in results alike. */
const allErrors = (collected: Collected<unknown>): unknown[] => [...collected.errors, ...collected.resultErrors];

/** The event log stays small, and replaying it stays cheap, however long the agenda's texts. */
let server: TestServer;
let admin: string;
let council: { bodyGid: string; seatIds: number[] };

beforeAll(async () => {
  [server, admin] = await Promise.all([startTestServer(), token('ADMIN')]);
  council = await councilOf(server, 3);
});
afterAll(() => server?.stop());

const newSession = (on = server): Promise<string> =>
  scheduleSession(on, admin, council.bodyGid, 'Sesja z długim porządkiem');
/** Text that does not compress away: the log's sizes are measured as PostgreSQL stores them. */
const text = (length: number): string => randomBytes(length).toString('base64').slice(0, length);
const addItem = async (sessionId: string, title: string, description: string | null = null, position?: number) =>
  ok(await asCaller(admin, server.url, AddAgendaItemDocument, { input: { sessionId, title, description, position } }))
    .addAgendaItem;
const oneTo = (n: number, from = 1) => Array.from({ length: n - from + 1 }, (_, i) => i + from);

describe('what an event stores', () => {
  it('an agenda event keeps the changed item and the order, not a copy of the whole agenda', async () => {
    const sessionId = await newSession();
    const items = [];
    for (let i = 0; i < 10; i += 1) items.push(await addItem(sessionId, `Punkt ${i}`, text(9000)));
    ok(
      await asCaller(admin, server.url, UpdateAgendaItemDocument, {
        input: { id: items[3]!.id, title: 'Punkt 3, poprawiony' },
      }),
    );
    const events = await sql<{ sequence: number; bytes: number }>(
      server,
      'SELECT sequence, octet_length(payload::text) AS bytes FROM session_event WHERE session_id = $1 ORDER BY sequence',
      [keyOf(sessionId)],
    );
    // Ten items of 9,000 characters: a whole-agenda copy would be over 90,000 bytes; the update's own item is one.
    expect(events.at(-1)!.bytes).toBeLessThan(12_000);
    expect(Math.max(...events.map((e) => e.bytes))).toBeLessThan(12_000);
    const [session] = await sql<{ log_bytes: number; stored: number }>(
      server,
      `SELECT log_bytes, (SELECT sum(octet_length(payload::text))::int FROM session_event WHERE session_id = s.id) AS stored
         FROM session s WHERE id = $1`,
      [keyOf(sessionId)],
    );
    // log_bytes counts the server's JSON; PostgreSQL prints jsonb a little wider.
    expect(session!.log_bytes).toBeGreaterThan(session!.stored * 0.9);
    expect(session!.log_bytes).toBeLessThanOrEqual(session!.stored);
  });

  it('agendaChanged.agenda is the whole agenda right after each change, across add, update, move and remove', async () => {
    const sessionId = await newSession();
    const client = wsClient(server);
    const feed = collect(client, AgendaHistoryDocument, { sessionId });
    const expected = new Map<number, NonNullable<AgendaNowQuery['session']>['agenda']>();
    const remember = async () => {
      const { session } = await query(server.url, AgendaNowDocument, { id: sessionId });
      expected.set(session!.lastSequence, session!.agenda);
    };
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const a = await addItem(sessionId, 'A', text(500));
      await remember();
      const b = await addItem(sessionId, 'B', null, 1);
      await remember();
      const c = await addItem(sessionId, 'C', 'opis C');
      await remember();
      ok(
        await asCaller(admin, server.url, UpdateAgendaItemDocument, {
          input: { id: b.id, description: 'nowy opis B' },
        }),
      );
      await remember();
      ok(await asCaller(admin, server.url, MoveAgendaItemDocument, { id: c.id, position: 1 }));
      await remember();
      // An item made outside the API (as reference data is): no event holds it until one needs it.
      const [seeded] = await sql<{ id: number }>(
        server,
        `INSERT INTO agenda_item (session_id, position, title, description, status, version)
         VALUES ($1, 4, 'Z bazy', 'dodany poza API', 'PENDING', 1) RETURNING id`,
        [keyOf(sessionId)],
      );
      await addItem(sessionId, 'D', null, 2);
      await remember();
      ok(await asCaller(admin, server.url, UpdateAgendaItemDocument, { input: { id: a.id, title: 'A, poprawiony' } }));
      await remember();
      ok(await asCaller(admin, server.url, RemoveAgendaItemDocument, { id: b.id }));
      await remember();
      const seededId = (await query(server.url, AgendaNowDocument, { id: sessionId })).session!.agenda.find(
        (item) => keyOf(item.id) === seeded!.id,
      )!.id;
      ok(await asCaller(admin, server.url, MoveAgendaItemDocument, { id: seededId, position: 1 }));
      await remember();

      await waitFor(() => feed.items.length === expected.size, `${expected.size} agenda changes`);
      expect(allErrors(feed)).toEqual([]);
      for (const { agendaChanged } of feed.items) {
        expect(agendaChanged.agenda).toEqual(expected.get(agendaChanged.sequence));
      }
      expect(feed.items.at(-1)!.agendaChanged.agenda.map((item) => item.title)).toEqual([
        'Z bazy',
        'C',
        'D',
        'A, poprawiony',
      ]);
    } finally {
      feed.stop();
      await client.dispose();
    }
  });
});

describe('budgets', () => {
  let small: TestServer;
  beforeAll(async () => {
    small = await startTestServer({
      env: {
        EVENT_MAX_BYTES: '16384',
        SESSION_LOG_MAX_BYTES: '131072',
        MAX_LOG_BYTES: '65536',
      },
    });
  });
  afterAll(() => small?.stop());
  const schedule = () => newSession(small);

  it('refuses a change whose event would pass EVENT_MAX_BYTES with CONFLICT, changing nothing', async () => {
    const sessionId = await schedule();
    const before = await fingerprint(small);
    // 10,000 characters of two bytes each: within the description's length, past the event's bytes.
    const result = await asCaller(admin, small.url, AddAgendaItemDocument, {
      input: { sessionId, title: 'Za długi', description: 'ż'.repeat(10_000) },
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(result.errors?.[0]?.message).toMatch(/at most 16384 \(EVENT_MAX_BYTES\)/);
    expect(await fingerprint(small)).toEqual(before);
  });

  it('refuses a change that would take the session log past SESSION_LOG_MAX_BYTES with CONFLICT, changing nothing', async () => {
    const sessionId = await schedule();
    const item = ok(
      await asCaller(admin, small.url, AddAgendaItemDocument, { input: { sessionId, title: 'Punkt' } }),
    ).addAgendaItem;
    let refused;
    for (let i = 0; i < 30 && !refused; i += 1) {
      const before = await fingerprint(small);
      const result = await asCaller(admin, small.url, UpdateAgendaItemDocument, {
        input: { id: item.id, description: text(10_000) },
      });
      if (result.errors) {
        refused = result.errors[0]!;
        expect(await fingerprint(small)).toEqual(before);
      }
    }
    expect(refused?.extensions?.code).toBe('CONFLICT');
    expect(refused?.message).toMatch(/past 131072 \(SESSION_LOG_MAX_BYTES\)/);
    const [row] = await sql<{ log_bytes: number }>(small, 'SELECT log_bytes FROM session WHERE id = $1', [
      keyOf(sessionId),
    ]);
    expect(row!.log_bytes).toBeLessThanOrEqual(131_072);

    // The log now holds more than MAX_LOG_BYTES: a replay of payloads is refused before it starts,
    // one of sequences only reads no payload and is not.
    const client = wsClient(small);
    const items = collect(client, SessionEventsDocument, { sessionId, after: 0 });
    const plain = collect(client, ReplaySequencesDocument, { sessionId, after: 0 });
    try {
      const last = Number(
        (
          await sql<{ last_sequence: number }>(small, 'SELECT last_sequence FROM session WHERE id = $1', [
            keyOf(sessionId),
          ])
        )[0]!.last_sequence,
      );
      await waitFor(
        () => allErrors(items).length > 0 && plain.items.length === last,
        'the refusal and the plain replay',
      );
      expect(JSON.stringify(allErrors(items))).toMatch(/MAX_LOG_BYTES/);
      expect(items.items).toEqual([]);
      expect(plain.items.map((i) => i.sessionEvents.sequence)).toEqual(oneTo(last));
    } finally {
      items.stop();
      plain.stop();
      await client.dispose();
    }
  });
});

describe('reading the log', () => {
  it('refuses an operation that may read more than MAX_LOG_BYTES of events, over HTTP and WebSocket', async () => {
    const sessionId = await newSession();
    const refused = await post(server.url, EventItemsDocument, { id: sessionId });
    expect(refused.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(refused.errors?.[0]?.message).toMatch(/the limit is 16777216 \(MAX_LOG_BYTES\)/);
    // The same page of sequences only, and a smaller page of payloads, are within it.
    expect((await query(server.url, EventSequencesDocument, { id: sessionId })).session!.events).toHaveLength(1);
    expect((await query(server.url, EventItemsPageDocument, { id: sessionId })).session!.events).toHaveLength(1);

    const client = wsClient(server);
    const errors: unknown[] = [];
    await new Promise<void>((resolve) => {
      client.subscribe(
        { query: 'subscription { sessionStatusChanged { events(first: 1000) { agendaItem { title } } } }' },
        { next: () => {}, error: (error) => (errors.push(error), resolve()), complete: resolve },
      );
    });
    await client.dispose();
    expect(JSON.stringify(errors)).toMatch(/MAX_LOG_BYTES/);
    expect(JSON.stringify(errors)).toMatch(/GRAPHQL_VALIDATION_FAILED/);
  });

  it('replays a log of many pages in order, each event once, to concurrent replays from different points', async () => {
    const sessionId = await newSession();
    for (let i = 0; i < 260; i += 1) {
      ok(
        await asCaller(admin, server.url, RecordAttendanceDocument, {
          input: {
            sessionId,
            seatId: gid('Seat', council.seatIds[i % council.seatIds.length]!),
            status: i % 2 ? 'PRESENT' : 'EXCUSED',
          },
        }),
      );
    }
    const last = 261;
    const client = wsClient(server);
    const replays = [
      collect(client, SessionEventsDocument, { sessionId, after: 0 }),
      collect(client, SessionEventsDocument, { sessionId, after: 0 }),
      collect(client, ReplaySequencesDocument, { sessionId, after: 0 }),
      collect(client, SessionEventsDocument, { sessionId, after: 137 }),
    ];
    try {
      await waitFor(() => replays.every((r, i) => r.items.length === last - (i === 3 ? 137 : 0)), 'every replay');
      for (const [i, replay] of replays.entries()) {
        expect(replay.errors).toEqual([]);
        expect(replay.items.map((item) => item.sessionEvents.sequence)).toEqual(oneTo(last, i === 3 ? 138 : 1));
      }
    } finally {
      for (const replay of replays) replay.stop();
      await client.dispose();
    }
  });
});

describe('anonymous replay of a large log', () => {
  it('ten anonymous replays of a long meeting keep memory and the latency of other requests bounded', async () => {
    // The session: 20 items of 10,000 characters, then a long run of edits.
    const sessionId = await newSession();
    const items = [];
    for (let i = 0; i < 20; i += 1) items.push(await addItem(sessionId, `Punkt ${i}`, text(10_000)));
    for (let i = 0; i < 300; i += 1) {
      ok(
        await asCaller(admin, server.url, UpdateAgendaItemDocument, {
          input: { id: items[i % 20]!.id, description: text(10_000) },
        }),
      );
    }
    const last = 321;
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const sockets = [wsClient(server), wsClient(server)];
    const replays = Array.from({ length: 10 }, (_, i) =>
      collect(sockets[i % 2]!, SessionEventsDocument, { sessionId, after: 0 }),
    );
    try {
      // An unrelated request while the replays run, with text the read cache has not seen.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      await post(server.url, { ...BodiesOfDistrictDocument }, { districtNumber: 5 });
      const unrelated = Date.now() - started;
      await waitFor(() => replays.every((r) => r.items.length === last), 'ten full replays', 60_000);
      clearInterval(sampler);
      for (const replay of replays) expect(replay.errors).toEqual([]);
      // Before: every replay read the whole log (a 60 MB log here) into memory at once, 10 times over.
      expect((peak - baseline) / 1024 / 1024).toBeLessThan(250);
      expect(unrelated).toBeLessThan(3000);
    } finally {
      clearInterval(sampler);
      for (const replay of replays) replay.stop();
      await Promise.all(sockets.map((socket) => socket.dispose()));
    }
  }, 180_000);
});

describe('the migration', () => {
  it('down rebuilds every whole agenda from the log, and up converts it back to the same payloads', async () => {
    const sessionId = await newSession();
    const expected = new Map<number, { id: string; position: number; title: string }[]>();
    const remember = async () => {
      const { session } = await query(server.url, AgendaNowDocument, { id: sessionId });
      expected.set(
        session!.lastSequence,
        session!.agenda.map(({ id, position, title }) => ({ id, position, title })),
      );
    };
    const a = await addItem(sessionId, 'A');
    await remember();
    await sql(
      server,
      `INSERT INTO agenda_item (session_id, position, title, status, version) VALUES ($1, 2, 'Z bazy', 'PENDING', 1)`,
      [keyOf(sessionId)],
    );
    await addItem(sessionId, 'B', null, 1);
    await remember();
    ok(await asCaller(admin, server.url, MoveAgendaItemDocument, { id: a.id, position: 3 }));
    await remember();
    const payloads = `SELECT sequence, payload FROM session_event WHERE session_id = $1 AND kind LIKE 'AGENDA%' ORDER BY sequence`;
    const converted = await sql<{ sequence: number; payload: Record<string, unknown> }>(server, payloads, [
      keyOf(sessionId),
    ]);
    const { dataSource } = server.server.database;
    // Undo every migration after BoundedEventLog, and then it: later ones are not what this is about.
    const undoThrough = async (name: string): Promise<void> => {
      for (;;) {
        const [last] = await sql<{ name: string }>(server, 'SELECT name FROM migrations ORDER BY id DESC LIMIT 1');
        await dataSource.undoLastMigration();
        if (last!.name === name) return;
      }
    };
    await undoThrough('BoundedEventLog1796400000000');
    try {
      const rebuilt = await sql<{
        sequence: number;
        payload: { agenda: { id: number; position: number; title: string }[] };
      }>(server, payloads, [keyOf(sessionId)]);
      for (const { sequence, payload } of rebuilt) {
        expect(
          payload.agenda.map(({ id, position, title }) => ({ id: gid('AgendaItem', id), position, title })),
        ).toEqual(expected.get(sequence));
      }
    } finally {
      await dataSource.runMigrations();
    }
    expect(await sql(server, payloads, [keyOf(sessionId)])).toEqual(converted);
  });
});
