import type { TestServer } from './test-server';

/** Runs SQL on a test server's own database (its pool), as the server would. */
export async function sql<T = Record<string, unknown>>(
  server: TestServer,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  return (await server.server.database.dataSource.query(text, params)) as T[];
}

/**
 * Schemas that hold no data of the application: PostgreSQL's own, and
 * rate_limits, whose counters every request moves by design.
 */
const NOT_DATA = ['pg_catalog', 'information_schema', 'pg_toast', 'rate_limits'];

/** Every table of every schema of the application (public included), as "schema"."table", from pg_tables. */
async function tablesOf(server: TestServer): Promise<string[]> {
  const rows = await sql<{ name: string }>(
    server,
    `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
     WHERE schemaname <> ALL($1) ORDER BY schemaname, tablename`,
    [NOT_DATA],
  );
  return rows.map((row) => row.name);
}

/**
 * Every row of every table, hashed: row counts and an md5 of each table's rows
 * (the tables come from pg_tables, so a table added later is covered), the sums
 * of the version and last_sequence columns for a readable diff, and the list of
 * tables, so any change anywhere shows.
 */
export async function fingerprint(server: TestServer): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const tables = await tablesOf(server);
  for (const table of tables) {
    const [row] = await sql<{ rows: number; digest: string }>(
      server,
      `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM ${table} t`,
    );
    result[table.replace(/^public\./, '')] = `${row!.rows} rows, ${row!.digest}`;
  }
  const [sums] = await sql<{ versions: string; sequences: string; events: string }>(
    server,
    `SELECT (SELECT coalesce(sum(version), 0) FROM agenda_item) + (SELECT coalesce(sum(version), 0) FROM attendance_record) AS versions,
            (SELECT coalesce(sum(last_sequence), 0) FROM session) AS sequences,
            (SELECT count(*) FROM session_event) AS events`,
  );
  result.sums = `versions ${sums!.versions}, last_sequence ${sums!.sequences}, events ${sums!.events}`;
  result.tables = tables.join(',');
  return result;
}

/** Runs an attack and checks that every table is exactly as it was. */
export async function unchangedBy<T>(server: TestServer, attack: () => Promise<T>): Promise<T> {
  const before = await fingerprint(server);
  const outcome = await attack();
  expect(await fingerprint(server)).toEqual(before);
  return outcome;
}
