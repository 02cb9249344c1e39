import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { seedDemoData } from '../../src/db/seed/demo-data';
import {
  AttendanceStatsDocument,
  CancelSessionDocument,
  CloseSessionDocument,
  InviteGuestDocument,
  OpenSessionDocument,
  PeopleHistoriesDocument,
  PersonHistoryDocument,
  RecordAttendanceDocument,
} from '../generated/graphql';
import type {
  AttendanceStatsQuery,
  PersonHistoryQuery,
  RecordAttendanceInput,
  StatsGrouping,
} from '../generated/graphql';
import {
  bearer,
  codes,
  conventionOf,
  councilOf,
  gid,
  keyOf,
  ok,
  post,
  query,
  scheduleSession,
  sql,
  startTestServer,
  token,
  statementsOf,
} from '../support';
import type { TestServer } from '../support';

/**
 * Query.attendanceStats and the history behind it (Person.attendance, Person.ballots): the figures of the demo data
 * against counts written here by hand in SQL, a small meeting held through the API with exact figures, mandates
 * that begin in the middle of a term, and the statements it costs.
 */

type Stat = AttendanceStatsQuery['attendanceStats'][number];
type Figures = Pick<
  Stat,
  'sessions' | 'present' | 'remote' | 'excused' | 'absent' | 'leftEarly' | 'byDeputy' | 'notRecorded' | 'rate'
>;

const figures = (stat: Stat): Figures => ({
  sessions: stat.sessions,
  present: stat.present,
  remote: stat.remote,
  excused: stat.excused,
  absent: stat.absent,
  leftEarly: stat.leftEarly,
  byDeputy: stat.byDeputy,
  notRecorded: stat.notRecorded,
  rate: stat.rate ?? null,
});

const stats = async (
  server: TestServer,
  termNumber: number,
  groupBy: StatsGrouping,
  filter: { bodyId?: string; districtNumber?: number } = {},
) => (await query(server.url, AttendanceStatsDocument, { termNumber, groupBy, ...filter })).attendanceStats;

