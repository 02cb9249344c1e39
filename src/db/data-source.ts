import { DataSource } from 'typeorm';
import { entities } from '../entities';
import type { Logger } from '../logger';
import { migrations } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { SqlCounter } from './sql-counter';

export interface DataSourceOptions {
  readonly url: string;
  readonly poolSize: number;
  /** Keep every connection open once made (they hold the Polish dictionary, costly to load again). */
  readonly keepOpen?: boolean;
  readonly log: Logger;
}

/** The one way to build a DataSource: the server, the CLI (ormconfig.ts), the seeders and the tests share it. */
export function createDataSource(options: DataSourceOptions): { dataSource: DataSource; counter: SqlCounter } {
  const counter = new SqlCounter(options.log);
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    entities,
    migrations,
    namingStrategy: new SnakeNamingStrategy(),
    // The schema changes only through committed migrations.
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    logging: true,
    logger: counter,
    maxQueryExecutionTime: 1000,
    applicationName: 'obrady',
    extra: {
      max: options.poolSize,
      min: options.keepOpen ? options.poolSize : 0,
      // Fail fast when the database is away, rather than queueing requests behind a dead pool.
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
    },
  });
  return { dataSource, counter };
}
