import { DistrictByDocument, NodeByIdDocument, PeopleDocument, SessionsDocument } from '../generated/graphql';
import type { SessionsQuery } from '../generated/graphql';
import { post, query, startTestServer } from '../support';
import type { TestServer } from '../support';

/** Filtering, ordering and cursor pagination, as a dashboard pages through them. */
let server: TestServer;
let councilId: number;
beforeAll(async () => {
  server = await startTestServer();
  const db = server.server.database.dataSource;
  const [row] = (await db.query(
    "SELECT b.id, (SELECT id FROM term WHERE number = 8) AS t8, (SELECT id FROM term WHERE number = 9) AS t9 FROM body b JOIN district d ON d.id = b.district_id WHERE b.kind = 'DISTRICT_COUNCIL' AND d.number = 7",
  )) as { id: number; t8: number; t9: number }[];
  councilId = row!.id;
  for (let n = 1; n <= 45; n += 1) {
    const [session] = (await db.query(
      `INSERT INTO session (body_id, term_id, number, title, kind, status, scheduled_at, description, synthetic)
       VALUES ($1, $2, $3, $4, 'ORDINARY', $5, $6, $7, true) RETURNING id`,
      [
        councilId,
        n <= 15 ? row!.t8 : row!.t9,
        n,
        `[test] Sesja ${n}${n === 7 ? ' 100% budżetu' : ''}`,
        n % 3 === 0 ? 'CANCELLED' : 'CLOSED',
        new Date(Date.UTC(2023, 0, n, 17)),
        n === 9 ? 'o zieleni miejskiej' : null,
      ],
    )) as { id: number }[];
    if (n === 11) {
      await db.query(
        "INSERT INTO agenda_item (session_id, position, title) VALUES ($1, 1, '[test] Plan ścieżek rowerowych')",
        [session!.id],
      );
    }
  }
});
afterAll(() => server?.stop());

const councilGlobalId = () => Buffer.from(`Body:${councilId}`).toString('base64url');

