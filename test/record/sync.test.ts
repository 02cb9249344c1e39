import pg from 'pg';
import {
  AddAgendaItemDocument,
  ChangesDocument,
  RecordAttendanceDocument,
  RemoveAgendaItemDocument,
  SessionsUpdatedSinceDocument,
  UpdatedAtDocument,
} from '../generated/graphql';
import type { ChangesQuery, SessionsUpdatedSinceQuery } from '../generated/graphql';
import {
  bearer,
  codes,
  councilOf,
  createSeatHolder,
  gid,
  keyOf,
  post,
  query,
  scheduleSession,
  sql,
  startTestServer,
  statementsOf,
  token,
  waitFor,
} from '../support';
import type { TestServer } from '../support';

/**
 * Incremental sync: Query.changes followed by a client through concurrent writers and transactions held open
 * (what it sees against what the log holds and what the writers did), Session.updatedAt and Person.updatedAt and
 * what moves them, and sessions(filter: { updatedSince }, orderBy: UPDATED_AT_ASC).
 */

type Entry = ChangesQuery['changes']['edges'][number];

let server: TestServer;
let admin: string;

beforeAll(async () => {
  server = await startTestServer();
  admin = await token('ADMIN');
});

afterAll(async () => {
  await server?.stop();
});

/** A mirror's loop: pages of changes after its cursor, keeping the cursor when a page is empty. */
class Follower {
  readonly seen: Entry[] = [];
  cursor: string | null = null;
  polls = 0;

  constructor(public pageSize: number) {}

  /** One poll: every page there is now. True if it got anything. */
  async poll(): Promise<boolean> {
    this.polls++;
    let got = false;
    for (;;) {
      const { changes } = await query(server.url, ChangesDocument, { after: this.cursor, first: this.pageSize });
      this.seen.push(...changes.edges);
      got ||= changes.edges.length > 0;
      this.cursor = changes.pageInfo.endCursor ?? this.cursor;
      if (!changes.pageInfo.hasNextPage) return got;
    }
  }
}

/** What the log holds after a cursor's place, read directly, in the order a follower must see it. */
async function logAfter(position: { xid: string; ordinal: string }) {
  return sql<{ typename: string; row_id: number; operation: string; xid: string; ordinal: string }>(
    server,
    `SELECT typename, row_id, operation, xid::text AS xid, ordinal::text AS ordinal FROM change_log
      WHERE (xid, ordinal) > ($1::xid8, $2::bigint) ORDER BY xid, ordinal`,
    [position.xid, position.ordinal],
  );
}

/** The place a cursor names (its decoded form), to compare with the log read in SQL. */
function placeOf(cursor: string | null): { xid: string; ordinal: string } {
  if (cursor === null) return { xid: '0', ordinal: '0' };
  const [, xid, ordinal] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as string[];
  return { xid: xid!, ordinal: ordinal! };
}

const keyed = (entry: Entry): string => `${entry.node.typename}:${keyOf(entry.node.id)}:${entry.node.operation}`;

