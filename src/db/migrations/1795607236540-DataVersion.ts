import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every table whose rows a query can reach. A table added later gets the trigger in its own migration. */
const TABLES = [
  'district',
  'body',
  'person',
  'term',
  'session',
  'agenda_item',
  'seat',
  'attendance_record',
  'mandate',
  'session_event',
];

/**
 * One counter that every committed write moves forward, whoever makes it (the API, seed:demo, a person at psql):
 * the public read cache keys its answers by it. A statement-level trigger updates one row, so the new value
 * becomes visible exactly when the write commits — a sequence would not do, as nextval is seen before commit.
 */
export class DataVersion1795607236540 implements MigrationInterface {
  name = 'DataVersion1795607236540';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "data_version" (
                "id" smallint PRIMARY KEY DEFAULT 1 CHECK ("id" = 1),
                "version" bigint NOT NULL
            )
        `);
    await queryRunner.query(`INSERT INTO "data_version" ("id", "version") VALUES (1, 1)`);
    await queryRunner.query(`
            CREATE FUNCTION "bump_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE "data_version" SET "version" = "version" + 1 WHERE "id" = 1;
                RETURN NULL;
            END
            $$
        `);
    for (const table of TABLES) {
      await queryRunner.query(`
            CREATE TRIGGER "${table}_bumps_data_version"
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${table}"
            FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"()
        `);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.query(`DROP TRIGGER "${table}_bumps_data_version" ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION "bump_data_version"()`);
    await queryRunner.query(`DROP TABLE "data_version"`);
  }
}
