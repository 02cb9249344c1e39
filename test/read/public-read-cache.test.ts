import pg from 'pg';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  AddAgendaItemDocument,
  BodiesOfDistrictDocument,
  CastBallotDocument,
  CloseVoteDocument,
  EndSpeechDocument,
  FloorStateDocument,
  GrantFloorDocument,
  OpenVoteDocument,
  RequestFloorDocument,
  SessionVotesDeepDocument,
  CloseSessionDocument,
  DistrictsDocument,
  FinishAgendaItemDocument,
  InviteGuestDocument,
  MeetingStateDocument,
  MoveAgendaItemDocument,
  OpenSessionDocument,
  RecordAttendanceDocument,
  RemoveAgendaItemDocument,
  ScheduleSessionDocument,
  SecurityPersonContactDocument,
  SessionsDocument,
  StartAgendaItemDocument,
  SuspendSessionDocument,
  ResumeSessionDocument,
  UpdateAgendaItemDocument,
} from '../generated/graphql';
import { toGlobalId } from '../../src/schema/global-id';
import { bearer, createTestDatabase, metricValue, post, query, startTestServer, token } from '../support';
import type { TestDatabase, TestServer } from '../support';

/**
 * The public read cache: anonymous queries answered again without running,
 * and never an answer older than the last write, whichever instance (or
 * whoever) made it. Two instances share one database; the clerk writes through
 * the first, and after every write both instances are asked at once.
 */
let database: TestDatabase;
let a: TestServer;
let b: TestServer;
let admin: string;
let councilId: string;
let seats: string[];

beforeAll(async () => {
  database = await createTestDatabase();
  a = await startTestServer({ database });
  b = await startTestServer({ database });
  admin = await token('ADMIN');
  const { bodies } = await query(a.url, BodiesOfDistrictDocument, { districtNumber: 7 });
  const council = bodies.find((body) => body.kind === 'DISTRICT_COUNCIL')!;
  councilId = council.id;
  seats = council.seats.map((seat) => seat.id);
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await database?.drop();
});

const hits = (server: TestServer) => metricValue(server, 'obrady_read_cache_hits_total');
const computations = (server: TestServer) => metricValue(server, 'obrady_read_cache_computations_total');

/** What the query answers now without any cache: the same operation with a token is never served from it. */
async function truth<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables: TVariables) {
  return await query(a.url, document, variables, bearer(admin));
}

test('a repeated anonymous query is answered from the cache: the same answer, one statement to check the data version', async () => {
  const first = await query(a.url, DistrictsDocument);
  const hitsBefore = await hits(a);
  const statementsBefore = a.statements();
  const second = await query(a.url, DistrictsDocument);
  expect(a.statements() - statementsBefore).toBe(1);
  expect(await hits(a)).toBe(hitsBefore + 1);
  expect(second).toEqual(first);
  expect(first.districts).toHaveLength(18);
});

