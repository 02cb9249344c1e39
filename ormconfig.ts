import 'reflect-metadata';
import { loadConfig } from './src/config';
import { createDataSource } from './src/db/data-source';
import { startEmbeddedPostgres } from './src/db/embedded-postgres';
import { createLogger } from './src/logger';

/**
 * For the TypeORM CLI only (npm run migration:generate / migration:run): the
 * same DataSource the server builds, on DATABASE_URL or the embedded database.
 */
async function cliDataSource() {
  const config = loadConfig();
  const log = createLogger({ logLevel: 'warn' });
  const url =
    config.databaseUrl ??
    (await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, database: 'obrady', log }))
      .url;
  return createDataSource({ url, poolSize: 2, log }).dataSource;
}

export default cliDataSource();
