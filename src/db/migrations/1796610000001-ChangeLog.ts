import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A row's log entry: what it shows up as in Query.changes. */
interface Logged {
  /** The table written. */
  readonly table: string;
  /** Its GraphQL type; null for rows without a global id of their own (mandates, ballots). */
  readonly typename: string | null;
  /** The Nodes that show the row and change with it: [typename, SQL of their ids from the rows in `rows`]. */
  readonly parents: readonly (readonly [string, string])[];
  /** An UPDATE logs only the rows where this (over `o`, the old row, and `n`, the new) holds; all by default. */
  readonly changed?: string;
}

const SESSION = ['Session', 'SELECT "session_id" FROM rows'] as const;

/**
 * Every public table, parents before children (the order of the first entries), with what a change to its rows
 * makes appear in the log. A change inside a session is also a change of the Session (its updatedAt moves).
 */
const LOGGED: readonly Logged[] = [
  { table: 'district', typename: 'District', parents: [] },
  { table: 'term', typename: 'Term', parents: [] },
  { table: 'body', typename: 'Body', parents: [] },
  {
    table: 'person',
    typename: 'Person',
    parents: [],
    // Contact details are not public: a change to them alone is not a change of the public record.
    changed: `to_jsonb(o) - 'email' - 'phone' IS DISTINCT FROM to_jsonb(n) - 'email' - 'phone'`,
  },
  { table: 'seat', typename: 'Seat', parents: [] },
  // A mandate has no id of its own in the API: it is seen as its seat's holder (its person is stamped below).
  { table: 'mandate', typename: null, parents: [['Seat', 'SELECT "seat_id" FROM rows']] },
  { table: 'session', typename: 'Session', parents: [] },
  { table: 'agenda_item', typename: 'AgendaItem', parents: [SESSION] },
  { table: 'attendance_record', typename: 'AttendanceRecord', parents: [SESSION] },
  { table: 'vote', typename: 'Vote', parents: [SESSION] },
  // A ballot (OPEN votes only: a SECRET vote has none) is a line of its vote's named list.
  {
    table: 'ballot',
    typename: null,
    parents: [
      ['Vote', 'SELECT "vote_id" FROM rows'],
      ['Session', 'SELECT v."session_id" FROM rows JOIN "vote" v ON v."id" = rows."vote_id"'],
    ],
  },
  { table: 'speech_request', typename: 'SpeechRequest', parents: [SESSION] },
  // The log of a session is read through the session (Session.events): no entry of its own.
  { table: 'session_event', typename: null, parents: [SESSION] },
];

/** Tables named by a parent typename: a parent is logged only while its row exists (a DELETE is never undone). */
const TABLE_OF: Record<string, string> = { Session: 'session', Seat: 'seat', Vote: 'vote', Person: 'person' };

/** One entry per row per transaction, at the place of its last change, with the last operation. */
const COALESCE = `ON CONFLICT ("xid", "typename", "row_id") DO UPDATE
    SET "operation" = excluded."operation", "ordinal" = excluded."ordinal", "changed_at" = excluded."changed_at"`;

/** The time stamps of updatedAt: milliseconds, what DateTime shows and cursors hold. */
const NOW = `date_trunc('milliseconds', clock_timestamp())`;

function functionOf({ table, typename, parents, changed }: Logged): string {
  const parentEntries = (rows: string): string =>
    parents
      .map(
        ([parent, ids]) => `
        INSERT INTO "change_log" ("typename", "row_id", "operation")
        SELECT '${parent}', p."id", 'UPSERT' FROM "${TABLE_OF[parent]}" p
         WHERE p."id" IN (${ids.replaceAll('rows', rows)})
        ${COALESCE};`,
      )
      .join('');
  const own = (rows: string, operation: string, where = 'true'): string =>
    typename === null
      ? ''
      : `
        INSERT INTO "change_log" ("typename", "row_id", "operation")
        SELECT DISTINCT '${typename}', n."id", '${operation}' FROM ${rows} n WHERE ${where}
        ${COALESCE};`;
  const updated = changed
    ? `EXISTS (SELECT 1 FROM old_rows o WHERE o."id" = n."id" AND (${changed}))
          OR NOT EXISTS (SELECT 1 FROM old_rows o WHERE o."id" = n."id")`
    : 'true';
  const personStamp =
    table === 'mandate'
      ? (rows: string) => `
        UPDATE "person" SET "updated_at" = ${NOW} WHERE "id" IN (SELECT "person_id" FROM ${rows});`
      : () => '';
  return `
    CREATE FUNCTION "log_${table}_changes"() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN${own('new_rows', 'UPSERT')}${parentEntries('new_rows')}${personStamp('new_rows')}
        ELSIF TG_OP = 'UPDATE' THEN${own('new_rows', 'UPSERT', updated)}${parentEntries('new_rows')}${parentEntries('old_rows')}${personStamp('new_rows')}${personStamp('old_rows')}
        ELSE${own('old_rows', 'DELETE')}${parentEntries('old_rows')}${personStamp('old_rows')}
        END IF;
        RETURN NULL;
    END
    $$`;
}

