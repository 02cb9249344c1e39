import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/db/data-source';
import { DEMO_AS_OF, DemoDataError, seedDemoData } from '../src/db/seed/demo-data';
import type { DemoSummary } from '../src/db/seed/demo-data';
import { createLogger } from '../src/logger';
import { createTestDatabase, startTestServer } from './support';
import type { TestDatabase } from './support';

const N = 30;

let database: TestDatabase;
let dataSource: DataSource;
let realBefore: string;
let first: DemoSummary;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ dataSource } = createDataSource({ url: database.url, poolSize: 2, log: createLogger({ logLevel: 'silent' }) }));
  await dataSource.initialize();
  realBefore = await realFingerprint();
  first = await seedDemoData(dataSource, N);
});

afterAll(async () => {
  if (dataSource?.isInitialized) await dataSource.destroy();
  await database?.drop();
});

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await dataSource.query(sql, params)) as T[];
}

async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
  return (await rows<T>(sql, params))[0]!;
}

/** The synthetic rows by their natural keys: serial ids change from run to run, the data must not. */
async function demoFingerprint(): Promise<Record<string, string>> {
  const session = `b.name || '|' || t.number || '|' || s.number`;
  const sessionJoins = 'JOIN body b ON b.id = s.body_id JOIN term t ON t.id = s.term_id';
  const digest = (lines: string): string =>
    `(SELECT md5(coalesce(string_agg(line, E'\\n' ORDER BY line), '')) FROM (${lines}) x)`;
  return one(
    `SELECT
       ${digest(`SELECT concat_ws('|', ${session}, s.title, s.kind, s.status, s.scheduled_at, s.started_at, s.ended_at,
                   c.full_name, s.description, s.cancellation_reason, s.created_at, s.last_sequence) AS line
                 FROM session s ${sessionJoins} LEFT JOIN person c ON c.id = s.chair_id WHERE s.synthetic`)} AS sessions,
       ${digest(`SELECT concat_ws('|', ${session}, a.position, a.title, a.status, a.started_at, a.ended_at, a.version) AS line
                 FROM agenda_item a JOIN session s ON s.id = a.session_id ${sessionJoins} WHERE s.synthetic`)} AS agenda,
       ${digest(`SELECT concat_ws('|', ${session}, st.position, p.full_name, r.label, d.number, r.status, r.mode,
                   r.arrived_at, r.left_at, r.counts_toward_quorum, r.version, r.capacity, o.full_name) AS line
                 FROM attendance_record r JOIN session s ON s.id = r.session_id ${sessionJoins}
                 JOIN seat st ON st.id = r.seat_id LEFT JOIN person p ON p.id = r.person_id
                 LEFT JOIN person o ON o.id = r.on_behalf_of_id
                 LEFT JOIN district d ON d.id = r.district_id WHERE s.synthetic`)} AS attendance,
       ${digest(`SELECT concat_ws('|', ${session}, i.position, v.subject, v.secrecy, v.majority, v.status, v.opened_at,
                   v.closed_at, v.quorum_seats, v.quorum_present, v.quorum_required, v.quorum_reached, v.count_for,
                   v.count_against, v.count_abstain, v.counts_recorded, v.result, v.annulment_reason) AS line
                 FROM vote v JOIN session s ON s.id = v.session_id ${sessionJoins}
                 LEFT JOIN agenda_item i ON i.id = v.agenda_item_id WHERE s.synthetic`)} AS votes,
       ${digest(`SELECT concat_ws('|', ${session}, i.position, st.position, x.seat_position, p.full_name, x.capacity,
                   x.option, x.cast_at) AS line
                 FROM ballot x JOIN vote v ON v.id = x.vote_id JOIN session s ON s.id = v.session_id ${sessionJoins}
                 LEFT JOIN agenda_item i ON i.id = v.agenda_item_id JOIN seat st ON st.id = x.seat_id
                 LEFT JOIN person p ON p.id = x.person_id WHERE s.synthetic`)} AS ballots,
       ${digest(`SELECT concat_ws('|', ${session}, i.position, st.position, q.kind, q.status, q.requested_at,
                   q.started_at, q.ended_at, q.time_limit_seconds) AS line
                 FROM speech_request q JOIN session s ON s.id = q.session_id ${sessionJoins}
                 LEFT JOIN agenda_item i ON i.id = q.agenda_item_id
                 JOIN attendance_record r ON r.id = q.attendance_record_id LEFT JOIN seat st ON st.id = r.seat_id
                 WHERE s.synthetic`)} AS speeches,
       ${digest(`SELECT concat_ws('|', p.full_name, b.name, st.position, t.number, m.title) AS line
                 FROM mandate m JOIN person p ON p.id = m.person_id JOIN seat st ON st.id = m.seat_id
                 JOIN body b ON b.id = st.body_id JOIN term t ON t.id = m.term_id WHERE p.synthetic`)} AS mandates,
       ${digest(`SELECT full_name AS line FROM person WHERE synthetic`)} AS people`,
  );
}

