import pg from 'pg';

/** Drops what this run created, and stops the embedded server if it started one. */
export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.OBRADY_TEST_ADMIN_URL;
  const run = process.env.OBRADY_TEST_RUN;
  if (adminUrl && run) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname LIKE $2',
        [`obrady_tpl_${run}`, `obrady_t_${run}_%`],
      );
      for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  await globalThis.__OBRADY_EMBEDDED_PG__?.stop();
}
