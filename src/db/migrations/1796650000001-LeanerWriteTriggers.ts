import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables of a session's own data, each with its session_id (as in ScopedDataVersions), and their change-log type. */
const OF_SESSION: readonly (readonly [table: string, typename: string | null])[] = [
  ['agenda_item', 'AgendaItem'],
  ['attendance_record', 'AttendanceRecord'],
  ['session_event', null],
  ['vote', 'Vote'],
  ['speech_request', 'SpeechRequest'],
];

/** The change log's coalescing, as ChangeLog writes it. */
const COALESCE = `ON CONFLICT ("xid", "typename", "row_id") DO UPDATE
    SET "operation" = excluded."operation", "ordinal" = excluded."ordinal", "changed_at" = excluded."changed_at"`;

/**
 * The sessions to move, from the rows a statement wrote: the rows' own session_id, or (ballots) their vote's.
 * `rows` is the transition table's name.
 */
const sessionsOf = (viaVote: boolean, rows: string): string =>
  viaVote
    ? `SELECT vote."session_id" FROM ${rows} JOIN "vote" vote ON vote."id" = ${rows}."vote_id"`
    : `SELECT "session_id" FROM ${rows}`;

/** A statement trigger's function: `body`, then RETURN NULL; `moved` is a session's id, for the loops of moveVersions. */
const triggerFunction = (name: string, body: string, lean: boolean): string => `
            CREATE OR REPLACE FUNCTION "${name}"() RETURNS trigger LANGUAGE plpgsql AS $$${
              lean
                ? `
            DECLARE
                moved integer;`
                : ''
            }
            BEGIN${body}
                RETURN NULL;
            END
            $$`;

/**
 * Moves the versions of the sessions in `sessions` (a query of their ids, in its column `key`). Lean: once a
 * transaction, each session's row by its key: one UPDATE over all of them, joined, left the plan to the planner,
 * which on a table without statistics yet (a fresh database, seeded) chose to read every version row each time.
 */
const moveVersions = (sessions: string, key: string, lean: boolean): string =>
  lean
    ? `
                FOR moved IN ${sessions} LOOP
                    UPDATE "session_version" SET "version" = "version" + 1, "bumped_by" = pg_current_xact_id()
                     WHERE "session_id" = moved AND "bumped_by" IS DISTINCT FROM pg_current_xact_id();
                END LOOP;`
    : `
                UPDATE "session_version" v SET "version" = v."version" + 1
                  FROM (${sessions}) n
                 WHERE v."session_id" = n."${key}";`;

/** The function that moves the versions of the sessions a statement on `table` wrote in (an UPDATE: before and after). */
function versionFunction(name: string, viaVote: boolean, lean: boolean): string {
  const each = moveVersions(
    `SELECT DISTINCT s."session_id" FROM (${sessionsOf(viaVote, 'changed')}) s`,
    'session_id',
    lean,
  );
  const both = moveVersions(
    `${sessionsOf(viaVote, 'new_rows')} UNION ${sessionsOf(viaVote, 'old_rows')}`,
    'session_id',
    lean,
  );
  return triggerFunction(
    name,
    lean
      ? `
                IF TG_OP = 'UPDATE' THEN${both}
                ELSE${each}
                END IF;`
      : each,
    lean,
  );
}

/**
 * A changed session: its version moves (once a transaction when lean); the list's only if a column other than the
 * log's counters changed. Lean, the rows are compared as rows, the new one with the old counters put back, rather
 * than each made into JSON first (every column as text, the search vector too) on every change.
 */
function sessionChanged(lean: boolean): string {
  return triggerFunction(
    'session_changed',
    `${moveVersions('SELECT DISTINCT "id" FROM new_rows', 'id', lean)}
                IF EXISTS (
                    SELECT 1 FROM old_rows o JOIN new_rows n ON n."id" = o."id"
                    WHERE ${
                      lean
                        ? `jsonb_populate_record(n, jsonb_build_object('last_sequence', o."last_sequence", 'log_bytes', o."log_bytes")) IS DISTINCT FROM o`
                        : `to_jsonb(o) - 'last_sequence' - 'log_bytes' IS DISTINCT FROM to_jsonb(n) - 'last_sequence' - 'log_bytes'`
                    }
                ) OR EXISTS (SELECT 1 FROM new_rows n WHERE NOT EXISTS (SELECT 1 FROM old_rows o WHERE o."id" = n."id")) THEN
                    UPDATE "data_version" SET "version" = "version" + 1 WHERE "id" = 2;
                END IF;`,
    lean,
  );
}

/** A new session's version row, made by this transaction (so moved by it already, when lean). */
function sessionAdded(lean: boolean): string {
  return triggerFunction(
    'session_added',
    `
                INSERT INTO "session_version" ("session_id"${lean ? `, "bumped_by"` : ''}) SELECT "id"${lean ? ', pg_current_xact_id()' : ''} FROM new_rows;
                UPDATE "data_version" SET "version" = "version" + 1 WHERE "id" = 2;`,
    false,
  );
}

