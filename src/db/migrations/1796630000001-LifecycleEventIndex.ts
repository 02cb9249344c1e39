import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The events that change a session's own row (SESSION_SCHEDULED, SESSION_UPDATED, SESSION_OPENED ...), found
 * without reading the rest of its log: calendars and feeds count them for each session of a body (a change of
 * time or venue raises iCalendar's SEQUENCE), and a session's log is mostly attendance, ballots and the floor.
 * Partial, so the writes of those others maintain nothing more.
 */
export class LifecycleEventIndex1796630000001 implements MigrationInterface {
  name = 'LifecycleEventIndex1796630000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "session_event_lifecycle_idx" ON "session_event" ("session_id", "sequence") WHERE "kind" LIKE 'SESSION\\_%'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."session_event_lifecycle_idx"`);
  }
}