test('a follower sees every committed change exactly once, in commit order, including a transaction that began early and committed late', async () => {
  const follower = new Follower(100);
  // From the start of the log: the record as it was before the log, then everything since.
  await follower.poll();
  const start = follower.cursor;
  // Small pages from now on, so that the follower's cursor lands between the writers' entries.
  follower.pageSize = 7;
  expect(follower.seen.filter((entry) => entry.node.typename === 'District')).toHaveLength(
    Number((await sql<{ n: string }>(server, 'SELECT count(*) AS n FROM district'))[0]!.n),
  );
  const seenAtStart = follower.seen.length;

  const council = await councilOf(server, 5);
  const sessions = await Promise.all(
    [1, 2, 3].map((n) => scheduleSession(server, admin, council.bodyGid, `Sesja synchronizowana ${n}`)),
  );
  // The open transactions write where the clerks do not (they would wait for their locks): the late one renames a
  // session of its own and adds a person, the other one adds an agenda item to another session, then rolls back.
  const quiet = await scheduleSession(server, admin, council.bodyGid, 'Sesja zmieniana późno');
  const aside = await scheduleSession(server, admin, council.bodyGid, 'Sesja z punktem wycofanym');

  // A transaction that begins (and writes) first, and commits last.
  const late = new pg.Client({ connectionString: server.database.url });
  const rolledBack = new pg.Client({ connectionString: server.database.url });
  await late.connect();
  await rolledBack.connect();
  await late.query('BEGIN');
  const [latePerson] = (
    await late.query<{ id: number }>(`INSERT INTO person (full_name) VALUES ('Zapisana Późno') RETURNING id`)
  ).rows;
  await late.query(`UPDATE session SET title = 'Tytuł zmieniony późno' WHERE id = $1`, [keyOf(quiet)]);
  const lateOrdinals = (
    await late.query<{ ordinal: string }>(
      'SELECT ordinal::text AS ordinal FROM change_log WHERE xid = pg_current_xact_id()',
    )
  ).rows.map((row) => BigInt(row.ordinal));
  await rolledBack.query('BEGIN');
  const [ghost] = (
    await rolledBack.query<{ id: number }>(
      `INSERT INTO agenda_item (session_id, position, title) VALUES ($1, 1, 'Wycofany') RETURNING id`,
      [keyOf(aside)],
    )
  ).rows;

  // The follower keeps polling while clerks write in three sessions at once, and the two transactions stay open.
  let following = true;
  const polling = (async () => {
    while (following) {
      await follower.poll();
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  })();
  const as = bearer(admin);
  const written = await Promise.all(
    sessions.map(async (sessionId) => {
      const items: string[] = [];
      for (const title of ['Otwarcie', 'Sprawozdanie', 'Wolne wnioski']) {
        items.push(
          (await query(server.url, AddAgendaItemDocument, { input: { sessionId, title } }, as)).addAgendaItem.id,
        );
      }
      await query(server.url, RemoveAgendaItemDocument, { id: items[1]! }, as);
      return { sessionId, kept: [items[0]!, items[2]!], removed: items[1]! };
    }),
  );
  const pollsWhileOpen = follower.polls;
  await waitFor(() => follower.polls >= pollsWhileOpen + 3, 'the follower polling while a transaction is open');
  // Nothing of the open transactions has been seen.
  expect(follower.seen.map(keyed)).not.toContain(`Person:${latePerson!.id}:UPSERT`);
  // What committed meanwhile was logged after the late transaction's entries were: a cursor on the ordinal (or
  // on a time) would have passed them by now.
  const [committedMeanwhile] = await sql<{ ordinal: string }>(
    server,
    `SELECT max(ordinal)::text AS ordinal FROM change_log WHERE typename = 'AgendaItem' AND row_id = $1`,
    [keyOf(written[2]!.kept[1]!)],
  );
  expect(BigInt(committedMeanwhile!.ordinal)).toBeGreaterThan(lateOrdinals.reduce((a, b) => (a > b ? a : b)));

  await rolledBack.query('ROLLBACK');
  await late.query('COMMIT');
  await Promise.all([late.end(), rolledBack.end()]);

  // Everything committed is in the log: the follower catches up with it (other databases' transactions on the
  // same server may hold it back for a moment).
  const expected = await logAfter(placeOf(start));
  const last = expected[expected.length - 1]!;
  await waitFor(
    () => follower.seen.some((entry) => entry.cursor && placeOf(entry.cursor).ordinal === last.ordinal),
    'the follower reaching the end of the log',
    60_000,
  );
  following = false;
  await polling;

  const seen = follower.seen.slice(seenAtStart);
  // Exactly the log, in its order, each entry once.
  expect(seen.map((entry) => placeOf(entry.cursor))).toEqual(
    expected.map((row) => ({ xid: row.xid, ordinal: row.ordinal })),
  );
  expect(new Set(seen.map((entry) => entry.cursor)).size).toBe(seen.length);
  expect(seen.map(keyed)).toEqual(expected.map((row) => `${row.typename}:${row.row_id}:${row.operation}`));

  // And the log is what the writers did.
  const keys = new Set(seen.map(keyed));
  for (const { sessionId, kept, removed } of written) {
    for (const item of kept) expect(keys).toContain(`AgendaItem:${keyOf(item)}:UPSERT`);
    expect(keys).toContain(`AgendaItem:${keyOf(removed)}:DELETE`);
    expect(keys).toContain(`Session:${keyOf(sessionId)}:UPSERT`);
  }
  expect(keys).toContain(`Person:${latePerson!.id}:UPSERT`);
  expect(seen.map(keyed).filter((key) => key.startsWith(`AgendaItem:${ghost!.id}:`))).toEqual([]);
  const lateSession = seen.filter((entry) => entry.node.typename === 'Session' && entry.node.id === quiet);
  expect(lateSession.at(-1)!.node.node).toMatchObject({ title: 'Tytuł zmieniony późno' });
  // A removed row is named, with nothing to fetch.
  const removed = seen.find((entry) => entry.node.operation === 'DELETE')!;
  expect(removed.node).toMatchObject({ typename: 'AgendaItem', node: null });
  // One entry per row per transaction: a session written by one mutation appears once for it, not per statement.
  const perTransaction = new Map<string, number>();
  for (const row of expected) {
    const key = `${row.xid}/${row.typename}/${row.row_id}`;
    perTransaction.set(key, (perTransaction.get(key) ?? 0) + 1);
  }
  expect(Math.max(...perTransaction.values())).toBe(1);
});

test('Session.updatedAt moves with any change inside the session; sessions updatedSince lists them in that order', async () => {
  const council = await councilOf(server, 11);
  const holder = await createSeatHolder(server, 11);
  const as = bearer(admin);
  const [first, second, third] = [
    await scheduleSession(server, admin, council.bodyGid, 'Pierwsza'),
    await scheduleSession(server, admin, council.bodyGid, 'Druga'),
    await scheduleSession(server, admin, council.bodyGid, 'Trzecia'),
  ];
  const updatedAt = async (sessionId: string) =>
    (await query(server.url, UpdatedAtDocument, { sessionId, personId: holder.personGid })).session!.updatedAt;
  const before = await updatedAt(first);
  // Anonymous reads are cached: the next one after a write must not be the old answer.
  expect(await updatedAt(first)).toBe(before);
  await new Promise((resolve) => setTimeout(resolve, 5));
  await query(server.url, AddAgendaItemDocument, { input: { sessionId: first, title: 'Punkt' } }, as);
  const afterAgenda = await updatedAt(first);
  expect(new Date(afterAgenda).getTime()).toBeGreaterThan(new Date(before).getTime());

  // Since a time: the sessions changed at or after it, least recently changed first, a page of one at a time.
  const since = afterAgenda;
  await new Promise((resolve) => setTimeout(resolve, 5));
  await query(server.url, AddAgendaItemDocument, { input: { sessionId: third, title: 'Punkt' } }, as);
  await new Promise((resolve) => setTimeout(resolve, 5));
  await sql(server, `UPDATE agenda_item SET title = 'Zmieniony w psql' WHERE session_id = $1`, [keyOf(first)]);
  const pages: { id: string; updatedAt: string }[] = [];
  let after: string | null = null;
  for (;;) {
    const { sessions }: SessionsUpdatedSinceQuery = await query(server.url, SessionsUpdatedSinceDocument, {
      since,
      first: 1,
      after,
    });
    pages.push(...sessions.edges.map((edge) => edge.node));
    expect(sessions.totalCount).toBe(2);
    if (!sessions.pageInfo.hasNextPage) break;
    after = sessions.pageInfo.endCursor!;
  }
  expect(pages.map((session) => session.id)).toEqual([third, first]);
  expect(pages.map((session) => session.updatedAt)).toEqual(
    [...pages.map((session) => session.updatedAt)].sort((a, b) => a.localeCompare(b)),
  );
  // What the list shows agrees with the database: every session whose version row was stamped at or after `since`.
  const fromSql = await sql<{ id: number }>(
    server,
    'SELECT session_id AS id FROM session_version WHERE updated_at >= $1 ORDER BY updated_at, session_id',
    [since],
  );
  expect(pages.map((session) => keyOf(session.id))).toEqual(fromSql.map((row) => row.id));
  expect(pages.map((session) => session.id)).not.toContain(second);

  // A cursor of another order, or garbage, is the caller's mistake.
  const wrong = await post(server.url, SessionsUpdatedSinceDocument, { since, after: 'bm90LWEtY3Vyc29y' });
  expect(codes(wrong)).toEqual(['BAD_USER_INPUT']);
});

test('Person.updatedAt moves with their name and mandates, not with contact details, which the log never shows', async () => {
  const holder = await createSeatHolder(server, 12);
  const council = await councilOf(server, 12);
  const sessionId = await scheduleSession(server, admin, council.bodyGid);
  const personAt = async () =>
    (await query(server.url, UpdatedAtDocument, { sessionId, personId: holder.personGid })).node as {
      updatedAt: string;
    };
  const follower = new Follower(100);
  // Caught up with the setup: its last transaction (the session's) is shown, so every earlier one is too. A
  // transaction open elsewhere on the server (another test file's, when they run side by side) holds the log back
  // meanwhile: polling until then, not once, keeps the setup's own entries out of what is counted below.
  const session = `Session:${keyOf(sessionId)}:UPSERT`;
  await waitFor(
    async () => (await follower.poll(), follower.seen.some((entry) => keyed(entry) === session)),
    'the setup in the change log',
    60_000,
  );
  for (;;) if (!(await follower.poll())) break;
  const before = (await personAt()).updatedAt;

  await sql(server, `UPDATE person SET email = 'nowy@example.org', phone = '+48 12 000 00 00' WHERE id = $1`, [
    holder.personId,
  ]);
  expect((await personAt()).updatedAt).toBe(before);

  await new Promise((resolve) => setTimeout(resolve, 5));
  await sql(server, `UPDATE mandate SET title = 'Przewodnicząca Zarządu' WHERE person_id = $1`, [holder.personId]);
  const afterMandate = (await personAt()).updatedAt;
  expect(new Date(afterMandate).getTime()).toBeGreaterThan(new Date(before).getTime());

  const count = follower.seen.length;
  await waitFor(async () => (await follower.poll()) || follower.seen.length > count, 'the mandate change', 60_000);
  const entries = follower.seen.slice(count);
  // The contact details' change is not there; the mandate's is, as its person and its seat.
  expect(entries.map(keyed)).toEqual(
    expect.arrayContaining([`Person:${holder.personId}:UPSERT`, `Seat:${keyOf(holder.seatGid)}:UPSERT`]),
  );
  const personEntries = entries.filter((entry) => entry.node.typename === 'Person');
  expect(personEntries).toHaveLength(1);
  // Anonymous, the node is the public person: no contact details.
  expect(personEntries[0]!.node.node).toEqual({
    id: holder.personGid,
    fullName: expect.any(String),
    updatedAt: afterMandate,
    email: null,
  });
  // Even a token that may see contact details reads them from the person, not from the log: the log has no copy.
  const columns = await sql<{ column_name: string }>(
    server,
    `SELECT column_name FROM information_schema.columns WHERE table_name = 'change_log'`,
  );
  expect(columns.map((c) => c.column_name).sort()).toEqual(
    ['changed_at', 'operation', 'ordinal', 'row_id', 'typename', 'xid'].sort(),
  );
});

test('attendance moves the session, not the person; a bad cursor or page size is refused and changes nothing', async () => {
  const council = await councilOf(server, 13);
  const holder = await createSeatHolder(server, 13);
  const sessionId = await scheduleSession(server, admin, council.bodyGid);
  const read = () => query(server.url, UpdatedAtDocument, { sessionId, personId: holder.personGid });
  const before = await read();
  await new Promise((resolve) => setTimeout(resolve, 5));
  await query(
    server.url,
    RecordAttendanceDocument,
    { input: { sessionId, seatId: holder.seatGid, status: 'EXCUSED' } },
    bearer(admin),
  );
  const after = await read();
  expect(new Date(after.session!.updatedAt).getTime()).toBeGreaterThan(new Date(before.session!.updatedAt).getTime());
  expect(after.node).toEqual(before.node);

  for (const variables of [
    { after: 'garbage' },
    { after: Buffer.from(JSON.stringify(['ch', '1', '-1'])).toString('base64url') },
    { after: Buffer.from(JSON.stringify(['ch', '18446744073709551616', '1'])).toString('base64url') },
    { after: Buffer.from(JSON.stringify(['sd', 1, 1])).toString('base64url') },
    { first: 101 },
    { first: -1 },
  ]) {
    expect(codes(await post(server.url, ChangesDocument, variables))).toEqual(['BAD_USER_INPUT']);
  }
  expect(gid('Session', keyOf(sessionId))).toBe(sessionId);
});

test('a page of changes costs one statement, and one more per type of node it shows, whatever its length', async () => {
  const cost = async (first: number) => {
    let answer: ChangesQuery | null = null;
    const statements = await statementsOf(server, async () => {
      answer = await query(server.url, ChangesDocument, { first });
    });
    const types = new Set(answer!.changes.edges.map((edge) => edge.node.typename));
    // A Session's updatedAt is read from its version row, in one more statement.
    return { statements, loaders: types.size + (types.has('Session') ? 1 : 0), edges: answer!.changes.edges.length };
  };
  const one = await cost(1);
  const hundred = await cost(100);
  expect(hundred.edges).toBe(100);
  expect(hundred.loaders).toBeGreaterThan(1);
  expect(hundred.statements - one.statements).toBe(hundred.loaders - one.loaders);
});
