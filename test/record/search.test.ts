import { Writable } from 'node:stream';
import pino from 'pino';
import { PeopleDocument, SearchDocument, SessionsDocument } from '../generated/graphql';
import type { SearchQuery, SearchQueryVariables } from '../generated/graphql';
import { codes, createTestDatabase, post, query, sql, startTestServer } from '../support';
import type { TestDatabase, TestServer } from '../support';

/**
 * Search as a journalist uses it, in real Polish on the reference data (the Convention's inaugural session,
 * src/db/seed/krakow.json). The embedded PostgreSQL has the Polish dictionary (installed at its start); the
 * external one of `TEST_DATABASE_URL` has not, and must fall back: both runs of the suite pass this file.
 * A second server with SEARCH_STEMMING=off tests the fallback on either.
 */
const dictionaryExpected = !process.env.TEST_DATABASE_URL;
const withDictionary = dictionaryExpected ? describe : describe.skip;

let server: TestServer;
let plain: TestServer;
const logged: { level: number; msg: string }[] = [];

/** Two sessions of a council: one with the word in its title, one with it only in its agenda. */
async function addRankingSessions(target: TestServer): Promise<void> {
  const [body] = await sql<{ id: number; term: number }>(
    target,
    `SELECT b.id, (SELECT id FROM term WHERE number = 9) AS term FROM body b JOIN district d ON d.id = b.district_id
      WHERE b.kind = 'DISTRICT_COUNCIL' AND d.number = 3`,
  );
  const insert = async (number: number, title: string): Promise<number> => {
    const [row] = await sql<{ id: number }>(
      target,
      `INSERT INTO session (body_id, term_id, number, title, kind, status, scheduled_at, synthetic)
       VALUES ($1, $2, $3, $4, 'ORDINARY', 'SCHEDULED', now() + interval '30 days', true) RETURNING id`,
      [body!.id, body!.term, number, title],
    );
    return row!.id;
  };
  await insert(901, '[test] Kanalizacja deszczowa na Prądniku');
  const agenda = await insert(902, '[test] Sesja zwyczajna');
  await sql(target, `INSERT INTO agenda_item (session_id, position, title) VALUES ($1, 1, $2), ($1, 2, $3)`, [
    agenda,
    'Sprawozdanie z działalności zarządu',
    'Kanalizacja na osiedlu Krowodrza Górka',
  ]);
}

async function search(target: TestServer, variables: SearchQueryVariables): Promise<SearchQuery['search']> {
  return (await query(target.url, SearchDocument, variables)).search;
}

const titles = (result: SearchQuery['search']): string[] =>
  result.edges.map(({ node: { node } }) =>
    'title' in node ? node.title : 'fullName' in node ? node.fullName : 'subject' in node ? node.subject : '',
  );

let plainDatabase: TestDatabase;
beforeAll(async () => {
  server = await startTestServer();
  await addRankingSessions(server);
  plainDatabase = await createTestDatabase();
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logged.push(JSON.parse(line));
      done();
    },
  });
  plain = await startTestServer({
    env: { SEARCH_STEMMING: 'off' },
    database: plainDatabase,
    log: pino({ level: 'info' }, sink),
  });
  await addRankingSessions(plain);
});
afterAll(async () => {
  await server?.stop();
  await plain?.stop();
  await plainDatabase?.drop();
});

it('says whether Polish word forms are matched: with the dictionary the embedded server has, not without', async () => {
  expect((await search(server, { query: 'Dzielnic' })).stemming).toBe(dictionaryExpected);
  expect((await search(plain, { query: 'Dzielnic' })).stemming).toBe(false);
});