/** Every row that is not synthetic, ids included (in the order of their text: session_event has no id): the generator must not change one. */
async function realFingerprint(): Promise<string> {
  const tables: [string, string][] = [
    ['district', 'true'],
    ['term', 'true'],
    ['body', 'true'],
    ['seat', 'true'],
    ['person', 'NOT x.synthetic'],
    ['mandate', 'x.person_id IN (SELECT id FROM person WHERE NOT synthetic)'],
    ['session', 'NOT x.synthetic'],
    ['agenda_item', 'x.session_id IN (SELECT id FROM session WHERE NOT synthetic)'],
    ['attendance_record', 'x.session_id IN (SELECT id FROM session WHERE NOT synthetic)'],
    ['session_event', 'x.session_id IN (SELECT id FROM session WHERE NOT synthetic)'],
    ['vote', 'x.session_id IN (SELECT id FROM session WHERE NOT synthetic)'],
    ['ballot', 'x.vote_id IN (SELECT v.id FROM vote v JOIN session s ON s.id = v.session_id WHERE NOT s.synthetic)'],
    ['speech_request', 'x.session_id IN (SELECT id FROM session WHERE NOT synthetic)'],
  ];
  const parts = await Promise.all(
    tables.map(([table, where]) =>
      one<{ digest: string }>(
        `SELECT md5(coalesce(string_agg(row_to_json(x)::text, E'\\n' ORDER BY row_to_json(x)::text), '')) AS digest FROM ${table} x WHERE ${where}`,
      ),
    ),
  );
  return parts.map((p) => p.digest).join(':');
}

