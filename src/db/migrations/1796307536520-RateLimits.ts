import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The counters of the rate limits when RATE_LIMIT_STORE=postgres, shared by every
 * instance on the database: the table rate-limiter-flexible's RateLimiterPostgres
 * expects (key, points consumed, expiry in epoch ms). In a schema of its own:
 * no query can reach it, so it is not data the read cache's version follows.
 */
export class RateLimits1796307536520 implements MigrationInterface {
  name = 'RateLimits1796307536520';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA "rate_limits"`);
    await queryRunner.query(`
            CREATE TABLE "rate_limits"."counter" (
                "key" varchar(255) PRIMARY KEY,
                "points" integer NOT NULL DEFAULT 0,
                "expire" bigint
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "rate_limits"."counter"`);
    await queryRunner.query(`DROP SCHEMA "rate_limits"`);
  }
}
