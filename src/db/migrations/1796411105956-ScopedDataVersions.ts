import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables of a session's own data, each with its session_id. */
const OF_SESSION = ['agenda_item', 'attendance_record', 'session_event', 'vote', 'speech_request'];
/** Every table that had the one data version's trigger, besides the reference tables that keep it. */
const MOVED = ['session', ...OF_SESSION, 'ballot'];
const EVENTS = ['INSERT', 'UPDATE', 'DELETE'] as const;

/**
 * Finer versions for the public read cache (issue 13): one per session, and
 * two shared ones that only rare writes move. Before, every write anywhere
 * moved the one row of data_version, so all writes in the city queued on it
 * and every write emptied the whole cache.
 *
 * - data_version row 1, "reference": districts, bodies, people, terms, seats,
 *   mandates (their statement triggers stay as they were);
 * - data_version row 2, "sessions": the set of sessions and what lists of
 *   them show — moved when a session is added or removed, or a column of it
 *   other than its log counters changes (opening, closing, rescheduling);
 * - session_version: one row per session, moved by every write to the
 *   session's own data (its row, agenda, attendance, events, votes, ballots,
 *   requests for the floor). Writes in different sessions touch different rows.
 *
 * Statement triggers with transition tables move each session once per
 * statement, whoever writes: the API, seed:demo, or a person at psql.
 */
export class ScopedDataVersions1796411105956 implements MigrationInterface {
  name = 'ScopedDataVersions1796411105956';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "data_version" DROP CONSTRAINT "data_version_id_check"`);
    await queryRunner.query(`ALTER TABLE "data_version" ADD CONSTRAINT "data_version_id_check" CHECK ("id" IN (1, 2))`);
    await queryRunner.query(`INSERT INTO "data_version" ("id", "version") VALUES (2, 1)`);
    await queryRunner.query(`
            CREATE TABLE "session_version" (
                "session_id" integer PRIMARY KEY REFERENCES "session" ("id") ON DELETE CASCADE,
                "version" bigint NOT NULL DEFAULT 1
            )
        `);
    await queryRunner.query(`INSERT INTO "session_version" ("session_id") SELECT "id" FROM "session"`);
    for (const table of MOVED) {
      await queryRunner.query(`DROP TRIGGER "${table}_bumps_data_version" ON "${table}"`);
    }
    await queryRunner.query(`
            CREATE FUNCTION "bump_session_list_version"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE "data_version" SET "version" = "version" + 1 WHERE "id" = 2;
                RETURN NULL;
            END
            $$
        `);
    // A new session: its own version row, and the list of sessions moves.
    await queryRunner.query(`
            CREATE FUNCTION "session_added"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO "session_version" ("session_id") SELECT "id" FROM new_rows;
                UPDATE "data_version" SET "version" = "version" + 1 WHERE "id" = 2;
                RETURN NULL;
            END
            $$
        `);
    // A changed session: its version moves; the list's only if something a list shows or filters by changed.
    await queryRunner.query(`
            CREATE FUNCTION "session_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE "session_version" v SET "version" = v."version" + 1
                  FROM (SELECT DISTINCT "id" FROM new_rows) n WHERE v."session_id" = n."id";
                IF EXISTS (
                    SELECT 1 FROM old_rows o JOIN new_rows n ON n."id" = o."id"
                    WHERE to_jsonb(o) - 'last_sequence' - 'log_bytes' IS DISTINCT FROM to_jsonb(n) - 'last_sequence' - 'log_bytes'
                ) OR EXISTS (SELECT 1 FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM old_rows o WHERE o."id" = n."id")) THEN
                    UPDATE "data_version" SET "version" = "version" + 1 WHERE "id" = 2;
                END IF;
                RETURN NULL;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER "session_bumps_data_version" AFTER INSERT ON "session"
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "session_added"()
        `);
    await queryRunner.query(`
            CREATE TRIGGER "session_bumps_data_version_on_update" AFTER UPDATE ON "session"
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "session_changed"()
        `);
    await queryRunner.query(`
            CREATE TRIGGER "session_bumps_data_version_on_delete" AFTER DELETE OR TRUNCATE ON "session"
            FOR EACH STATEMENT EXECUTE FUNCTION "bump_session_list_version"()
        `);
    // A session's own data: the sessions of the rows written move, once each.
    for (const [name, sessions] of [
      ['session_data_changed', `SELECT "session_id" FROM rows`],
      ['ballot_changed', `SELECT vote."session_id" FROM rows JOIN "vote" vote ON vote."id" = rows."vote_id"`],
    ] as const) {
      await queryRunner.query(`
            CREATE FUNCTION "${name}"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE "session_version" v SET "version" = v."version" + 1
                  FROM (SELECT DISTINCT s."session_id" FROM (${sessions.replaceAll('rows', 'changed')}) s) n
                 WHERE v."session_id" = n."session_id";
                RETURN NULL;
            END
            $$
        `);
    }
    await queryRunner.query(`
            CREATE FUNCTION "every_session_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE "session_version" SET "version" = "version" + 1;
                RETURN NULL;
            END
            $$
        `);
    for (const table of [...OF_SESSION, 'ballot']) {
      const fn = table === 'ballot' ? 'ballot_changed' : 'session_data_changed';
      for (const event of EVENTS) {
        const suffix = event === 'INSERT' ? '' : `_on_${event.toLowerCase()}`;
        const referencing =
          event === 'INSERT'
            ? 'NEW TABLE AS changed'
            : event === 'DELETE'
              ? 'OLD TABLE AS changed'
              : 'NEW TABLE AS changed';
        await queryRunner.query(`
            CREATE TRIGGER "${table}_bumps_data_version${suffix}" AFTER ${event} ON "${table}"
            REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION "${fn}"()
        `);
      }
      // An UPDATE that moves a row to another session moves the session it left too.
      await queryRunner.query(`
            CREATE TRIGGER "${table}_bumps_data_version_on_update_from" AFTER UPDATE ON "${table}"
            REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "${fn}"()
        `);
      await queryRunner.query(`
            CREATE TRIGGER "${table}_bumps_data_version_on_truncate" AFTER TRUNCATE ON "${table}"
            FOR EACH STATEMENT EXECUTE FUNCTION "every_session_changed"()
        `);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...OF_SESSION, 'ballot']) {
      for (const suffix of ['', '_on_update', '_on_delete', '_on_update_from', '_on_truncate']) {
        await queryRunner.query(`DROP TRIGGER "${table}_bumps_data_version${suffix}" ON "${table}"`);
      }
    }
    for (const suffix of ['', '_on_update', '_on_delete']) {
      await queryRunner.query(`DROP TRIGGER "session_bumps_data_version${suffix}" ON "session"`);
    }
    for (const fn of [
      'every_session_changed',
      'ballot_changed',
      'session_data_changed',
      'session_changed',
      'session_added',
      'bump_session_list_version',
    ]) {
      await queryRunner.query(`DROP FUNCTION "${fn}"()`);
    }
    for (const table of MOVED) {
      await queryRunner.query(`
            CREATE TRIGGER "${table}_bumps_data_version"
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${table}"
            FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"()
        `);
    }
    await queryRunner.query(`DROP TABLE "session_version"`);
    await queryRunner.query(`DELETE FROM "data_version" WHERE "id" = 2`);
    await queryRunner.query(`ALTER TABLE "data_version" DROP CONSTRAINT "data_version_id_check"`);
    await queryRunner.query(`ALTER TABLE "data_version" ADD CONSTRAINT "data_version_id_check" CHECK ("id" = 1)`);
  }
}
