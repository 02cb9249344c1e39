import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OneItemInProgress1795533915948 implements MigrationInterface {
  name = 'OneItemInProgress1795533915948';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE UNIQUE INDEX "agenda_item_one_in_progress_idx" ON "agenda_item" ("session_id")
            WHERE "status" = 'IN_PROGRESS'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."agenda_item_one_in_progress_idx"
        `);
  }
}