test('no answer outlives a write: after each change of a meeting, both instances answer what the database holds', async () => {
  const clerk = await token('CLERK', { bodyIds: [councilId] });
  const scheduled = (
    await query(
      a.url,
      ScheduleSessionDocument,
      {
        input: {
          bodyId: councilId,
          termNumber: 9,
          title: 'Sesja z pamięcią podręczną',
          scheduledAt: '2026-12-03T18:00:00+01:00',
        },
      },
      bearer(clerk),
    )
  ).scheduleSession;
  const id = scheduled.id;
  const list = { filter: { bodyId: councilId }, first: 50 };
  const views = [
    [MeetingStateDocument, { id }],
    [SessionsDocument, list],
    [SessionVotesDeepDocument, { id }],
    [FloorStateDocument, { id }],
  ] as const;
  let itemIds: string[] = [];
  let recordId = '';
  let voteId = '';
  let requestId = '';
  const changes: [string, () => Promise<void>][] = [
    [
      'add an item',
      async () =>
        void (await query(a.url, AddAgendaItemDocument, { input: { sessionId: id, title: 'Punkt 1' } }, bearer(clerk))),
    ],
    [
      'add another item',
      async () => {
        await query(a.url, AddAgendaItemDocument, { input: { sessionId: id, title: 'Punkt 2' } }, bearer(clerk));
        itemIds = (await query(a.url, MeetingStateDocument, { id })).session!.agenda.map((item) => item.id);
      },
    ],
    [
      'rename an item',
      async () =>
        void (await query(
          a.url,
          UpdateAgendaItemDocument,
          { input: { id: itemIds[0], title: 'Punkt pierwszy' } },
          bearer(clerk),
        )),
    ],
    [
      'move an item',
      async () => void (await query(a.url, MoveAgendaItemDocument, { id: itemIds[1], position: 1 }, bearer(clerk))),
    ],
    [
      'record attendance',
      async () =>
        void (await query(
          a.url,
          RecordAttendanceDocument,
          { input: { sessionId: id, seatId: seats[0], status: 'PRESENT' } },
          bearer(clerk),
        )),
    ],
    [
      'invite a guest',
      async () =>
        void (await query(a.url, InviteGuestDocument, { input: { sessionId: id, fullName: 'Gość' } }, bearer(clerk))),
    ],
    ['open the session', async () => void (await query(a.url, OpenSessionDocument, { id }, bearer(clerk)))],
    [
      'start an item',
      async () => void (await query(a.url, StartAgendaItemDocument, { id: itemIds[1] }, bearer(clerk))),
    ],
    ['finish it', async () => void (await query(a.url, FinishAgendaItemDocument, { id: itemIds[1] }, bearer(clerk)))],
    ['suspend', async () => void (await query(a.url, SuspendSessionDocument, { id }, bearer(clerk)))],
    ['resume', async () => void (await query(a.url, ResumeSessionDocument, { id }, bearer(clerk)))],
    [
      'ask for the floor',
      async () => {
        recordId = (await query(a.url, MeetingStateDocument, { id })).session!.attendance.find(
          (record) => record.seat?.id === seats[0],
        )!.id;
        requestId = (
          await query(
            a.url,
            RequestFloorDocument,
            { input: { sessionId: id, attendanceRecordId: recordId } },
            bearer(clerk),
          )
        ).requestFloor.id;
      },
    ],
    ['give the floor', async () => void (await query(a.url, GrantFloorDocument, { id: requestId }, bearer(clerk)))],
    ['end the speech', async () => void (await query(a.url, EndSpeechDocument, { id: requestId }, bearer(clerk)))],
    [
      'open a vote',
      async () => {
        voteId = (await query(a.url, OpenVoteDocument, { input: { sessionId: id, subject: 'Wniosek' } }, bearer(clerk)))
          .openVote.id;
      },
    ],
    [
      'cast a ballot',
      async () =>
        void (await query(
          a.url,
          CastBallotDocument,
          { input: { voteId, seatId: seats[0]!, option: 'FOR' } },
          bearer(clerk),
        )),
    ],
    ['close the vote', async () => void (await query(a.url, CloseVoteDocument, { id: voteId }, bearer(clerk)))],
    [
      'remove an item',
      async () => void (await query(a.url, RemoveAgendaItemDocument, { id: itemIds[0] }, bearer(clerk))),
    ],
    ['close', async () => void (await query(a.url, CloseSessionDocument, { id }, bearer(clerk)))],
  ];
  const anonymous = (server: TestServer, [document, variables]: (typeof views)[number]) =>
    query(server.url, document as TypedDocumentNode<unknown, typeof variables>, variables);
  for (const view of views) {
    // Warm both caches, and prove the second ask is served from them.
    for (const server of [a, b]) {
      await anonymous(server, view);
      const before = await hits(server);
      await anonymous(server, view);
      expect(await hits(server)).toBe(before + 1);
    }
  }
  for (const [what, change] of changes) {
    const before = await Promise.all(views.map((view) => anonymous(a, view)));
    await change();
    for (const [index, view] of views.entries()) {
      const expected = await truth(view[0] as TypedDocumentNode<unknown, (typeof view)[1]>, view[1]);
      const [fromA, fromB] = await Promise.all([anonymous(a, view), anonymous(b, view)]);
      expect({ what, answer: fromA }).toEqual({ what, answer: expected });
      expect({ what, answer: fromB }).toEqual({ what, answer: expected });
      if (index === 0) expect({ what, changed: fromA }).not.toEqual({ what, changed: before[index] });
    }
  }
});

