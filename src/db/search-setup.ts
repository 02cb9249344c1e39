import type pg from 'pg';
import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';

/**
 * Chooses at start whether search stems Polish words (see the migration PolishSearch): the dictionary's files
 * may have appeared (an operator installed them) or gone (a dictionary made on a server that lost them) since
 * the last start; the database function rebuilds the stored vectors when the answer changes. Logged once.
 */
export async function chooseSearch(
  dataSource: DataSource,
  wanted: boolean,
  log: Logger,
): Promise<{ stemming: boolean }> {
  const [row] = (await dataSource.query(`SELECT public.obrady_search_choose($1) AS stemming`, [wanted])) as {
    stemming: boolean;
  }[];
  const stemming = row?.stemming === true;
  if (stemming) log.info('search matches Polish word forms (hunspell dictionary obrady_polish)');
  else if (wanted) {
    log.warn(
      'search without the Polish dictionary: the database has no polish.affix/polish.dict/polish.stop in its tsearch_data (see docs/operations.md); words match as typed, ignoring case and diacritics',
    );
  } else log.info('search without stemming (SEARCH_STEMMING=off): words match as typed, ignoring case and diacritics');
  return { stemming };
}

/**
 * Opens every pooled connection and loads the dictionary in each (about 0.4 s of one core apiece: PostgreSQL
 * keeps a text search dictionary per connection, never shared), so that no request pays it. The pool keeps
 * them open (its `min` is its size, see data-source.ts).
 */
export async function warmPool(dataSource: DataSource, size: number, log: Logger): Promise<void> {
  const pool = (dataSource.driver as unknown as { master: pg.Pool }).master;
  const started = Date.now();
  const clients = await Promise.all(Array.from({ length: size }, () => pool.connect()));
  try {
    await Promise.all(
      clients.map((client) => client.query(`SELECT pg_catalog.ts_lexize('public.obrady_polish', 'dzielnicy')`)),
    );
  } finally {
    for (const client of clients) client.release();
  }
  log.info({ connections: size, ms: Date.now() - started }, 'database pool warmed: the Polish dictionary loaded');
}