withDictionary('with the Polish dictionary', () => {
  it('finds "dane osobowe" in the agenda of the inaugural session: "Przetwarzanie danych osobowych"', async () => {
    const { sessions } = await query(server.url, SessionsDocument, { filter: { search: 'dane osobowe' } });
    expect(sessions.edges.map((edge) => edge.node.title)).toEqual([
      'Inauguracyjne posiedzenie Konwentu Przewodniczących Rad i Zarządów Dzielnic IX kadencji',
    ]);
    const found = await search(server, { query: 'dane osobowe', types: ['AGENDA_ITEM'] });
    expect(found.totalCount).toBe(1);
    expect(found.edges[0]!.node.snippet).toBe('Przetwarzanie <b>danych</b> <b>osobowych</b> w Dzielnicach');
  });

  it('finds "informatyczna" in "obsłudze informatycznej", and "posiedzeniach" in "posiedzenie"', async () => {
    const support = await search(server, { query: 'informatyczna', types: ['AGENDA_ITEM'] });
    expect(titles(support)).toEqual(['Wsparcie Rad i Zarządów Dzielnic w obsłudze informatycznej']);
    expect(support.edges[0]!.node.snippet).toContain('w obsłudze <b>informatycznej</b>');
    const meetings = await search(server, { query: 'posiedzeniach', types: ['SESSION'] });
    expect(titles(meetings)).toContain(
      'Inauguracyjne posiedzenie Konwentu Przewodniczących Rad i Zarządów Dzielnic IX kadencji',
    );
    expect(meetings.edges[0]!.node.snippet).toContain('<b>posiedzenie</b>');
  });

  it('finds Artur Buszek by his name in the genitive, "Buszka", in people(search) and in search', async () => {
    const { people } = await query(server.url, PeopleDocument, { search: 'Buszka' });
    expect(people.nodes.map((person) => person.fullName)).toEqual(['Artur Buszek']);
    const found = await search(server, { query: 'Buszka', types: ['PERSON'] });
    expect(titles(found)).toEqual(['Artur Buszek']);
    expect(found.edges[0]!.node.snippet).toBe('Artur <b>Buszek</b>');
  });

  it('finds a word in another form than it was written in a new row, as soon as it is committed', async () => {
    const found = await search(server, { query: 'kanalizacji', types: ['SESSION'] });
    expect(found.edges.map((edge) => edge.node.snippet)).toContain('[test] <b>Kanalizacja</b> deszczowa na Prądniku');
  });

  it('loads the dictionary into every pooled connection at start, unless DB_POOL_LAZY, and keeps them open', async () => {
    const warmed = await startTestServer({ env: { DB_POOL_LAZY: 'false', DB_POOL_SIZE: '3' } });
    try {
      const [pool] = await sql<{ n: number }>(
        warmed,
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'obrady' AND query NOT LIKE 'LISTEN%'`,
      );
      expect(pool!.n).toBe(3);
    } finally {
      await warmed.stop();
    }
  });
});

describe.each([
  ['the server as configured', () => server],
  ['without stemming (SEARCH_STEMMING=off)', () => plain],
])('search, %s', (_name, target) => {
  it('matches words typed without diacritics: "zarzadow" finds "Zarządów"', async () => {
    const found = await search(target(), { query: 'zarzadow', types: ['SESSION', 'AGENDA_ITEM'] });
    expect(titles(found)).toEqual(
      expect.arrayContaining([
        'Inauguracyjne posiedzenie Konwentu Przewodniczących Rad i Zarządów Dzielnic IX kadencji',
        'Wsparcie Rad i Zarządów Dzielnic w obsłudze informatycznej',
      ]),
    );
    for (const edge of found.edges) expect(edge.node.snippet).toContain('<b>Zarządów</b>');
    const { sessions } = await query(target().url, SessionsDocument, { filter: { search: 'ZARZADOW dzielnic' } });
    expect(sessions.totalCount).toBeGreaterThanOrEqual(1);
  });

  it('finds a person despite a typo in the name (trigram similarity)', async () => {
    for (const typo of ['Busek', 'Buszke']) {
      const { people } = await query(target().url, PeopleDocument, { search: typo });
      expect({ typo, found: people.nodes.map((person) => person.fullName) }).toEqual({
        typo,
        found: ['Artur Buszek'],
      });
    }
    expect(titles(await search(target(), { query: 'artur busek', types: ['PERSON'] }))).toEqual(['Artur Buszek']);
  });

  it('ranks a session whose title matches above one whose agenda does', async () => {
    const found = await search(target(), { query: 'kanalizacja', types: ['SESSION'] });
    expect(titles(found)).toEqual(['[test] Kanalizacja deszczowa na Prądniku', '[test] Sesja zwyczajna']);
    expect(found.edges[0]!.node.score).toBeGreaterThan(found.edges[1]!.node.score);
    expect(found.edges[1]!.node.snippet).toContain('<b>Kanalizacja</b> na osiedlu Krowodrza Górka');
  });

  it('escapes the text of a snippet, adding only <b>…</b>', async () => {
    const title = `[test] <script>alert("x")</script> Budżet & 'plan' <b>nie</b>`;
    await sql(target(), `UPDATE session SET title = $1 WHERE number = 901 AND title LIKE '[test] Kanal%'`, [title]);
    const found = await search(target(), { query: 'budżet', types: ['SESSION'] });
    const snippet = found.edges.find((edge) => edge.node.snippet?.includes('script'))!.node.snippet!;
    expect(snippet).toBe(
      `[test] &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <b>Budżet</b> &amp; &#39;plan&#39; &lt;b&gt;nie&lt;/b&gt;`,
    );
    await sql(target(), `UPDATE session SET title = '[test] Kanalizacja deszczowa na Prądniku' WHERE title = $1`, [
      title,
    ]);
  });

  it('pages through every hit once, best first, with opaque cursors', async () => {
    const all = await search(target(), { query: 'dzielnic', first: 100 });
    expect(all.totalCount).toBe(all.edges.length);
    expect(all.totalCount).toBeGreaterThanOrEqual(3);
    const scores = all.edges.map((edge) => edge.node.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 50; pages += 1) {
      const page: SearchQuery['search'] = await search(target(), { query: 'dzielnic', first: 1, after });
      expect(page.totalCount).toBe(all.totalCount);
      seen.push(...page.edges.map((edge) => edge.node.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    expect(seen).toEqual(all.edges.map((edge) => edge.node.node.id));
  });

  it('never searches personal data: an e-mail address finds no one', async () => {
    await sql(
      target(),
      "UPDATE person SET email = 'niepowtarzalny.adres@example.org' WHERE full_name = 'Artur Buszek'",
    );
    const found = await search(target(), { query: 'niepowtarzalny', types: ['PERSON'] });
    expect(found.totalCount).toBe(0);
    const buszek = await search(target(), { query: 'Buszek', types: ['PERSON'] });
    expect(buszek.edges[0]!.node.node).toMatchObject({ fullName: 'Artur Buszek', email: null, phone: null });
  });

  it('refuses an empty query, no types, a bad page size or cursor with BAD_USER_INPUT, naming the argument', async () => {
    const cases: [SearchQueryVariables, string][] = [
      [{ query: '' }, 'query'],
      [{ query: ' -- ' }, 'query'],
      [{ query: 'x'.repeat(201) }, 'query'],
      [{ query: 'a b c d e f g h i' }, 'query'],
      [{ query: 'rada', types: [] }, 'types'],
      [{ query: 'rada', first: 101 }, 'first'],
      [{ query: 'rada', after: 'not-a-cursor' }, 'after'],
      [{ query: 'rada', after: Buffer.from(JSON.stringify(['search', '9:x', 1])).toString('base64url') }, 'after'],
    ];
    for (const [variables, argumentName] of cases) {
      const result = await post(target().url, SearchDocument, variables);
      expect({ variables, codes: codes(result), data: result.data ?? null }).toEqual({
        variables,
        codes: ['BAD_USER_INPUT'],
        data: null,
      });
      expect(result.errors?.[0]?.extensions?.argumentName).toBe(argumentName);
    }
  });
});

describe('without stemming', () => {
  it('matches words only as typed: "dane osobowe" finds nothing, "danych osobowych" the agenda item', async () => {
    expect((await search(plain, { query: 'dane osobowe' })).totalCount).toBe(0);
    const found = await search(plain, { query: 'danych osobowych', types: ['AGENDA_ITEM'] });
    expect(found.edges[0]!.node.snippet).toBe('Przetwarzanie <b>danych</b> <b>osobowych</b> w Dzielnicach');
  });

  it('says so in the log once, at start', () => {
    const notes = logged.filter((line) => /search without/.test(line.msg));
    expect(notes).toHaveLength(1);
  });

  it('rebuilds the stored vectors when the choice changes at the next start', async () => {
    await plain.stop();
    plain = await startTestServer({ database: plainDatabase });
    const found = await search(plain, { query: 'dane osobowe', types: ['AGENDA_ITEM'] });
    expect(found.stemming).toBe(dictionaryExpected);
    expect(found.totalCount).toBe(dictionaryExpected ? 1 : 0);
  });
});