test('a write made outside the API, straight into the database, is seen by the next anonymous read', async () => {
  const before = await query(a.url, DistrictsDocument);
  await query(a.url, DistrictsDocument);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(`UPDATE district SET name = name || ' (poprawiona)' WHERE number = 1`);
    const after = await query(a.url, DistrictsDocument);
    expect(after.districts.find((district) => district.number === 1)!.name).toBe(
      `${before.districts.find((district) => district.number === 1)!.name} (poprawiona)`,
    );
    await client.query(`UPDATE district SET name = replace(name, ' (poprawiona)', '') WHERE number = 1`);
    expect(await query(b.url, DistrictsDocument)).toEqual(before);
  } finally {
    await client.end();
  }
});

/**
 * Tables only admins read (webhook endpoints and their deliveries): an anonymous query of them is refused before any
 * statement, and answers to a token are never kept, so no cached answer depends on them. The dispatcher writes
 * webhook_delivery at every attempt: bumping the data version there would throw away cached answers for nothing.
 */
const ADMIN_ONLY = ['webhook_endpoint', 'webhook_delivery'];

test('every table a query can reach moves the data version when written', async () => {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    // change_log is read only by a statement not marked for the cache (ChangeLogService): no answer that reads it
    // is ever kept, so it needs no version (one moved by every write would empty the cache at every write).
    const { rows } = await client.query<{ table: string; triggered: boolean }>(`
      SELECT c.relname AS table,
             EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = c.relname || '_bumps_data_version') AS triggered
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r'
        AND c.relname NOT IN ('migrations', 'data_version', 'session_version', 'change_log', ${ADMIN_ONLY.map((t) => `'${t}'`).join(', ')})`);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows.filter((row) => !row.triggered).map((row) => row.table)).toEqual([]);
  } finally {
    await client.end();
  }
});

test('requests with a token, answers with errors, and mutations are never served from the cache; contact details never reach it', async () => {
  const someone = await personWithContactDetails();
  const hitsBefore = await hits(a);
  // With a token: the same bytes twice, each run in full.
  for (let i = 0; i < 2; i += 1) await query(a.url, DistrictsDocument, {}, bearer(admin));
  expect(await hits(a)).toBe(hitsBefore);
  // An answer with an error is not kept: the same bad request twice, each refused by running it.
  for (let i = 0; i < 2; i += 1) {
    const refused = await post(a.url, SecurityPersonContactDocument, { id: 'not-an-id' });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  }
  expect(await hits(a)).toBe(hitsBefore);
  // A mutation is never answered from the cache, even sent twice with the same bytes (here refused, anonymous).
  for (let i = 0; i < 2; i += 1) {
    const refused = await post(a.url, OpenSessionDocument, { id: someone });
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  }
  expect(await hits(a)).toBe(hitsBefore);
  // The admin sees the contact details; anonymous callers, asking with the same bytes, never do.
  const asAdmin = await query(a.url, SecurityPersonContactDocument, { id: someone }, bearer(admin));
  expect(asAdmin.person).toMatchObject({ email: 'cache.test@example.org' });
  for (let i = 0; i < 2; i += 1) {
    const anonymous = await query(a.url, SecurityPersonContactDocument, { id: someone });
    expect(anonymous.person).toMatchObject({ email: null, phone: null });
  }
  expect(await hits(a)).toBe(hitsBefore + 1);
  expect(await query(a.url, SecurityPersonContactDocument, { id: someone }, bearer(admin))).toEqual(asAdmin);
});

test('a full cache lets the least recently used answers go, and keeps one asked again and again', async () => {
  // Room for a few answers only: each new one lets the oldest go, but the one asked between them stays.
  const small = await startTestServer({ database, env: { READ_CACHE_BYTES: String(64 * 1024) } });
  try {
    // The same query, a different body each (an undeclared variable, which GraphQL ignores): a different answer kept.
    const ask = (title: string) =>
      fetch(small.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query Kept { districts { name } }', variables: { n: title } }),
      }).then((response) => response.text());
    await ask('kept');
    await ask('first');
    for (let i = 0; i < 200; i += 1) {
      await ask(`other ${i}`);
      const before = await hits(small);
      await ask('kept');
      expect({ i, kept: (await hits(small)) - before }).toEqual({ i, kept: 1 });
    }
    // The answer asked once at the start has gone: asked again, it is computed.
    const before = await computations(small);
    await ask('first');
    expect((await computations(small)) - before).toBe(1);
  } finally {
    await small.stop();
  }
});

