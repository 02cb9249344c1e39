import type { Logger as TypeOrmLogger, QueryRunner } from 'typeorm';
import { currentReadScope, TRACKED } from '../cache/read-scope';
import type { Logger } from '../logger';

/**
 * Counts every SQL statement the data source sends, and logs them at debug
 * level without their parameters (which may hold personal data). Tests use
 * the count to prove that a query's cost does not grow with its page size.
 */
export class SqlCounter implements TypeOrmLogger {
  private count = 0;

  constructor(private readonly logger: Logger) {}

  get statements(): number {
    return this.count;
  }

  /** A planned read's statement (src/plans/), sent on the pool beside TypeORM: counted, and accounted for. */
  countPlanned(): void {
    this.count += 1;
  }

  logQuery(query: string): void {
    this.count += 1;
    // A statement the public read cache cannot account for: the answer it serves is computed, not kept.
    if (!query.startsWith(TRACKED)) currentReadScope()?.spoil('an untracked statement');
    if (this.logger.isLevelEnabled('trace')) this.logger.trace({ sql: query }, 'sql');
  }

  logQueryError(error: string | Error, query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    this.logger.warn({ sql: query, error: error instanceof Error ? error.message : error }, 'sql failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ sql: query, ms: time }, 'slow sql');
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.info(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn({ message }, 'typeorm');
    else this.logger.debug({ message }, 'typeorm');
  }
}