describe('sessions', () => {
  it('filters by body, kind, district, term, status, dates and words', async () => {
    const count = async (filter: Record<string, unknown>) =>
      (await query(server.url, SessionsDocument, { filter })).sessions.totalCount;
    expect(await count({ bodyId: councilGlobalId() })).toBe(45);
    expect(await count({ districtNumber: 7 })).toBe(45);
    expect(await count({ districtNumber: 7, termNumber: 8 })).toBe(15);
    expect(await count({ bodyKind: 'CONVENTION' })).toBe(1);
    expect(await count({ districtNumber: 7, status: ['CANCELLED'] })).toBe(15);
    expect(await count({ districtNumber: 7, from: '2023-01-10T00:00:00Z', to: '2023-01-20T00:00:00Z' })).toBe(10);
    expect(await count({ search: 'zieleni' })).toBe(1);
    expect(await count({ search: 'ROWEROWYCH ścieżek' })).toBe(1);
    // Words are matched, never syntax: LIKE's wildcards and tsquery's operators mean nothing; no word, no match.
    expect(await count({ search: '100%' })).toBe(1);
    expect(await count({ search: '%' })).toBe(0);
    expect(await count({ search: '_' })).toBe(0);
    expect(await count({ search: 'zieleni | !rowerowych' })).toBe(0);
  });

  it('pages with opaque cursors, 20 by default, with no gap or repeat, in either order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: SessionsQuery = await query(server.url, SessionsDocument, {
        filter: { districtNumber: 7 },
        orderBy: 'SCHEDULED_AT_ASC',
        after,
      });
      const { edges, pageInfo } = page.sessions;
      expect(edges.length).toBeLessThanOrEqual(20);
      seen.push(...edges.map((e) => e.node.title));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen).toEqual(
      Array.from({ length: 45 }, (_, i) => `[test] Sesja ${i + 1}${i === 6 ? ' 100% budżetu' : ''}`),
    );
    const desc = await query(server.url, SessionsDocument, { filter: { districtNumber: 7 }, first: 3 });
    expect(desc.sessions.edges.map((e) => e.node.title)).toEqual([
      '[test] Sesja 45',
      '[test] Sesja 44',
      '[test] Sesja 43',
    ]);
  });

  it('keeps a cursor valid while rows are added before and after it', async () => {
    const first = await query(server.url, SessionsDocument, {
      filter: { districtNumber: 7 },
      orderBy: 'SCHEDULED_AT_ASC',
      first: 10,
    });
    const db = server.server.database.dataSource;
    const [{ t9 }] = (await db.query('SELECT id AS t9 FROM term WHERE number = 9')) as [{ t9: number }];
    for (const [n, day] of [
      [201, 1],
      [202, 28],
    ]) {
      await db.query(
        `INSERT INTO session (body_id, term_id, number, title, kind, status, scheduled_at, synthetic)
         VALUES ($1, $2, $3, $4, 'ORDINARY', 'CLOSED', $5, true)`,
        [councilId, t9, n, `[test] Dodana ${n}`, new Date(Date.UTC(2022, 11, day as number))],
      );
    }
    const next = await query(server.url, SessionsDocument, {
      filter: { districtNumber: 7 },
      orderBy: 'SCHEDULED_AT_ASC',
      first: 2,
      after: first.sessions.pageInfo.endCursor,
    });
    expect(next.sessions.edges.map((e) => e.node.title)).toEqual(['[test] Sesja 11', '[test] Sesja 12']);
    expect(next.sessions.pageInfo.hasPreviousPage).toBe(true);
  });

  it('refuses a page larger than 100, and bad filters, naming the argument', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ first: 101 }, 'first'],
      [{ first: -1 }, 'first'],
      [{ after: 'garbage' }, 'after'],
      [{ filter: { from: '2024-01-02T00:00:00Z', to: '2024-01-01T00:00:00Z' } }, 'filter.to'],
      [{ filter: { status: [] } }, 'filter.status'],
      [{ filter: { search: 'x'.repeat(201) } }, 'filter.search'],
      [{ filter: { bodyId: '!!!' } }, 'filter.bodyId'],
      [{ filter: { districtNumber: 0 } }, 'filter.districtNumber'],
    ];
    for (const [variables, argumentName] of cases) {
      const result = await post(server.url, SessionsDocument, variables);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName });
      expect(JSON.stringify(result.errors)).not.toMatch(/SELECT|stacktrace|at .*\.ts/);
    }
    const badDate = await post(server.url, SessionsDocument, { filter: { from: '2024-01-01' } });
    expect(badDate.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('ids and people', () => {
  it('answers null for unknown ids and ids of another type, BAD_USER_INPUT for malformed ones', async () => {
    const unknown = Buffer.from('Session:999999').toString('base64url');
    expect((await query(server.url, NodeByIdDocument, { id: unknown })).node).toBeNull();
    expect((await query(server.url, DistrictByDocument, { id: councilGlobalId() })).district).toBeNull();
    const malformed = await post(server.url, NodeByIdDocument, { id: 'not-an-id' });
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'id' });
    const both = await post(server.url, DistrictByDocument, { number: 1, slug: 'stare-miasto' });
    expect(both.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await query(server.url, DistrictByDocument, { slug: 'nowa-huta' })).district?.number).toBe(18);
  });

  it('finds people by words of their name, with public data only', async () => {
    await server.server.database.dataSource.query(
      "UPDATE person SET email = 'a.buszek@example.org', phone = '+48 12 000 00 00' WHERE full_name = 'Artur Buszek'",
    );
    const { people } = await query(server.url, PeopleDocument, { search: 'busz' });
    expect(people.totalCount).toBe(1);
    expect(people.nodes[0]).toMatchObject({ fullName: 'Artur Buszek', email: null, phone: null });
    expect(people.nodes[0]!.mandates.map((m) => m.title)).toContain('Przewodniczący Konwentu');
  });
});