/**
 * Incremental sync (issue 14): a log of every change to the public record,
 * in commit order, that a follower reads after a cursor without ever missing
 * or repeating an entry, and the updatedAt of sessions and people.
 *
 * Each entry carries the writing transaction's id (pg_current_xact_id(), a
 * 64-bit xid8 that never wraps) and an ordinal from a sequence (increasing
 * within a transaction). Readers return only entries whose transaction is
 * below their snapshot's xmin: every transaction below it has ended, so no
 * entry can later appear before the cursor, even from a transaction that
 * began early and committed late; ordered by (xid, ordinal), the cursor is
 * that pair. Statement triggers with transition tables write it, whoever
 * writes (the API, seed:demo, psql), at no extra statement of the client's;
 * entries coalesce to one per row per transaction (ON CONFLICT), at the
 * place of the row's last change, with its last operation.
 *
 * The rows there before the log are entered once, as UPSERTs in the order of
 * LOGGED, so that following the log from its start mirrors the whole record.
 *
 * Session.updatedAt lives in session_version, beside the version the read
 * cache keys a session's answers by: the triggers that move the version (on
 * every table of a session's data) stamp it, in the same row update. For the
 * sessions already there: their last event, or their creation.
 * Person.updatedAt is stamped by a change of the person's public columns or
 * of their mandates, not of contact details (private), nor of attendance or
 * ballots (those are the sessions' changes).
 */
export class ChangeLog1796610000001 implements MigrationInterface {
  name = 'ChangeLog1796610000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE "change_log_ordinal_seq" AS bigint`);
    await queryRunner.query(`
            CREATE TABLE "change_log" (
                "xid" xid8 NOT NULL DEFAULT pg_current_xact_id(),
                "ordinal" bigint NOT NULL DEFAULT nextval('change_log_ordinal_seq'),
                "typename" character varying(32) NOT NULL,
                "row_id" integer NOT NULL,
                "operation" character varying(8) NOT NULL,
                "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
                CONSTRAINT "change_log_operation_check" CHECK ("operation" IN ('UPSERT', 'DELETE')),
                CONSTRAINT "change_log_pkey" PRIMARY KEY ("xid", "ordinal")
            )
        `);
    await queryRunner.query(`ALTER SEQUENCE "change_log_ordinal_seq" OWNED BY "change_log"."ordinal"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "change_log_row_idx" ON "change_log" ("xid", "typename", "row_id")`);
    for (const { table, typename } of LOGGED) {
      if (typename !== null) {
        await queryRunner.query(
          `INSERT INTO "change_log" ("typename", "row_id", "operation") SELECT '${typename}', "id", 'UPSERT' FROM "${table}" ORDER BY "id"`,
        );
      }
    }

    await queryRunner.query(`ALTER TABLE "session_version" ADD "updated_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`
            UPDATE "session_version" v SET "updated_at" = date_trunc('milliseconds', greatest(s."created_at",
                   (SELECT max(e."occurred_at") FROM "session_event" e WHERE e."session_id" = v."session_id")))
              FROM "session" s WHERE s."id" = v."session_id"
        `);
    await queryRunner.query(
      `ALTER TABLE "session_version" ALTER "updated_at" SET DEFAULT ${NOW}, ALTER "updated_at" SET NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "session_version_updated_at_idx" ON "session_version" ("updated_at", "session_id")`,
    );
    await queryRunner.query(`
            CREATE FUNCTION "stamp_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW."updated_at" := ${NOW};
                RETURN NEW;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER "session_version_stamps_updated_at" BEFORE UPDATE OF "version" ON "session_version"
            FOR EACH ROW EXECUTE FUNCTION "stamp_updated_at"()
        `);
    await queryRunner.query(`ALTER TABLE "person" ADD "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT ${NOW}`);
    await queryRunner.query(`
            CREATE TRIGGER "person_stamps_updated_at" BEFORE UPDATE ON "person" FOR EACH ROW
            WHEN (to_jsonb(OLD) - 'email' - 'phone' - 'updated_at' IS DISTINCT FROM to_jsonb(NEW) - 'email' - 'phone' - 'updated_at')
            EXECUTE FUNCTION "stamp_updated_at"()
        `);

    for (const logged of LOGGED) {
      const { table } = logged;
      await queryRunner.query(functionOf(logged));
      await queryRunner.query(`
            CREATE TRIGGER "${table}_logs_inserts" AFTER INSERT ON "${table}"
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "log_${table}_changes"()
        `);
      await queryRunner.query(`
            CREATE TRIGGER "${table}_logs_updates" AFTER UPDATE ON "${table}"
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "log_${table}_changes"()
        `);
      await queryRunner.query(`
            CREATE TRIGGER "${table}_logs_deletes" AFTER DELETE ON "${table}"
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "log_${table}_changes"()
        `);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const { table } of LOGGED) {
      for (const what of ['inserts', 'updates', 'deletes']) {
        await queryRunner.query(`DROP TRIGGER "${table}_logs_${what}" ON "${table}"`);
      }
      await queryRunner.query(`DROP FUNCTION "log_${table}_changes"()`);
    }
    await queryRunner.query(`DROP TRIGGER "person_stamps_updated_at" ON "person"`);
    await queryRunner.query(`DROP TRIGGER "session_version_stamps_updated_at" ON "session_version"`);
    await queryRunner.query(`DROP FUNCTION "stamp_updated_at"()`);
    await queryRunner.query(`ALTER TABLE "person" DROP COLUMN "updated_at"`);
    await queryRunner.query(`DROP INDEX "session_version_updated_at_idx"`);
    await queryRunner.query(`ALTER TABLE "session_version" DROP COLUMN "updated_at"`);
    await queryRunner.query(`DROP TABLE "change_log"`);
  }
}