/** The change-log function of a table of a session's data (ChangeLog's, with an UPDATE's sessions entered at once when lean). */
function logFunction(table: string, typename: string | null, lean: boolean): string {
  const own = (rows: string, operation: string): string =>
    typename === null
      ? ''
      : `
        INSERT INTO "change_log" ("typename", "row_id", "operation")
        SELECT DISTINCT '${typename}', n."id", '${operation}' FROM ${rows} n WHERE true
        ${COALESCE};`;
  const sessions = (ids: string): string => `
        INSERT INTO "change_log" ("typename", "row_id", "operation")
        SELECT 'Session', p."id", 'UPSERT' FROM "session" p
         WHERE p."id" IN (${ids})
        ${COALESCE};`;
  const updated = lean
    ? sessions('SELECT "session_id" FROM new_rows UNION ALL SELECT "session_id" FROM old_rows')
    : `${sessions('SELECT "session_id" FROM new_rows')}${sessions('SELECT "session_id" FROM old_rows')}`;
  return `
    CREATE OR REPLACE FUNCTION "log_${table}_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN${own('new_rows', 'UPSERT')}${sessions('SELECT "session_id" FROM new_rows')}
        ELSIF TG_OP = 'UPDATE' THEN${own('new_rows', 'UPSERT')}${updated}
        ELSE${own('old_rows', 'DELETE')}${sessions('SELECT "session_id" FROM old_rows')}
        END IF;
        RETURN NULL;
    END
    $$`;
}

/**
 * What a change costs PostgreSQL in triggers (issue 13, writes), measured per recorded attendance: the
 * session's version row was moved four times in one transaction (the record's UPDATE twice, once for its rows
 * after and once before, the session's UPDATE, the event's INSERT), each a new row version with its index
 * entries, its updatedAt stamp and, from the second on, a foreign-key check (PostgreSQL checks a row the same
 * transaction wrote again); the change log entered the session twice for one UPDATE.
 *
 * - session_version."bumped_by": the transaction that last moved the version. A transaction moves a session's
 *   version once, at its first write in the session: readers see its changes only when it commits, all at once,
 *   so once is as exact for the read cache as four times. A 64-bit transaction id (xid8) never wraps, so an
 *   older transaction's mark is never taken for ours. Session.updatedAt is stamped then too.
 * - One statement trigger per table for an UPDATE's versions, over its rows before and after together, in
 *   place of two (one over each).
 * - The change log's entry of the session an UPDATE wrote in, in one INSERT over the rows before and after (it
 *   coalesced to one entry anyway, at the same place among the transaction's entries).
 */
export class LeanerWriteTriggers1796650000001 implements MigrationInterface {
  name = 'LeanerWriteTriggers1796650000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "session_version" ADD "bumped_by" xid8`);
    await this.write(queryRunner, true);
    for (const table of [...OF_SESSION.map(([table]) => table), 'ballot']) {
      await queryRunner.query(`DROP TRIGGER "${table}_bumps_data_version_on_update_from" ON "${table}"`);
      await queryRunner.query(`DROP TRIGGER "${table}_bumps_data_version_on_update" ON "${table}"`);
      await queryRunner.query(`
            CREATE TRIGGER "${table}_bumps_data_version_on_update" AFTER UPDATE ON "${table}"
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
            EXECUTE FUNCTION "${table === 'ballot' ? 'ballot_changed' : 'session_data_changed'}"()
        `);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...OF_SESSION.map(([table]) => table), 'ballot']) {
      const fn = table === 'ballot' ? 'ballot_changed' : 'session_data_changed';
      await queryRunner.query(`DROP TRIGGER "${table}_bumps_data_version_on_update" ON "${table}"`);
      await queryRunner.query(`
            CREATE TRIGGER "${table}_bumps_data_version_on_update" AFTER UPDATE ON "${table}"
            REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "${fn}"()
        `);
      await queryRunner.query(`
            CREATE TRIGGER "${table}_bumps_data_version_on_update_from" AFTER UPDATE ON "${table}"
            REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION "${fn}"()
        `);
    }
    await this.write(queryRunner, false);
    await queryRunner.query(`ALTER TABLE "session_version" DROP COLUMN "bumped_by"`);
  }

  /** The functions, lean (this migration) or as they were. */
  private async write(queryRunner: QueryRunner, lean: boolean): Promise<void> {
    await queryRunner.query(versionFunction('session_data_changed', false, lean));
    await queryRunner.query(versionFunction('ballot_changed', true, lean));
    await queryRunner.query(sessionChanged(lean));
    await queryRunner.query(sessionAdded(lean));
    for (const [table, typename] of OF_SESSION) await queryRunner.query(logFunction(table, typename, lean));
  }
}