describe('the demo data', () => {
  let demo: TestServer;
  beforeAll(async () => {
    demo = await startTestServer();
    await seedDemoData(demo.server.database.dataSource, 200);
  }, 120_000);
  afterAll(() => demo?.stop());

  /**
   * The count by hand: every seat against every session of its body whose status says it met, and the seat's record
   * there by a correlated look-up; a person through each of their mandates. Written apart from the service's
   * statement on purpose: if both agree, both read the rules the same way.
   */
  async function byHand(termNumber: number, groupBy: StatsGrouping): Promise<Map<string, Figures>> {
    const key = {
      SEAT: `'Seat:' || st.id`,
      PERSON: `'Person:' || m.person_id`,
      BODY: `'Body:' || st.body_id`,
      DISTRICT: `'District:' || st.district_id`,
    }[groupBy];
    const person = groupBy === 'PERSON';
    const rows = await sql<Figures & { key: string }>(
      demo,
      `SELECT key,
              count(*)::int AS sessions,
              sum(CASE WHEN status = 'PRESENT' OR status = 'LEFT' THEN 1 ELSE 0 END)::int AS present,
              sum(CASE WHEN (status = 'PRESENT' OR status = 'LEFT') AND mode = 'REMOTE' THEN 1 ELSE 0 END)::int AS remote,
              sum(CASE WHEN status = 'EXCUSED' THEN 1 ELSE 0 END)::int AS excused,
              sum(CASE WHEN status = 'ABSENT' THEN 1 ELSE 0 END)::int AS absent,
              sum(CASE WHEN status = 'LEFT' THEN 1 ELSE 0 END)::int AS "leftEarly",
              sum(CASE WHEN (status = 'PRESENT' OR status = 'LEFT') AND capacity = 'DEPUTY' THEN 1 ELSE 0 END)::int AS "byDeputy",
              sum(CASE WHEN coalesce(status, 'EXPECTED') IN ('EXPECTED', 'CONFIRMED') THEN 1 ELSE 0 END)::int AS "notRecorded"
       FROM (
         SELECT ${key} AS key,
                (SELECT r.status FROM attendance_record r WHERE r.session_id = s.id AND r.seat_id = st.id) AS status,
                (SELECT r.mode FROM attendance_record r WHERE r.session_id = s.id AND r.seat_id = st.id) AS mode,
                (SELECT r.capacity FROM attendance_record r WHERE r.session_id = s.id AND r.seat_id = st.id) AS capacity
         FROM session s
         JOIN term t ON t.id = s.term_id AND t.number = $1
         JOIN seat st ON st.body_id = s.body_id
         ${person ? 'JOIN mandate m ON m.seat_id = st.id AND m.term_id = t.id' : ''}
         WHERE s.status IN ('IN_PROGRESS', 'SUSPENDED', 'CLOSED')
           ${groupBy === 'DISTRICT' ? 'AND st.district_id IS NOT NULL' : ''}
           ${
             person
               ? `AND (m.starts_on IS NULL OR m.starts_on <= (s.started_at AT TIME ZONE 'Europe/Warsaw')::date)
                       AND (m.ends_on IS NULL OR m.ends_on >= (s.started_at AT TIME ZONE 'Europe/Warsaw')::date)`
               : ''
           }
       ) line GROUP BY key`,
      [termNumber],
    );
    return new Map(
      rows.map(({ key: k, ...counts }) => {
        const [type, id] = k.split(':');
        const recorded = counts.sessions - counts.notRecorded;
        return [
          gid(type as 'Seat', Number(id)),
          { ...counts, rate: recorded === 0 ? null : counts.present / recorded },
        ] as const;
      }),
    );
  }

  const keyOfLine = (line: Stat, groupBy: StatsGrouping): string =>
    ({ SEAT: line.seat, PERSON: line.person, BODY: line.body, DISTRICT: line.district })[groupBy]!.id;

  it.each(['SEAT', 'PERSON', 'BODY', 'DISTRICT'] as const)(
    'the %s lines of terms VIII and IX agree with a count by hand',
    async (groupBy) => {
      for (const term of [8, 9]) {
        const lines = await stats(demo, term, groupBy);
        const expected = await byHand(term, groupBy);
        expect(lines.length).toBeGreaterThan(0);
        const got = new Map(lines.map((line) => [keyOfLine(line, groupBy), figures(line)]));
        expect(got.size).toBe(lines.length);
        expect(got).toEqual(expected);
      }
    },
  );

  it('counts deputies for the seat and its holder, and leaves out what was not held', async () => {
    const seats = await stats(demo, 9, 'SEAT');
    expect(seats.some((line) => line.byDeputy > 0)).toBe(true);
    // No deputy appears as a person: they hold no mandate.
    const people = await stats(demo, 9, 'PERSON');
    const deputies = await sql<{ person_id: number }>(
      demo,
      "SELECT DISTINCT person_id FROM attendance_record WHERE capacity = 'DEPUTY'",
    );
    expect(deputies.length).toBeGreaterThan(0);
    const listed = new Set(people.map((line) => line.person!.id));
    expect(deputies.some((d) => listed.has(gid('Person', d.person_id)))).toBe(false);
    // Sessions scheduled or cancelled count for nobody: a seat's sessions are fewer than its body's sessions.
    const [held] = await sql<{ held: number; all: number }>(
      demo,
      `SELECT count(*) FILTER (WHERE s.started_at IS NOT NULL AND s.status <> 'CANCELLED')::int AS held, count(*)::int AS all
       FROM session s JOIN term t ON t.id = s.term_id WHERE t.number = 9`,
    );
    const bodies = await stats(demo, 9, 'BODY');
    const seatCount = await sql<{ body_id: number; n: number }>(
      demo,
      'SELECT body_id, count(*)::int AS n FROM seat GROUP BY body_id',
    );
    const seatsOf = new Map(seatCount.map((row) => [gid('Body', row.body_id), row.n]));
    const sessionsHeld = bodies.reduce((sum, line) => sum + line.sessions / seatsOf.get(line.body!.id)!, 0);
    expect(sessionsHeld).toBe(held!.held);
    expect(held!.held).toBeLessThan(held!.all);
  });

  /** The district council that met most in term IX, and its district. */
  async function busiestCouncil(): Promise<{ bodyGid: string; districtNumber: number; seats: number }> {
    const [row] = await sql<{ body_id: number; number: number; seats: number }>(
      demo,
      `SELECT b.id AS body_id, d.number, (SELECT count(*)::int FROM seat WHERE body_id = b.id) AS seats
       FROM body b JOIN district d ON d.id = b.district_id JOIN session s ON s.body_id = b.id
       JOIN term t ON t.id = s.term_id AND t.number = 9
       WHERE b.kind = 'DISTRICT_COUNCIL' AND s.status = 'CLOSED'
       GROUP BY b.id, d.number ORDER BY count(*) DESC, b.id LIMIT 1`,
    );
    return { bodyGid: gid('Body', row!.body_id), districtNumber: row!.number, seats: row!.seats };
  }

  it('filters by body and by district, and lists no contact details', async () => {
    const council = await busiestCouncil();
    const ofBody = await stats(demo, 9, 'SEAT', { bodyId: council.bodyGid });
    expect(ofBody.length).toBe(council.seats);
    expect(ofBody.every((line) => line.body!.id === council.bodyGid)).toBe(true);
    const ofDistrict = await stats(demo, 9, 'SEAT', { districtNumber: council.districtNumber });
    expect(ofDistrict.every((line) => line.district!.number === council.districtNumber)).toBe(true);
    expect(ofDistrict.length).toBeGreaterThan(ofBody.length); // the board's seats and the Convention's seat too
    const people = await stats(demo, 9, 'PERSON', { districtNumber: council.districtNumber });
    expect(people.length).toBeGreaterThan(0);
    expect(people.every((line) => line.person!.email === null && line.person!.phone === null)).toBe(true);
  });

  it('costs the same statements for a body with few sessions as for the whole term', async () => {
    const council = await busiestCouncil();
    for (const groupBy of ['SEAT', 'PERSON', 'BODY', 'DISTRICT'] as const) {
      let few = 0;
      let many = 0;
      const small = await statementsOf(demo, async () => {
        few = (await stats(demo, 9, groupBy, { bodyId: council.bodyGid })).length;
      });
      const large = await statementsOf(demo, async () => {
        many = (await stats(demo, 9, groupBy)).length;
      });
      expect(many).toBeGreaterThan(few);
      expect(large).toBe(small);
      expect(large).toBeLessThanOrEqual(6);
    }
  });

  /** The person with the most records in held sessions, and their ballots in OPEN votes, newest first, by hand. */
  async function busiest(): Promise<{
    id: string;
    records: number[];
    ballots: { option: string | null; seat: number }[];
  }> {
    const [top] = await sql<{ person_id: number }>(
      demo,
      `SELECT b.person_id FROM ballot b GROUP BY b.person_id ORDER BY count(*) DESC, b.person_id LIMIT 1`,
    );
    const personId = top!.person_id;
    const records = await sql<{ id: number }>(
      demo,
      `SELECT r.id FROM attendance_record r, session s
       WHERE s.id = r.session_id AND $1 IN (r.person_id, r.on_behalf_of_id)
         AND s.status IN ('IN_PROGRESS', 'SUSPENDED', 'CLOSED')
       ORDER BY s.scheduled_at DESC, r.id DESC`,
      [personId],
    );
    const ballots = await sql<{ option: string | null; seat: number }>(
      demo,
      `SELECT b.option, b.seat_id AS seat FROM ballot b, vote v, session s
       WHERE v.id = b.vote_id AND s.id = v.session_id AND b.person_id = $1 AND v.secrecy = 'OPEN'
       ORDER BY s.scheduled_at DESC, b.id DESC`,
      [personId],
    );
    return { id: gid('Person', personId), records: records.map((r) => r.id), ballots };
  }

  it('Person.attendance and Person.ballots page through the history, newest first, with totalCount', async () => {
    const person = await busiest();
    expect(person.records.length).toBeGreaterThan(7);
    expect(person.ballots.length).toBeGreaterThan(7);
    const records: number[] = [];
    const ballots: { option: string | null; seat: number }[] = [];
    let after: string | null | undefined;
    let pages = 0;
    for (;;) {
      const { person: page } = await query(demo.url, PersonHistoryDocument, {
        id: person.id,
        first: 7,
        attendanceAfter: after,
      });
      const attendance = page!.attendance;
      expect(attendance.totalCount).toBe(person.records.length);
      records.push(...attendance.edges.map((edge) => keyOf(edge.node.id)));
      expect(attendance.edges.every((edge) => edge.node.session.scheduledAt)).toBe(true);
      pages += 1;
      if (!attendance.pageInfo.hasNextPage) break;
      after = attendance.pageInfo.endCursor;
    }
    expect(records).toEqual(person.records);
    expect(pages).toBe(Math.ceil(person.records.length / 7));
    after = undefined;
    for (;;) {
      const page: PersonHistoryQuery['person'] = (
        await query(demo.url, PersonHistoryDocument, { id: person.id, first: 7, ballotsAfter: after })
      ).person;
      expect(page!.ballots.totalCount).toBe(person.ballots.length);
      ballots.push(...page!.ballots.nodes.map((b) => ({ option: b.option ?? null, seat: keyOf(b.seat.id) })));
      if (!page!.ballots.pageInfo.hasNextPage) break;
      after = page!.ballots.pageInfo.endCursor;
    }
    expect(ballots).toEqual(person.ballots);
  });

  it('lists many people with their histories at the cost of a few', async () => {
    const small = await statementsOf(demo, async () => {
      const { people } = await query(demo.url, PeopleHistoriesDocument, { first: 5, search: 'Demo Person' });
      expect(people.nodes).toHaveLength(5);
    });
    const large = await statementsOf(demo, async () => {
      const { people } = await query(demo.url, PeopleHistoriesDocument, { first: 60, search: 'Demo Person' });
      expect(people.nodes).toHaveLength(60);
      expect(people.nodes.some((p) => p.attendance.totalCount > 3 && p.attendance.nodes.length === 3)).toBe(true);
    });
    expect(large).toBe(small);
  });

  // Last: a refused page leaves its sibling fields finishing in the background, which would blur a count of statements.
  it('refuses a cursor it did not issue, or one of the other list', async () => {
    const person = await busiest();
    const { person: page } = await query(demo.url, PersonHistoryDocument, { id: person.id, first: 2 });
    const ballotsOnly = `query { person(id: "${person.id}") { ballots(first: 2, after: "${page!.attendance.pageInfo.endCursor}") { totalCount } } }`;
    const crossed = await post(demo.url, parse(ballotsOnly) as TypedDocumentNode<unknown, unknown>, {});
    expect(codes(crossed)).toEqual(['BAD_USER_INPUT']);
    const garbage = await post(demo.url, PersonHistoryDocument, {
      id: person.id,
      first: 2,
      attendanceAfter: 'bm90LWEtY3Vyc29y',
    });
    expect(codes(garbage)).toContain('BAD_USER_INPUT');
  });
});

