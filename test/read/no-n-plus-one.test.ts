import { DistrictsDeepDocument, SessionsPageDeepDocument } from '../generated/graphql';
import { metricValue, query, startTestServer, statementsOf } from '../support';
import type { TestServer } from '../support';

/**
 * Per-request loaders batch every relation: a page's statements do not grow
 * with its size. Counted with the server's own statement counter, on a server
 * whose every query goes through the resolvers (PLANNED_READS=off), and on
 * one that plans them (src/plans/), where a page is one statement.
 */
let server: TestServer;
let planning: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { PLANNED_READS: 'off' } });
  const db = server.server.database.dataSource;
  // 60 synthetic sessions of a district council, each with agenda items and attendance of people.
  const [council] = (await db.query(
    "SELECT b.id, (SELECT id FROM term WHERE number = 9) AS term FROM body b JOIN district d ON d.id = b.district_id WHERE b.kind = 'DISTRICT_COUNCIL' AND d.number = 5",
  )) as { id: number; term: number }[];
  const seats = (await db.query('SELECT id, label, district_id FROM seat WHERE body_id = $1 ORDER BY position', [
    council!.id,
  ])) as {
    id: number;
    label: string;
    district_id: number;
  }[];
  const people = (await db.query(
    "INSERT INTO person (full_name, synthetic) SELECT '[test] Osoba ' || n, true FROM generate_series(1, $1::int) n RETURNING id",
    [seats.length],
  )) as { id: number }[];
  for (let n = 1; n <= 60; n += 1) {
    const [session] = (await db.query(
      `INSERT INTO session (body_id, term_id, number, title, kind, status, scheduled_at, synthetic)
       VALUES ($1, $2, $3, $4, 'ORDINARY', 'CLOSED', $5, true) RETURNING id`,
      [council!.id, council!.term, 100 + n, `[test] Sesja ${n}`, new Date(Date.UTC(2025, 0, n))],
    )) as { id: number }[];
    await db.query(
      `INSERT INTO agenda_item (session_id, position, title) SELECT $1, p, '[test] Punkt ' || p FROM generate_series(1, 5) p`,
      [session!.id],
    );
    await db.query(
      `INSERT INTO attendance_record (session_id, seat_id, person_id, label, district_id, status, counts_toward_quorum, capacity)
       SELECT $1, s.id, p.id, s.label, s.district_id, 'PRESENT', true, 'HOLDER'
       FROM unnest($2::int[], $3::int[]) WITH ORDINALITY AS x(seat, person, i)
       JOIN seat s ON s.id = x.seat JOIN person p ON p.id = x.person`,
      [session!.id, seats.map((s) => s.id), people.map((p) => p.id)],
    );
  }
  planning = await startTestServer({ database: server.database });
});
afterAll(async () => {
  await planning?.stop();
  await server?.stop();
});

const cost = (run: () => Promise<unknown>): Promise<number> => statementsOf(server, run);

it('a page of sessions with body, district, agenda and attendance with people costs the same for 5 and for 50', async () => {
  const small = await cost(async () => {
    const { sessions } = await query(server.url, SessionsPageDeepDocument, { first: 5 });
    expect(sessions.nodes).toHaveLength(5);
  });
  const large = await cost(async () => {
    const { sessions } = await query(server.url, SessionsPageDeepDocument, { first: 50 });
    expect(sessions.nodes).toHaveLength(50);
    expect(sessions.nodes.every((s) => s.agenda.length === 5 && s.attendance.every((a) => a.person !== null))).toBe(
      true,
    );
  });
  expect(large).toBe(small);
});

it('a planned page of sessions is one statement, for 5 and for 50', async () => {
  const planned = () => metricValue(planning, 'obrady_planned_reads_total{outcome="planned"}');
  // The first request teaches the plan (Apollo answers it); the next are planned.
  await query(planning.url, SessionsPageDeepDocument, { first: 1 });
  const before = await planned();
  for (const first of [5, 50]) {
    const statements = await statementsOf(planning, async () => {
      const { sessions } = await query(planning.url, SessionsPageDeepDocument, { first });
      expect(sessions.nodes).toHaveLength(first);
      expect(sessions.nodes.every((s) => s.agenda.length === 5 && s.attendance.every((a) => a.person !== null))).toBe(
        true,
      );
    });
    expect({ first, statements }).toEqual({ first, statements: 1 });
  }
  expect((await planned()) - before).toBe(2);
});

it('districts with their bodies, seats, holders and sessions cost a fixed number of statements', async () => {
  const statements = await cost(async () => {
    const { districts } = await query(server.url, DistrictsDeepDocument);
    expect(districts).toHaveLength(18);
    expect(districts.find((d) => d.name === 'Krowodrza')!.sessions.totalCount).toBe(60);
  });
  // One statement per level of the tree, not per district, body or seat (18 districts, 36 bodies, 358 seats).
  expect(statements).toBeLessThan(12);
});
