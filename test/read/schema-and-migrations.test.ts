import { readFileSync } from 'node:fs';
import path from 'node:path';
import { printedSchema } from '../../src/schema/print-schema';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

/** What the repository holds agrees with what runs: the printed schema, the migrations, the reference data. */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

async function fingerprint(target: TestServer): Promise<Record<string, string>> {
  const tables = [
    'district',
    'term',
    'body',
    'seat',
    'person',
    'mandate',
    'session',
    'agenda_item',
    'attendance_record',
    'session_event',
    'migrations',
  ];
  const prints: Record<string, string> = {};
  for (const table of tables) {
    const [row] = (await target.server.database.dataSource.query(
      `SELECT count(*)::int AS n, coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') AS digest FROM ${table} t`,
    )) as { n: number; digest: string }[];
    prints[table] = `${row!.n}:${row!.digest}`;
  }
  return prints;
}

it('schema.graphql is the served schema, printed (npm run schema)', async () => {
  const committed = readFileSync(path.resolve(__dirname, '..', '..', 'schema.graphql'), 'utf8');
  expect(committed).toBe(await printedSchema());
});

it('the committed migrations leave nothing for TypeORM to generate', async () => {
  const pending = await server.server.database.dataSource.driver.createSchemaBuilder().log();
  expect(pending.upQueries.map((q) => q.query)).toEqual([]);
});

it('loads the reference data once: a second start on the same database changes nothing', async () => {
  const before = await fingerprint(server);
  expect(before.district).toMatch(/^18:/);
  const second = await startTestServer({ database: server.database });
  try {
    expect(await fingerprint(second)).toEqual(before);
  } finally {
    await second.stop();
  }
});