describe('npm run seed:demo', () => {
  it('gives the same rows for the same N, replacing what the previous run made', async () => {
    const before = await demoFingerprint();
    await seedDemoData(dataSource, 12);
    expect(await demoFingerprint()).not.toEqual(before);
    const again = await seedDemoData(dataSource, N);
    expect(again.removed).toEqual({ sessions: 12, persons: first.persons });
    expect(await demoFingerprint()).toEqual(before);
    const third = await seedDemoData(dataSource, N);
    expect(third).toEqual({ ...first, removed: { sessions: N, persons: first.persons } });
    expect(await demoFingerprint()).toEqual(before);
  });

  it('adds N sessions of about 10 gapless agenda items, with a record for every seat of the body', async () => {
    expect(first).toMatchObject({ sessions: N, removed: { sessions: 0, persons: 0 } });
    const sessions = await rows<{ items: number; min: number; max: number; records: number; seats: number }>(
      `SELECT (SELECT count(*)::int FROM agenda_item a WHERE a.session_id = s.id) AS items,
              (SELECT min(position) FROM agenda_item a WHERE a.session_id = s.id) AS min,
              (SELECT max(position) FROM agenda_item a WHERE a.session_id = s.id) AS max,
              (SELECT count(DISTINCT seat_id)::int FROM attendance_record r WHERE r.session_id = s.id) AS records,
              (SELECT count(*)::int FROM seat st WHERE st.body_id = s.body_id) AS seats
       FROM session s WHERE s.synthetic`,
    );
    expect(sessions).toHaveLength(N);
    for (const s of sessions) {
      expect(s.items).toBeGreaterThanOrEqual(8);
      expect(s.items).toBeLessThanOrEqual(12);
      expect([s.min, s.max]).toEqual([1, s.items]);
      expect(s.records).toBe(s.seats);
    }
    const items = sessions.reduce((sum, s) => sum + s.items, 0);
    expect(items / N).toBeGreaterThan(9);
    expect(items / N).toBeLessThan(11);
    expect(first.agendaItems).toBe(items);
    const records = await one<{ n: number; all: number }>(
      `SELECT count(*)::int AS n, (SELECT count(*)::int FROM attendance_record) AS all
       FROM attendance_record r JOIN session s ON s.id = r.session_id WHERE s.synthetic`,
    );
    expect(records.n).toBe(first.attendanceRecords);
    expect(records.n).toBe(sessions.reduce((sum, s) => sum + s.seats, 0));
    expect(records.all).toBe(records.n + 36);
  });

  it('marks every row it makes as synthetic and "[demo]"', async () => {
    const counts = await one<Record<string, number>>(
      `SELECT
         (SELECT count(*)::int FROM session WHERE synthetic AND title NOT LIKE '[demo] %') AS untitled_sessions,
         (SELECT count(*)::int FROM session WHERE NOT synthetic) AS real_sessions,
         (SELECT count(*)::int FROM agenda_item a JOIN session s ON s.id = a.session_id
           WHERE s.synthetic AND a.title NOT LIKE '[demo] %') AS untitled_items,
         (SELECT count(*)::int FROM person WHERE synthetic AND full_name !~ '^Demo Person [0-9]{4}$') AS unnamed_people,
         (SELECT count(*)::int FROM person WHERE NOT synthetic AND full_name LIKE 'Demo Person%') AS unflagged_people,
         (SELECT count(*)::int FROM mandate m JOIN person p ON p.id = m.person_id
           WHERE p.synthetic AND m.title NOT LIKE '[demo] %') AS untitled_mandates,
         (SELECT count(*)::int FROM mandate m JOIN person p ON p.id = m.person_id
           JOIN seat st ON st.id = m.seat_id WHERE p.synthetic AND m.title <> '[demo] ' || st.label) AS mislabelled_mandates,
         (SELECT count(*)::int FROM vote WHERE subject NOT LIKE '[demo] %') AS unmarked_votes`,
    );
    expect(counts).toEqual({
      untitled_sessions: 0,
      real_sessions: 1,
      untitled_items: 0,
      unnamed_people: 0,
      unflagged_people: 0,
      untitled_mandates: 0,
      mislabelled_mandates: 0,
      unmarked_votes: 0,
    });
    const names = await rows<{ full_name: string }>('SELECT full_name FROM person WHERE synthetic ORDER BY full_name');
    expect(names[0]!.full_name).toBe('Demo Person 0001');
    expect(names.map((p) => p.full_name)).toEqual(names.map((_, i) => `Demo Person ${String(i + 1).padStart(4, '0')}`));
  });

  it('seats demo people in every district seat in both terms, the district chairs also in the Convention', async () => {
    const unheld = await rows<{ label: string; term: number }>(
      `SELECT st.label, t.number AS term FROM seat st JOIN body b ON b.id = st.body_id CROSS JOIN term t
       WHERE b.kind IN ('DISTRICT_COUNCIL', 'DISTRICT_BOARD')
         AND NOT EXISTS (SELECT 1 FROM mandate m JOIN person p ON p.id = m.person_id
                         WHERE m.seat_id = st.id AND m.term_id = t.id AND p.synthetic)`,
    );
    expect(unheld).toEqual([]);
    const convention = await rows<{ term: number; label: string; member: string | null; chair: string | null }>(
      `SELECT t.number AS term, cs.label,
              (SELECT p.full_name FROM mandate m JOIN person p ON p.id = m.person_id
                WHERE m.seat_id = cs.id AND m.term_id = t.id) AS member,
              (SELECT p.full_name FROM seat ds JOIN body db ON db.id = ds.body_id
                 JOIN mandate m ON m.seat_id = ds.id AND m.term_id = t.id JOIN person p ON p.id = m.person_id
                WHERE db.kind IN ('DISTRICT_COUNCIL', 'DISTRICT_BOARD') AND ds.role = 'CHAIR'
                  AND ds.district_id = cs.district_id AND ds.label = cs.label) AS chair
       FROM seat cs JOIN body b ON b.id = cs.body_id CROSS JOIN term t
       WHERE b.kind = 'CONVENTION' AND cs.role = 'MEMBER'`,
    );
    expect(convention).toHaveLength(72);
    for (const seat of convention) {
      expect(seat.member).toMatch(/^Demo Person \d{4}$/);
      expect(seat.member).toBe(seat.chair);
    }
    // Each record names whoever holds the seat in the session's term (or stands for them), and copies the seat.
    const mismatched = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM attendance_record r JOIN session s ON s.id = r.session_id
       JOIN seat st ON st.id = r.seat_id
       WHERE s.synthetic AND (r.label <> st.label OR r.district_id IS DISTINCT FROM st.district_id
         OR r.counts_toward_quorum <> st.counts_toward_quorum
         OR (CASE r.capacity WHEN 'DEPUTY' THEN r.on_behalf_of_id ELSE r.person_id END)
            IS DISTINCT FROM (SELECT m.person_id FROM mandate m
                               WHERE m.seat_id = st.id AND m.term_id = s.term_id
                               ORDER BY m.starts_on DESC NULLS LAST, m.id DESC LIMIT 1)
         OR r.capacity NOT IN ('HOLDER', 'DEPUTY') OR (r.capacity = 'HOLDER') <> (r.on_behalf_of_id IS NULL))`,
    );
    expect(mismatched.n).toBe(0);
  });

  it('keeps status, agenda and attendance consistent with the date, inside the term', async () => {
    const wrong = await one<Record<string, number>>(
      `WITH s AS (
         SELECT s.*, t.number AS term, s.scheduled_at < ($1::date::timestamp AT TIME ZONE 'Europe/Warsaw') AS past
         FROM session s JOIN term t ON t.id = s.term_id WHERE s.synthetic)
       SELECT
         (SELECT count(*)::int FROM s WHERE kind NOT IN ('ORDINARY', 'EXTRAORDINARY')) AS kinds,
         (SELECT count(*)::int FROM s WHERE past <> (status IN ('CLOSED', 'CANCELLED'))
            OR (NOT past AND status <> 'SCHEDULED')) AS statuses,
         (SELECT count(*)::int FROM s WHERE NOT CASE term
            WHEN 8 THEN scheduled_at >= '2019-01-01T00:00+01' AND scheduled_at < '2023-12-01T00:00+01'
            WHEN 9 THEN scheduled_at >= '2024-02-01T00:00+01' AND scheduled_at < '2026-12-01T00:00+01' END) AS outside_term,
         (SELECT count(*)::int FROM s WHERE CASE WHEN status = 'CLOSED'
            THEN started_at IS NULL OR started_at < scheduled_at OR ended_at <= started_at
            ELSE started_at IS NOT NULL OR ended_at IS NOT NULL END) AS times,
         (SELECT count(*)::int FROM s WHERE (status = 'CANCELLED') <> (cancellation_reason IS NOT NULL)) AS reasons,
         (SELECT count(*)::int FROM agenda_item a JOIN s ON s.id = a.session_id
           WHERE CASE WHEN s.status = 'CLOSED'
             THEN a.status <> 'DONE' OR a.started_at < s.started_at OR a.ended_at > s.ended_at OR a.ended_at < a.started_at
             ELSE a.status <> 'PENDING' OR a.started_at IS NOT NULL END) AS agenda,
         (SELECT count(*)::int FROM attendance_record r JOIN s ON s.id = r.session_id
           WHERE CASE WHEN s.status = 'CLOSED'
             THEN r.status NOT IN ('PRESENT', 'ABSENT', 'EXCUSED') OR (r.status = 'PRESENT') <> (r.arrived_at IS NOT NULL)
               OR (r.status = 'PRESENT') <> (r.mode IS NOT NULL) OR r.arrived_at > s.ended_at
             ELSE r.status <> 'EXPECTED' OR r.arrived_at IS NOT NULL END) AS attendance`,
      [DEMO_AS_OF],
    );
    expect(wrong).toEqual({
      kinds: 0,
      statuses: 0,
      outside_term: 0,
      times: 0,
      reasons: 0,
      agenda: 0,
      attendance: 0,
    });
  });

  it('numbers the demo sessions after the real ones of each body and term', async () => {
    const groups = await rows<{ kind: string; term: number; numbers: number[]; real: number[] }>(
      `SELECT b.kind, t.number AS term,
              coalesce(array_agg(s.number ORDER BY s.number) FILTER (WHERE s.synthetic), '{}') AS numbers,
              coalesce(array_agg(s.number) FILTER (WHERE NOT s.synthetic), '{}') AS real
       FROM session s JOIN body b ON b.id = s.body_id JOIN term t ON t.id = s.term_id
       GROUP BY b.id, b.kind, t.number`,
    );
    for (const group of groups) {
      const after = Math.max(0, ...group.real);
      expect(group.numbers).toEqual(group.numbers.map((_, i) => after + i + 1));
    }
  });

  it('leaves the reference data as it was', async () => {
    expect(await realFingerprint()).toBe(realBefore);
    const inaugural = await one<{ items: number; confirmed: number; records: number; chair: string }>(
      `SELECT (SELECT count(*)::int FROM agenda_item WHERE session_id = s.id) AS items,
              (SELECT count(*)::int FROM attendance_record WHERE session_id = s.id AND status = 'CONFIRMED') AS confirmed,
              (SELECT count(*)::int FROM attendance_record WHERE session_id = s.id) AS records,
              (SELECT full_name FROM person WHERE id = s.chair_id) AS chair
       FROM session s JOIN body b ON b.id = s.body_id WHERE b.kind = 'CONVENTION' AND NOT s.synthetic`,
    );
    expect(inaugural).toEqual({ items: 3, confirmed: 36, records: 36, chair: 'Artur Buszek' });
    const chairSeat = await rows<{ full_name: string; term: number; synthetic: boolean }>(
      `SELECT p.full_name, t.number AS term, p.synthetic FROM seat st JOIN body b ON b.id = st.body_id
       JOIN mandate m ON m.seat_id = st.id JOIN person p ON p.id = m.person_id JOIN term t ON t.id = m.term_id
       WHERE b.kind = 'CONVENTION' AND st.role = 'CHAIR'`,
    );
    expect(chairSeat).toEqual([{ full_name: 'Artur Buszek', term: 9, synthetic: false }]);
  });

  /** A seed must fail and change nothing while the real session `id` refers to demo rows; the session then goes. */
  async function expectRefusedWhile(id: number): Promise<void> {
    const before = await demoFingerprint();
    try {
      await expect(seedDemoData(dataSource, 5)).rejects.toThrow(DemoDataError);
      expect(await demoFingerprint()).toEqual(before);
    } finally {
      await dataSource.query('DELETE FROM attendance_record WHERE session_id = $1', [id]);
      await dataSource.query('DELETE FROM session WHERE id = $1', [id]);
    }
  }

  it('refuses, changing nothing, when a row that is not synthetic refers to a demo person', async () => {
    const { person, body, term } = await one<{ person: number; body: number; term: number }>(
      `SELECT (SELECT id FROM person WHERE full_name = 'Demo Person 0001') AS person,
              (SELECT id FROM body WHERE name = 'Rada Dzielnicy I Stare Miasto') AS body,
              (SELECT id FROM term WHERE number = 9) AS term`,
    );
    const [{ id }] = await rows<{ id: number }>(
      `INSERT INTO session (body_id, term_id, number, title, kind, scheduled_at)
       VALUES ($1, $2, 1000, 'Sesja zwołana przez API', 'ORDINARY', '2026-10-01T17:00+02') RETURNING id`,
      [body, term],
    );
    await dataSource.query(
      `INSERT INTO attendance_record (session_id, person_id, label, status, counts_toward_quorum, capacity)
       VALUES ($1, $2, 'Demo Person 0001', 'EXPECTED', true, 'GUEST')`,
      [id, person],
    );
    await expectRefusedWhile(id);
  });

  it('refuses, changing nothing, when a deputy recorded in a session that is not synthetic stands for a demo person', async () => {
    const { holder, body, term, seat } = await one<{ holder: number; body: number; term: number; seat: number }>(
      `SELECT m.person_id AS holder, st.body_id AS body, m.term_id AS term, st.id AS seat
       FROM mandate m JOIN person p ON p.id = m.person_id JOIN seat st ON st.id = m.seat_id
       JOIN body b ON b.id = st.body_id JOIN term t ON t.id = m.term_id
       WHERE p.synthetic AND b.kind = 'CONVENTION' AND t.number = 9 ORDER BY st.position LIMIT 1`,
    );
    const [{ id }] = await rows<{ id: number }>(
      `INSERT INTO session (body_id, term_id, number, title, kind, scheduled_at)
       VALUES ($1, $2, 1000, 'Posiedzenie zwołane przez API', 'ORDINARY', '2026-10-01T17:00+02') RETURNING id`,
      [body, term],
    );
    const [{ id: deputy }] = await rows<{ id: number }>(
      `INSERT INTO person (full_name) VALUES ('Zastępca spoza danych demo') RETURNING id`,
    );
    await dataSource.query(
      `INSERT INTO attendance_record (session_id, seat_id, person_id, on_behalf_of_id, label, status,
                                      counts_toward_quorum, capacity)
       VALUES ($1, $2, $3, $4, 'Członek Konwentu', 'EXPECTED', true, 'DEPUTY')`,
      [id, seat, deputy, holder],
    );
    await expectRefusedWhile(id);
    await dataSource.query('DELETE FROM person WHERE id = $1', [deputy]);
  });

  it('serves the demo sessions over GraphQL', async () => {
    const server = await startTestServer({ database });
    try {
      const post = async (query: string): Promise<Record<string, unknown>> => {
        const response = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
          body: JSON.stringify({ query }),
        });
        const result = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
        expect(result.errors).toBeUndefined();
        return result.data!;
      };
      const data = await post(`{
        demo: sessions(filter: { search: "[demo]" }, first: 1) { totalCount nodes { title synthetic } }
        all: sessions { totalCount }
      }`);
      expect(data).toEqual({
        demo: { totalCount: N, nodes: [{ title: expect.stringMatching(/^\[demo\] /), synthetic: true }] },
        all: { totalCount: N + 1 },
      });
    } finally {
      await server.stop();
    }
  });

  it('spreads the sessions over the bodies, both terms, and a mix of kinds and statuses', async () => {
    await seedDemoData(dataSource, 400);
    const spread = await one<{ bodies: number; kinds: string[]; statuses: string[]; terms: number[]; types: string[] }>(
      `SELECT count(DISTINCT s.body_id)::int AS bodies,
              array_agg(DISTINCT b.kind ORDER BY b.kind) AS types,
              array_agg(DISTINCT s.kind ORDER BY s.kind) AS kinds,
              array_agg(DISTINCT s.status ORDER BY s.status) AS statuses,
              array_agg(DISTINCT t.number ORDER BY t.number) AS terms
       FROM session s JOIN body b ON b.id = s.body_id JOIN term t ON t.id = s.term_id WHERE s.synthetic`,
    );
    expect(spread).toEqual({
      bodies: 37,
      types: ['CONVENTION', 'DISTRICT_BOARD', 'DISTRICT_COUNCIL'],
      kinds: ['EXTRAORDINARY', 'ORDINARY'],
      statuses: ['CANCELLED', 'CLOSED', 'SCHEDULED'],
      terms: [8, 9],
    });
    const kinds = await one<{ ordinary: number }>(
      `SELECT count(*) FILTER (WHERE kind = 'ORDINARY')::float / count(*) AS ordinary FROM session WHERE synthetic`,
    );
    expect(kinds.ordinary).toBeGreaterThan(0.75);
  });
  describe('votes and speeches', () => {
    // Enough sessions for the Convention to meet a few times (it holds about one session in 70).
    const MANY = 400;
    beforeAll(async () => {
      await seedDemoData(dataSource, MANY);
    });

    /** The votes of the demo, with their session's body and what the attendance gave when each opened. */
    const votes = `
      SELECT v.*, b.kind AS body_kind, b.quorum_rule, s.status AS session_status, s.synthetic,
             i.session_id AS item_session_id, i.started_at AS item_started_at, i.ended_at AS item_ended_at,
             (SELECT count(*)::int FROM attendance_record r
               WHERE r.session_id = v.session_id AND r.counts_toward_quorum) AS seats,
             (SELECT count(*)::int FROM attendance_record r
               WHERE r.session_id = v.session_id AND r.counts_toward_quorum AND r.status = 'PRESENT'
                 AND r.arrived_at <= v.opened_at) AS present,
             (SELECT count(*)::int FROM ballot x WHERE x.vote_id = v.id) AS ballots,
             (SELECT count(*)::int FROM ballot x WHERE x.vote_id = v.id AND x.option = 'FOR') AS ballots_for,
             (SELECT count(*)::int FROM ballot x WHERE x.vote_id = v.id AND x.option = 'AGAINST') AS ballots_against,
             (SELECT count(*)::int FROM ballot x WHERE x.vote_id = v.id AND x.option = 'ABSTAIN') AS ballots_abstain,
             (SELECT count(*)::int FROM ballot x WHERE x.vote_id = v.id AND x.option IS NULL) AS ballots_none,
             (SELECT count(*)::int FROM ballot x WHERE x.vote_id = v.id AND x.capacity = 'DEPUTY'
                AND x.option = 'FOR') AS deputies_for
      FROM vote v JOIN session s ON s.id = v.session_id JOIN body b ON b.id = s.body_id
      LEFT JOIN agenda_item i ON i.id = v.agenda_item_id`;

    it('gives the same votes, ballots and speeches for the same N', async () => {
      const before = await demoFingerprint();
      await seedDemoData(dataSource, MANY);
      expect(await demoFingerprint()).toEqual(before);
    });

    it('votes on some items of the closed sessions only, mostly by a named list, some secretly', async () => {
      const spread = await one<Record<string, number>>(
        `WITH v AS (${votes})
         SELECT count(*)::int AS votes,
                count(*) FILTER (WHERE NOT synthetic OR session_status <> 'CLOSED')::int AS outside_closed_demo,
                count(*) FILTER (WHERE item_session_id IS DISTINCT FROM session_id)::int AS outside_items,
                count(*) FILTER (WHERE status <> 'CLOSED' OR closed_at <= opened_at
                  OR opened_at < item_started_at OR closed_at > item_ended_at)::int AS times,
                count(*) FILTER (WHERE secrecy = 'OPEN')::int AS open,
                count(*) FILTER (WHERE secrecy = 'SECRET')::int AS secret,
                count(*) FILTER (WHERE secrecy = 'SECRET' AND ballots > 0)::int AS secret_with_ballots,
                count(*) FILTER (WHERE secrecy = 'SECRET' AND counts_recorded <> quorum_reached)::int AS secret_uncounted,
                count(*) FILTER (WHERE secrecy = 'OPEN' AND counts_recorded)::int AS open_counted,
                (SELECT count(*)::int FROM (SELECT agenda_item_id FROM vote GROUP BY 1 HAVING count(*) > 1) x)
                  AS items_voted_twice,
                count(*) FILTER (WHERE quorum_seats < 3)::int AS in_small_bodies,
                (SELECT count(*)::int FROM session_event e JOIN session s ON s.id = e.session_id WHERE s.synthetic)
                  AS events,
                (SELECT count(DISTINCT session_id)::int FROM vote) AS sessions_with_votes,
                (SELECT count(*)::int FROM session s WHERE synthetic AND status = 'CLOSED'
                   AND (SELECT count(*) FROM seat st WHERE st.body_id = s.body_id AND st.counts_toward_quorum) >= 3)
                  AS closed_sessions
         FROM v`,
      );
      expect(spread).toMatchObject({
        outside_closed_demo: 0,
        outside_items: 0,
        times: 0,
        secret_with_ballots: 0,
        secret_uncounted: 0,
        open_counted: 0,
        items_voted_twice: 0,
        // The reference data seats only a board's chair: one person does not vote.
        in_small_bodies: 0,
        // A demo session's log stays empty, for its votes as for its agenda: nothing to replay, no trace of a ballot.
        events: 0,
      });
      expect(spread.votes).toBeGreaterThan(spread.closed_sessions);
      expect(spread.sessions_with_votes / spread.closed_sessions).toBeGreaterThan(0.75);
      expect(spread.secret).toBeGreaterThan(0);
      expect(spread.open).toBeGreaterThan(spread.secret * 5);
    });

    it("lists every seat present when an open vote opened, by whoever was in it, with the vote's counts", async () => {
      const wrong = await one<Record<string, number>>(
        `WITH v AS (${votes}),
         listed AS (SELECT x.vote_id, x.seat_id, x.seat_position, x.person_id, x.capacity FROM ballot x),
         due AS (SELECT v.id AS vote_id, r.seat_id, st.position AS seat_position, r.person_id, r.capacity
                 FROM v JOIN attendance_record r ON r.session_id = v.session_id JOIN seat st ON st.id = r.seat_id
                 WHERE v.secrecy = 'OPEN' AND r.counts_toward_quorum AND r.status = 'PRESENT'
                   AND r.arrived_at <= v.opened_at)
         SELECT
           (SELECT count(*)::int FROM (SELECT * FROM listed EXCEPT SELECT * FROM due) x) AS not_present,
           (SELECT count(*)::int FROM (SELECT * FROM due EXCEPT SELECT * FROM listed) x) AS missing,
           (SELECT count(*)::int FROM v WHERE secrecy = 'OPEN' AND (count_for, count_against, count_abstain)
              <> (ballots_for, ballots_against, ballots_abstain)) AS counts,
           (SELECT count(*)::int FROM ballot x JOIN vote v ON v.id = x.vote_id
             WHERE (x.option IS NULL) <> (x.cast_at IS NULL) OR x.cast_at <= v.opened_at OR x.cast_at > v.closed_at)
             AS cast_times`,
      );
      expect(wrong).toEqual({ not_present: 0, missing: 0, counts: 0, cast_times: 0 });
      const options = await one<{ cast: number; blank: number }>(
        `SELECT count(*) FILTER (WHERE option IS NOT NULL)::int AS cast, count(*) FILTER (WHERE option IS NULL)::int AS blank
         FROM ballot`,
      );
      // Most vote; a few are there and do not.
      expect(options.blank).toBeGreaterThan(0);
      expect(options.cast).toBeGreaterThan(options.blank * 10);
    });

    it("fixes each vote's quorum from the attendance when it opened, and its result by the majority rule", async () => {
      const results = await rows<{ result: string; n: number; wrong: number }>(
        `WITH v AS (${votes})
         SELECT result, count(*)::int AS n,
                count(*) FILTER (WHERE
                  (quorum_seats, quorum_present) <> (seats, present)
                  OR quorum_required <> CASE quorum_rule WHEN 'HALF' THEN ceil(seats / 2.0)::int ELSE seats / 2 + 1 END
                  OR quorum_reached <> (present >= quorum_required)
                  OR result <> CASE
                       WHEN NOT quorum_reached THEN 'NO_QUORUM'
                       WHEN CASE majority
                              WHEN 'SIMPLE' THEN count_for > count_against
                              WHEN 'ABSOLUTE_OF_PRESENT' THEN count_for * 2 > quorum_present
                              WHEN 'ABSOLUTE_OF_SEATS' THEN count_for * 2 > quorum_seats END THEN 'PASSED'
                       ELSE 'REJECTED' END
                  OR (result = 'NO_QUORUM' AND count_for + count_against + count_abstain > 0))::int AS wrong
         FROM v GROUP BY result ORDER BY result`,
      );
      expect(results.map((r) => r.result)).toEqual(['NO_QUORUM', 'PASSED', 'REJECTED']);
      for (const r of results) expect(r).toMatchObject({ wrong: 0 });
      const majorities = await rows<{ majority: string }>('SELECT DISTINCT majority FROM vote ORDER BY 1');
      expect(majorities.map((m) => m.majority)).toEqual(['ABSOLUTE_OF_PRESENT', 'ABSOLUTE_OF_SEATS', 'SIMPLE']);
    });

    it("seats deputies in the Convention for their seats' holders, whose ballots help pass votes", async () => {
      const deputies = await one<Record<string, number>>(
        `SELECT
           count(*)::int AS records,
           count(*) FILTER (WHERE b.kind <> 'CONVENTION' OR r.status <> 'PRESENT')::int AS outside_convention,
           count(*) FILTER (WHERE NOT p.synthetic OR p.full_name !~ '^Demo Person [0-9]{4}$'
             OR EXISTS (SELECT 1 FROM mandate m WHERE m.person_id = p.id))::int AS not_demo_deputies,
           count(*) FILTER (WHERE r.on_behalf_of_id IS NULL OR r.on_behalf_of_id = r.person_id)::int AS for_nobody
         FROM attendance_record r JOIN session s ON s.id = r.session_id JOIN body b ON b.id = s.body_id
         JOIN person p ON p.id = r.person_id
         WHERE r.capacity = 'DEPUTY'`,
      );
      expect(deputies).toMatchObject({ outside_convention: 0, not_demo_deputies: 0, for_nobody: 0 });
      expect(deputies.records).toBeGreaterThan(0);
      const passed = await one<{ n: number }>(
        `WITH v AS (${votes}) SELECT count(*)::int AS n FROM v WHERE result = 'PASSED' AND deputies_for > 0`,
      );
      expect(passed.n).toBeGreaterThan(0);
    });

    it('gives the floor to members present, one after another inside the item, a few requests withdrawn', async () => {
      const wrong = await one<Record<string, number>>(
        `SELECT
           count(*)::int AS requests,
           count(*) FILTER (WHERE NOT s.synthetic OR s.status <> 'CLOSED' OR i.session_id <> q.session_id
             OR r.session_id <> q.session_id)::int AS outside,
           count(*) FILTER (WHERE r.status <> 'PRESENT' OR r.arrived_at > q.requested_at)::int AS not_present,
           count(*) FILTER (WHERE q.requested_at < i.started_at OR q.requested_at > i.ended_at
             OR q.ended_at > i.ended_at)::int AS outside_item,
           count(*) FILTER (WHERE CASE q.status
             WHEN 'DONE' THEN q.started_at IS NULL OR q.started_at < q.requested_at OR q.ended_at <= q.started_at
               OR q.ended_at > q.started_at + make_interval(secs => coalesce(q.time_limit_seconds, 420))
             WHEN 'WITHDRAWN' THEN q.started_at IS NOT NULL OR q.ended_at IS NOT NULL
             ELSE true END)::int AS times,
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM speech_request o WHERE o.session_id = q.session_id
             AND o.id <> q.id AND o.status = 'DONE' AND q.status = 'DONE'
             AND o.started_at < q.ended_at AND q.started_at < o.ended_at))::int AS overlapping,
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM vote v WHERE v.agenda_item_id = q.agenda_item_id
             AND coalesce(q.ended_at, q.requested_at) > v.opened_at))::int AS during_votes,
           count(*) FILTER (WHERE q.status = 'WITHDRAWN')::int AS withdrawn,
           count(DISTINCT q.kind)::int AS kinds,
           count(*) FILTER (WHERE r.capacity = 'DEPUTY')::int AS by_deputies
         FROM speech_request q JOIN session s ON s.id = q.session_id
         JOIN agenda_item i ON i.id = q.agenda_item_id JOIN attendance_record r ON r.id = q.attendance_record_id`,
      );
      expect(wrong).toMatchObject({
        outside: 0,
        not_present: 0,
        outside_item: 0,
        times: 0,
        overlapping: 0,
        during_votes: 0,
      });
      expect(wrong.kinds).toBe(3);
      expect(wrong.withdrawn).toBeGreaterThan(0);
      expect(wrong.withdrawn).toBeLessThan(wrong.requests / 5);
      expect(wrong.by_deputies).toBeGreaterThan(0);
    });

    it('leaves the reference data as it was, and takes its votes and speeches away with the sessions', async () => {
      expect(await realFingerprint()).toBe(realBefore);
      const summary = await seedDemoData(dataSource, 1);
      const left = await one<Record<string, number>>(
        `SELECT (SELECT count(*)::int FROM vote) AS votes, (SELECT count(*)::int FROM ballot) AS ballots,
                (SELECT count(*)::int FROM speech_request) AS speeches,
                (SELECT count(*)::int FROM attendance_record WHERE capacity = 'DEPUTY') AS deputies,
                (SELECT count(*)::int FROM session WHERE synthetic) AS sessions`,
      );
      expect(left).toMatchObject({
        sessions: 1,
        votes: summary.votes,
        ballots: summary.ballots,
        speeches: summary.speechRequests,
      });
      expect(left.deputies).toBeLessThan(36);
      expect(await realFingerprint()).toBe(realBefore);
    });
  });
});
