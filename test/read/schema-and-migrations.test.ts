import { readFileSync } from 'node:fs';
import path from 'node:path';
import { printedSchema } from '../../src/schema/print-schema';
import { fingerprint as tableFingerprint, startTestServer } from '../support';
import type { TestServer } from '../support';

/** What the repository holds agrees with what runs: the printed schema, the migrations, the reference data. */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

/** Every table's rows, hashed (the attack table's fingerprint), plus the migrations that ran. */
async function fingerprint(target: TestServer): Promise<Record<string, string>> {
  const [migrations] = (await target.server.database.dataSource.query(
    'SELECT count(*)::int AS n, max(timestamp)::text AS last FROM migrations',
  )) as { n: number; last: string }[];
  return { ...(await tableFingerprint(target)), migrations: `${migrations!.n}:${migrations!.last}` };
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
  expect(before.district).toMatch(/^18 rows/);
  const second = await startTestServer({ database: server.database });
  try {
    expect(await fingerprint(second)).toEqual(before);
  } finally {
    await second.stop();
  }
});