test('READ_CACHE_BYTES=0 turns the cache off', async () => {
  const off = await startTestServer({ database, env: { READ_CACHE_BYTES: '0' } });
  try {
    await query(off.url, DistrictsDocument);
    const before = off.statements();
    await query(off.url, DistrictsDocument);
    expect(off.statements() - before).toBeGreaterThan(1);
    expect(await hits(off)).toBe(0);
  } finally {
    await off.stop();
  }
});

async function personWithContactDetails(): Promise<string> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: number }>(
      `UPDATE person SET email = 'cache.test@example.org' WHERE id = (SELECT min(id) FROM person) RETURNING id`,
    );
    return toGlobalId('Person', Number(rows[0]!.id));
  } finally {
    await client.end();
  }
}

describe('finer and single-flight', () => {
  async function openSession(title: string): Promise<string> {
    const { scheduleSession } = await query(
      a.url,
      ScheduleSessionDocument,
      { input: { bodyId: councilId, termNumber: 9, title, scheduledAt: '2026-12-04T18:00:00+01:00' } },
      bearer(admin),
    );
    await query(a.url, OpenSessionDocument, { id: scheduleSession.id }, bearer(admin));
    return scheduleSession.id;
  }
  const attend = (sessionId: string, seat: number, status: 'PRESENT' | 'ABSENT') =>
    query(a.url, RecordAttendanceDocument, { input: { sessionId, seatId: seats[seat]!, status } }, bearer(admin));

  test('a write in one session leaves the answers about another standing, and the written one is computed again', async () => {
    const [one, other] = [await openSession('Sesja A'), await openSession('Sesja B')];
    for (const id of [one, other]) await query(a.url, MeetingStateDocument, { id });
    await attend(one, 0, 'PRESENT');
    const [hitsBefore, computedBefore] = [await hits(a), await computations(a)];
    const otherAgain = await query(a.url, MeetingStateDocument, { id: other });
    expect([await hits(a), await computations(a)]).toEqual([hitsBefore + 1, computedBefore]);
    expect(otherAgain).toEqual(await truth(MeetingStateDocument, { id: other }));
    const oneAgain = await query(a.url, MeetingStateDocument, { id: one });
    expect(await computations(a)).toBe(computedBefore + 1);
    expect(oneAgain.session!.quorum.present).toBe(1);
    expect(oneAgain).toEqual(await truth(MeetingStateDocument, { id: one }));
  });

  test('concurrent misses for the same answer wait for one computation, and all get it', async () => {
    const id = await openSession('Sesja C');
    await query(a.url, MeetingStateDocument, { id });
    await attend(id, 1, 'PRESENT');
    const before = await computations(a);
    const answers = await Promise.all(Array.from({ length: 20 }, () => query(a.url, MeetingStateDocument, { id })));
    expect(await computations(a)).toBe(before + 1);
    const expected = await truth(MeetingStateDocument, { id });
    for (const answer of answers) expect(answer).toEqual(expected);
  });

  test("a write straight into a session's data in the database is seen by the next read, on both instances", async () => {
    const id = await openSession('Sesja D');
    await query(a.url, AddAgendaItemDocument, { input: { sessionId: id, title: 'Punkt z API' } }, bearer(admin));
    for (const server of [a, b]) await query(server.url, MeetingStateDocument, { id });
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(`UPDATE agenda_item SET title = 'Punkt poprawiony w bazie' WHERE session_id = $1`, [
        Number(Buffer.from(id, 'base64url').toString().split(':')[1]),
      ]);
    } finally {
      await client.end();
    }
    for (const server of [a, b]) {
      expect((await query(server.url, MeetingStateDocument, { id })).session!.agenda[0]!.title).toBe(
        'Punkt poprawiony w bazie',
      );
    }
  });
});
