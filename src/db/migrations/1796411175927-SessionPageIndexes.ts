import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pages of sessions of a body or a term (Body.sessions, Term.sessions and
 * Query.sessions filtered by body or term) are read newest or oldest first and
 * stop after a page: an index on (parent, scheduled_at, id) hands them their
 * rows in order, so a page reads its 21 rows instead of sorting the parent's
 * every session. Each replaces the index on its parent column alone, which it
 * serves as well (the foreign key's look-ups use the leading column).
 */
export class SessionPageIndexes1796411175927 implements MigrationInterface {
  name = 'SessionPageIndexes1796411175927';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "session_body_scheduled_at_id_idx" ON "session" ("body_id", "scheduled_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "session_term_scheduled_at_id_idx" ON "session" ("term_id", "scheduled_at", "id") `,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_c5409d3755dfbba97bf2bd3f1a"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3db8ced62fe29b4ab349a7555e"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_3db8ced62fe29b4ab349a7555e" ON "session" ("term_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_c5409d3755dfbba97bf2bd3f1a" ON "session" ("body_id") `);
    await queryRunner.query(`DROP INDEX "public"."session_term_scheduled_at_id_idx"`);
    await queryRunner.query(`DROP INDEX "public"."session_body_scheduled_at_id_idx"`);
  }
}
