import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sessions of one body in one term, in scheduled order: the page a dashboard or a journalist reads most
 * (`sessions(filter: { bodyId, termNumber })`). Without it, a page is read from the term's index and every other
 * body's sessions of the term are filtered out on the way (about 700 rows for 20 with the demo data), since a
 * prepared statement's plan does not know which body it will be asked for.
 */
export class SessionBodyTermPageIndex1796660000001 implements MigrationInterface {
  name = 'SessionBodyTermPageIndex1796660000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "session_body_term_scheduled_at_id_idx" ON "session" ("body_id", "term_id", "scheduled_at", "id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."session_body_term_scheduled_at_id_idx"`);
  }
}
