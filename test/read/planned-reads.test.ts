import { parse } from 'graphql';
import type { Pool } from 'pg';
import { seedDemoData } from '../../src/db/seed/demo-data';
import { PlannedReads } from '../../src/plans/planned-reads';
import { buildObradySchema } from '../../src/schema/build-schema';
import { toGlobalId } from '../../src/schema/global-id';
import { metricValue, sql, startTestServer, statementsOf } from '../support';
import type { TestServer } from '../support';

/**
 * Planned reads (src/plans/): an anonymous query whose every field a plan covers is answered by one statement,
 * without the resolvers, and nothing else changes — the bytes (test/read/same-answers.test.ts holds every
 * operation to that), the errors, the cache's strictness, what the public may see.
 */
let planning: TestServer;
let resolving: TestServer;
let sessionId: number;
beforeAll(async () => {
  planning = await startTestServer();
  await seedDemoData(planning.server.database.dataSource, 20);
  resolving = await startTestServer({ env: { PLANNED_READS: 'off' }, database: planning.database });
  const [row] = (await sql(
    planning,
    `SELECT s.id FROM session s WHERE EXISTS (SELECT 1 FROM attendance_record a WHERE a.session_id = s.id)
      ORDER BY s.id LIMIT 1`,
  )) as { id: number }[];
  sessionId = row!.id;
});
afterAll(async () => {
  await resolving?.stop();
  await planning?.stop();
});

const SESSION = `query PlannedSession($id: ID!) { session(id: $id) { id title status agenda { position title }
  attendance { status seat { label } person { fullName } } } }`;

/** The answer's text and content type, as a client gets them. */
async function ask(server: TestServer, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

const outcome = (server: TestServer, name: 'planned' | 'unplanned' | 'declined') =>
  metricValue(server, `obrady_planned_reads_total{outcome="${name}"}`);

test('a planned read is one statement, and answers what the resolvers answer, byte for byte, for either Accept', async () => {
  const variables = { id: toGlobalId('Session', sessionId) };
  // The first request of a document teaches its plan; Apollo answers it.
  await ask(planning, { query: SESSION, variables: { ...variables, n: 0 } });
  const planned = await outcome(planning, 'planned');
  for (const accept of ['application/json', 'application/graphql-response+json', '*/*']) {
    // A body not asked before (an undeclared variable differs), so no kept answer serves it.
    const body = { query: SESSION, variables: { ...variables, n: accept } };
    let answer: Awaited<ReturnType<typeof ask>> | undefined;
    const statements = await statementsOf(planning, async () => {
      answer = await ask(planning, body, { accept });
    });
    expect({ accept, statements }).toEqual({ accept, statements: 1 });
    expect(answer).toEqual(await ask(resolving, body, { accept }));
    expect(answer!.text).toContain('"attendance":[{');
  }
  expect((await outcome(planning, 'planned')) - planned).toBe(3);
});

test('an argument the resolvers refuse gets their error, and a field a plan does not cover goes to them', async () => {
  const declined = await outcome(planning, 'declined');
  await ask(planning, { query: SESSION, variables: { id: toGlobalId('Session', sessionId) } });
  for (const id of ['not an id', toGlobalId('Session', 999_999), toGlobalId('Person', sessionId)]) {
    const body = { query: SESSION, variables: { id } };
    expect(await ask(planning, body)).toEqual(await ask(resolving, body));
  }
  // Only the malformed id was the resolvers' to answer; an unknown session and an id of another type are null.
  expect((await outcome(planning, 'declined')) - declined).toBe(1);

  // Contact details are answered by resolvers that ask who calls: never planned, and null for the public.
  const unplanned = await outcome(planning, 'unplanned');
  const contact = 'query Contact($id: ID!) { person(id: $id) { fullName email phone } }';
  const [person] = (await sql(planning, 'SELECT id FROM person ORDER BY id LIMIT 1')) as { id: number }[];
  for (let i = 0; i < 2; i += 1) {
    const answer = await ask(planning, { query: contact, variables: { id: toGlobalId('Person', person!.id), i } });
    expect(JSON.parse(answer.text).data.person).toMatchObject({ email: null, phone: null });
  }
  expect((await outcome(planning, 'unplanned')) - unplanned).toBe(2);
});

test('a write straight into the database is seen by the next planned read, cached or not', async () => {
  const body = { query: SESSION, variables: { id: toGlobalId('Session', sessionId), fresh: 1 } };
  await ask(planning, body);
  // Asked again: from the cache now, or planned; either way the same.
  const before = await ask(planning, body);
  await sql(planning, `UPDATE agenda_item SET title = title || ' (zmieniony)' WHERE session_id = $1 AND position = 1`, [
    sessionId,
  ]);
  const after = await ask(planning, body);
  expect(after.text).not.toEqual(before.text);
  expect(after.text).toContain('(zmieniony)');
  expect(after).toEqual(await ask(resolving, body));
  // A body never asked before (read cold: the versions in the plan's own statement) sees it too.
  const cold = await ask(planning, { ...body, variables: { ...body.variables, fresh: 2 } });
  expect(cold.text).toEqual(after.text);
});

test('reads of one plan asked for at once share a statement, each request its own answer', async () => {
  // The planned reads of a server, on its database, asked directly: twelve requests in the same turn of the event
  // loop, as a busy server meets them; a few statements at a time, so some carry several.
  const { dataSource } = planning.server.database;
  let statements = 0;
  const planned = new PlannedReads(
    await buildObradySchema(),
    dataSource,
    (dataSource.driver as unknown as { master: Pool }).master,
    { statement: () => (statements += 1), outcome: () => undefined, failed: (why) => fail(why) },
  );
  planned.learn(SESSION, undefined, parse(SESSION));
  const ids = ((await sql(planning, 'SELECT id FROM session ORDER BY id LIMIT 12')) as { id: number }[]).map(
    (row) => row.id,
  );
  const answers = await Promise.all(
    ids.map((id) => planned.answer(SESSION, undefined, { id: toGlobalId('Session', id) }, null)),
  );
  expect(statements).toBeGreaterThan(0);
  expect(statements).toBeLessThan(ids.length);
  for (const [i, id] of ids.entries()) {
    const { text } = await ask(resolving, { query: SESSION, variables: { id: toGlobalId('Session', id) } });
    expect(JSON.stringify({ data: answers[i]!.data })).toEqual(text.trimEnd());
  }
});