describe('a meeting held through the API', () => {
  let server: TestServer;
  let admin: string;
  let council: Awaited<ReturnType<typeof councilOf>>;
  let convention: Awaited<ReturnType<typeof conventionOf>>;
  /** People holding the council's first seven seats; seat 6 changes hands a month ago. */
  const people: Record<string, number> = {};
  let conventionHolder = 0;
  let deputyId = 0;

  const person = async (name: string): Promise<number> =>
    (await sql<{ id: number }>(server, 'INSERT INTO person (full_name) VALUES ($1) RETURNING id', [name]))[0]!.id;
  const mandate = (personId: number, seatId: number, startsOn: string | null = null, endsOn: string | null = null) =>
    sql(
      server,
      `INSERT INTO mandate (person_id, seat_id, term_id, title, starts_on, ends_on)
       VALUES ($1, $2, (SELECT id FROM term WHERE number = 9), 'Radny Dzielnicy', $3, $4)`,
      [personId, seatId, startsOn, endsOn],
    );
  const record = async (input: RecordAttendanceInput) =>
    ok(await post(server.url, RecordAttendanceDocument, { input }, bearer(admin)));

  beforeAll(async () => {
    server = await startTestServer();
    admin = await token('ADMIN');
    council = await councilOf(server, 3);
    convention = await conventionOf(server);
    for (let seat = 0; seat < 6; seat += 1) {
      people[`s${seat}`] = await person(`Radny Testowy ${seat}`);
      await mandate(people[`s${seat}`]!, council.seatIds[seat]!);
    }
    // Seat 6 changes hands a month ago: the old holder's mandate covers the session of 2025, the new one's today's.
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    people.old = await person('Radna Ustępująca');
    people.new = await person('Radny Wstępujący');
    await mandate(people.old, council.seatIds[6]!, null, day(31));
    await mandate(people.new, council.seatIds[6]!, day(30));
    conventionHolder = await person('Przewodnicząca Testowa');
    await mandate(conventionHolder, convention.seatIds[0]!);

    // Held in 2025, made with SQL: seat 6 present, no record at all for the others (nothing recorded, not absent).
    const [past] = await sql<{ id: number }>(
      server,
      `INSERT INTO session (body_id, term_id, number, title, kind, status, scheduled_at, started_at, ended_at)
       VALUES ($1, (SELECT id FROM term WHERE number = 9), 900, 'Sesja z 2025', 'ORDINARY', 'CLOSED',
               '2025-03-10T17:00:00Z', '2025-03-10T17:05:00Z', '2025-03-10T19:00:00Z') RETURNING id`,
      [council.bodyId],
    );
    await sql(
      server,
      `INSERT INTO attendance_record (session_id, seat_id, person_id, label, status, mode, counts_toward_quorum, capacity)
       SELECT $1, s.id, $3, s.label, 'PRESENT', 'IN_PERSON', true, 'HOLDER' FROM seat s WHERE s.id = $2`,
      [past!.id, council.seatIds[6], people.old],
    );

    // Today's session of the council: opened, attendance recorded, closed.
    const today = await scheduleSession(server, admin, council.bodyGid, 'Sesja dzisiejsza');
    ok(await post(server.url, OpenSessionDocument, { id: today }, bearer(admin)));
    const seat = (index: number) => gid('Seat', council.seatIds[index]!);
    await record({ sessionId: today, seatId: seat(0), status: 'PRESENT', mode: 'IN_PERSON' });
    await record({ sessionId: today, seatId: seat(1), status: 'PRESENT', mode: 'REMOTE' });
    await record({ sessionId: today, seatId: seat(2), status: 'PRESENT' });
    await record({ sessionId: today, seatId: seat(2), status: 'LEFT' });
    await record({ sessionId: today, seatId: seat(3), status: 'EXCUSED' });
    await record({ sessionId: today, seatId: seat(4), status: 'ABSENT' });
    await record({ sessionId: today, seatId: seat(5), status: 'PRESENT', mode: 'REMOTE' });
    await record({ sessionId: today, seatId: seat(6), status: 'ABSENT' });
    // A guest never counts.
    ok(
      await post(
        server.url,
        InviteGuestDocument,
        { input: { sessionId: today, fullName: 'Gość Testowy' } },
        bearer(admin),
      ),
    );
    ok(await post(server.url, CloseSessionDocument, { id: today }, bearer(admin)));

    // A cancelled session and one only scheduled count for nobody.
    const cancelled = await scheduleSession(server, admin, council.bodyGid, 'Sesja odwołana');
    ok(await post(server.url, CancelSessionDocument, { id: cancelled, reason: 'Brak kworum' }, bearer(admin)));
    await scheduleSession(server, admin, council.bodyGid, 'Sesja zaplanowana');

    // The Convention: the first member's seat filled by a deputy, the second by nobody known.
    const meeting = await scheduleSession(server, admin, convention.bodyGid, 'Posiedzenie Konwentu');
    ok(await post(server.url, OpenSessionDocument, { id: meeting }, bearer(admin)));
    await record({
      sessionId: meeting,
      seatId: gid('Seat', convention.seatIds[0]!),
      status: 'PRESENT',
      deputy: { fullName: 'Zastępca Testowy' },
    });
    await record({ sessionId: meeting, seatId: gid('Seat', convention.seatIds[1]!), status: 'EXCUSED' });
    ok(await post(server.url, CloseSessionDocument, { id: meeting }, bearer(admin)));
    deputyId = (await sql<{ id: number }>(server, "SELECT id FROM person WHERE full_name = 'Zastępca Testowy'"))[0]!.id;
  });
  afterAll(() => server?.stop());

  const zero: Figures = {
    sessions: 0,
    present: 0,
    remote: 0,
    excused: 0,
    absent: 0,
    leftEarly: 0,
    byDeputy: 0,
    notRecorded: 0,
    rate: null,
  };

  it('counts each seat over the sessions held: present, remote, left early, excused, absent, nothing recorded', async () => {
    const lines = await stats(server, 9, 'SEAT', { bodyId: council.bodyGid });
    expect(lines).toHaveLength(council.seatIds.length);
    const of = (index: number) =>
      figures(lines.find((line) => line.seat!.id === gid('Seat', council.seatIds[index]!))!);
    // Two sessions held: 2025's (only seat 6 recorded) and today's.
    expect(of(0)).toEqual({ ...zero, sessions: 2, present: 1, notRecorded: 1, rate: 1 });
    expect(of(1)).toEqual({ ...zero, sessions: 2, present: 1, remote: 1, notRecorded: 1, rate: 1 });
    expect(of(2)).toEqual({ ...zero, sessions: 2, present: 1, leftEarly: 1, notRecorded: 1, rate: 1 });
    expect(of(3)).toEqual({ ...zero, sessions: 2, excused: 1, notRecorded: 1, rate: 0 });
    expect(of(4)).toEqual({ ...zero, sessions: 2, absent: 1, notRecorded: 1, rate: 0 });
    expect(of(6)).toEqual({ ...zero, sessions: 2, present: 1, absent: 1, rate: 0.5 });
    // Never recorded in either: two sessions, and no rate rather than 0.
    expect(of(7)).toEqual({ ...zero, sessions: 2, notRecorded: 2 });
  });

  it('sums a body and a district from their seats', async () => {
    const seats = council.seatIds.length;
    const [body] = await stats(server, 9, 'BODY', { bodyId: council.bodyGid });
    expect(body!.body!.id).toBe(council.bodyGid);
    expect(body!.district!.number).toBe(3);
    expect(figures(body!)).toEqual({
      sessions: 2 * seats,
      present: 5,
      remote: 2,
      excused: 1,
      absent: 2,
      leftEarly: 1,
      byDeputy: 0,
      notRecorded: 2 * seats - 8,
      rate: 5 / 8,
    });
    // District III: its council, and the Convention's seat standing for it (held once, nothing recorded).
    const [conventionSeats] = await sql<{ n: number; first: number }>(
      server,
      `SELECT count(*) FILTER (WHERE d.number = 3)::int AS n,
              count(*) FILTER (WHERE d.number = 3 AND s.id = ANY($2::int[]))::int AS first
       FROM seat s JOIN district d ON d.id = s.district_id WHERE s.body_id = $1`,
      [convention.bodyId, convention.seatIds.slice(0, 2)],
    );
    expect(conventionSeats!.first).toBe(0);
    const [district] = await stats(server, 9, 'DISTRICT', { districtNumber: 3 });
    expect(district!.district!.number).toBe(3);
    expect(figures(district!)).toEqual({
      ...figures(body!),
      sessions: 2 * seats + conventionSeats!.n,
      notRecorded: 2 * seats - 8 + conventionSeats!.n,
    });
  });

  it('counts a person only for the sessions within their mandate', async () => {
    const lines = await stats(server, 9, 'PERSON', { bodyId: council.bodyGid });
    const of = (id: number) => lines.find((line) => line.person!.id === gid('Person', id));
    expect(figures(of(people.old!)!)).toEqual({ ...zero, sessions: 1, present: 1, rate: 1 });
    expect(figures(of(people.new!)!)).toEqual({ ...zero, sessions: 1, absent: 1, rate: 0 });
    expect(figures(of(people.s2!)!)).toEqual({
      ...zero,
      sessions: 2,
      present: 1,
      leftEarly: 1,
      notRecorded: 1,
      rate: 1,
    });
    expect(lines.every((line) => line.person!.email === null && line.person!.phone === null)).toBe(true);
  });

  it("counts a deputy's presence for the seat and its holder, never for the deputy", async () => {
    const seats = await stats(server, 9, 'SEAT', { bodyId: convention.bodyGid });
    const first = seats.find((line) => line.seat!.id === gid('Seat', convention.seatIds[0]!))!;
    expect(figures(first)).toEqual({ ...zero, sessions: 1, present: 1, byDeputy: 1, rate: 1 });
    const second = seats.find((line) => line.seat!.id === gid('Seat', convention.seatIds[1]!))!;
    expect(figures(second)).toEqual({ ...zero, sessions: 1, excused: 1, rate: 0 });
    const people = await stats(server, 9, 'PERSON', { bodyId: convention.bodyGid });
    const holder = people.find((line) => line.person!.id === gid('Person', conventionHolder))!;
    expect(figures(holder)).toEqual({ ...zero, sessions: 1, present: 1, byDeputy: 1, rate: 1 });
    expect(people.some((line) => line.person!.id === gid('Person', deputyId))).toBe(false);
    // The history behind it: the holder's list shows the deputy's record, and so does the deputy's own.
    for (const id of [conventionHolder, deputyId]) {
      const { person: history } = await query(server.url, PersonHistoryDocument, { id: gid('Person', id) });
      expect(history!.attendance.totalCount).toBe(1);
      expect(history!.attendance.edges[0]!.node.capacity).toBe('DEPUTY');
    }
  });

  it("lists a person's records newest first, held sessions only", async () => {
    const { person: history } = await query(server.url, PersonHistoryDocument, { id: gid('Person', people.old!) });
    expect(history!.attendance.totalCount).toBe(1);
    const { person: s0 } = await query(server.url, PersonHistoryDocument, { id: gid('Person', people.s0!), first: 1 });
    // Today's session only: the cancelled and the scheduled ones are nobody's history.
    expect(s0!.attendance.totalCount).toBe(1);
    expect(s0!.attendance.edges[0]!.node.status).toBe('PRESENT');
    expect(s0!.attendance.pageInfo.hasNextPage).toBe(false);
    expect(s0!.ballots.totalCount).toBe(0);
  });

  it('costs as many statements for this small term as the demo data does for a large one', async () => {
    // The demo server's counts are checked above; here, the same query for a filter with lines and one without.
    const all = await statementsOf(server, () => stats(server, 9, 'SEAT'));
    const one = await statementsOf(server, () => stats(server, 9, 'SEAT', { bodyId: council.bodyGid }));
    expect(all).toBe(one);
  });

  // Last in this block: it adds a session of district III's board, which the district's figures above leave out.
  it('counts a session still in progress as held, its seats not yet recorded as notRecorded', async () => {
    const [board] = await sql<{ id: number; seats: number }>(
      server,
      `SELECT b.id, (SELECT count(*)::int FROM seat WHERE body_id = b.id) AS seats
       FROM body b JOIN district d ON d.id = b.district_id WHERE d.number = 3 AND b.kind = 'DISTRICT_BOARD'`,
    );
    const boardGid = gid('Body', board!.id);
    expect(await stats(server, 9, 'BODY', { bodyId: boardGid })).toEqual([]);
    const id = await scheduleSession(server, admin, boardGid, 'Posiedzenie Zarządu');
    ok(await post(server.url, OpenSessionDocument, { id }, bearer(admin)));
    const [seat] = await sql<{ id: number }>(
      server,
      'SELECT id FROM seat WHERE body_id = $1 ORDER BY position LIMIT 1',
      [board!.id],
    );
    await record({ sessionId: id, seatId: gid('Seat', seat!.id), status: 'PRESENT' });
    const [line] = await stats(server, 9, 'BODY', { bodyId: boardGid });
    expect(figures(line!)).toEqual({
      ...zero,
      sessions: board!.seats,
      present: 1,
      notRecorded: board!.seats - 1,
      rate: 1,
    });
  });

  it('refuses a term that does not exist, a bad body and a district that does not exist', async () => {
    expect(codes(await post(server.url, AttendanceStatsDocument, { termNumber: 99 }))).toEqual(['NOT_FOUND']);
    expect(
      codes(
        await post(server.url, AttendanceStatsDocument, { termNumber: 9, bodyId: gid('Seat', council.seatIds[0]!) }),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      codes(await post(server.url, AttendanceStatsDocument, { termNumber: 9, bodyId: gid('Body', 999_999) })),
    ).toEqual(['BAD_USER_INPUT']);
    expect(codes(await post(server.url, AttendanceStatsDocument, { termNumber: 9, districtNumber: 40 }))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });
});
