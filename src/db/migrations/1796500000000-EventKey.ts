import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * session_event is keyed by (session_id, sequence), unique already: its bigserial id is gone, so that writes in
 * different sessions share no sequence (every change took nextval of the one sequence). The index on session_id
 * alone goes too: the key's first column serves every query it served, and each insert maintains one index less.
 */
export class EventKey1796500000000 implements MigrationInterface {
  name = 'EventKey1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "session_event" DROP CONSTRAINT "PK_dd950bb61eac3ec5e4af0fe684a"`);
    await queryRunner.query(`ALTER TABLE "session_event" DROP COLUMN "id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3d124a52dfb0fb23b274271bdd"`);
    await queryRunner.query(`ALTER TABLE "session_event" DROP CONSTRAINT "session_event_session_sequence_key"`);
    await queryRunner.query(
      `ALTER TABLE "session_event" ADD CONSTRAINT "PK_1ccf3b2c7c23b4dc964189cf30e" PRIMARY KEY ("session_id", "sequence")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "session_event" DROP CONSTRAINT "PK_1ccf3b2c7c23b4dc964189cf30e"`);
    await queryRunner.query(
      `ALTER TABLE "session_event" ADD CONSTRAINT "session_event_session_sequence_key" UNIQUE ("session_id", "sequence")`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_3d124a52dfb0fb23b274271bdd" ON "session_event" ("session_id")`);
    await queryRunner.query(`ALTER TABLE "session_event" ADD "id" BIGSERIAL NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "session_event" ADD CONSTRAINT "PK_dd950bb61eac3ec5e4af0fe684a" PRIMARY KEY ("id")`,
    );
  }
}
