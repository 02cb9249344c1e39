import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { createDataSource } from './data-source';
import { startEmbeddedPostgres } from './embedded-postgres';
import type { EmbeddedPostgres } from './embedded-postgres';
import { chooseSearch, warmPool } from './search-setup';
import type { SqlCounter } from './sql-counter';

export interface Database {
  readonly dataSource: DataSource;
  readonly counter: SqlCounter;
  /** The URL in use: DATABASE_URL, or the embedded server's. */
  readonly url: string;
  readonly embedded: boolean;
  /** Whether search matches Polish word forms (the dictionary is there), chosen at start. */
  readonly searchStemming: boolean;
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL, brings the
 * schema up to date with the committed migrations, chooses how search treats
 * words and, unless DB_POOL_LAZY, opens the pool's connections.
 */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'embeddedPgPort' | 'dbPoolSize' | 'dbPoolLazy' | 'searchStemming'>,
  log: Logger,
): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  const url =
    config.databaseUrl ??
    (embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
      database: 'obrady',
      log,
    })).url;
  const { dataSource, counter } = createDataSource({
    url,
    poolSize: config.dbPoolSize,
    keepOpen: !config.dbPoolLazy,
    log,
  });
  let searchStemming: boolean;
  try {
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) log.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
    searchStemming = (await chooseSearch(dataSource, config.searchStemming === 'auto', log)).stemming;
    if (searchStemming && !config.dbPoolLazy) await warmPool(dataSource, config.dbPoolSize, log);
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw error;
  }
  return {
    dataSource,
    counter,
    url,
    embedded: embedded !== undefined,
    searchStemming,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
