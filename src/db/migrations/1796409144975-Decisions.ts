import type { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = [
  'SESSION_SCHEDULED',
  'SESSION_UPDATED',
  'SESSION_OPENED',
  'SESSION_SUSPENDED',
  'SESSION_RESUMED',
  'SESSION_CLOSED',
  'SESSION_CANCELLED',
  'AGENDA_ITEM_ADDED',
  'AGENDA_ITEM_UPDATED',
  'AGENDA_ITEM_MOVED',
  'AGENDA_ITEM_STARTED',
  'AGENDA_ITEM_FINISHED',
  'AGENDA_ITEM_REMOVED',
  'ATTENDANCE_RECORDED',
];
const KINDS_ADDED = [
  'VOTE_OPENED',
  'BALLOT_CAST',
  'VOTE_COUNTS_RECORDED',
  'VOTE_CLOSED',
  'VOTE_ANNULLED',
  'SPEECH_REQUESTED',
  'SPEECH_STARTED',
  'SPEECH_ENDED',
  'SPEECH_WITHDRAWN',
];
/** Tables a query can reach: each moves the data version the read cache is keyed by (see DataVersion). */
const NEW_TABLES = ['vote', 'ballot', 'speech_request'];
const kindCheck = (kinds: string[]): string =>
  `ALTER TABLE "session_event" ADD CONSTRAINT "session_event_kind_check" CHECK ("kind" IN (${kinds.map((k) => `'${k}'`).join(', ')}))`;

/**
 * What a meeting decides (issue 12): votes with their named lists, requests
 * for the floor, and deputies. Existing attendance records are a seat's
 * holder's, or a guest's where there is no seat; the Convention admits
 * deputies (its rules: "the chairs ... or the deputies they designate").
 */
export class Decisions1796409144975 implements MigrationInterface {
  name = 'Decisions1796409144975';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "vote" (
                "id" SERIAL NOT NULL,
                "session_id" integer NOT NULL,
                "agenda_item_id" integer,
                "subject" character varying(2000) NOT NULL,
                "secrecy" character varying(16) NOT NULL,
                "majority" character varying(24) NOT NULL,
                "status" character varying(16) NOT NULL,
                "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "closed_at" TIMESTAMP WITH TIME ZONE,
                "quorum_seats" integer NOT NULL,
                "quorum_present" integer NOT NULL,
                "quorum_required" integer NOT NULL,
                "quorum_reached" boolean NOT NULL,
                "count_for" integer NOT NULL DEFAULT '0',
                "count_against" integer NOT NULL DEFAULT '0',
                "count_abstain" integer NOT NULL DEFAULT '0',
                "counts_recorded" boolean NOT NULL DEFAULT false,
                "result" character varying(16),
                "annulment_reason" character varying(2000),
                CONSTRAINT "vote_counts_check" CHECK (
                    "count_for" >= 0
                    AND "count_against" >= 0
                    AND "count_abstain" >= 0
                    AND "count_for" + "count_against" + "count_abstain" <= "quorum_present"
                ),
                CONSTRAINT "vote_result_check" CHECK (
                    "result" IS NULL
                    OR "result" IN ('PASSED', 'REJECTED', 'NO_QUORUM')
                ),
                CONSTRAINT "vote_status_check" CHECK ("status" IN ('VOTING', 'CLOSED', 'ANNULLED')),
                CONSTRAINT "vote_majority_check" CHECK (
                    "majority" IN (
                        'SIMPLE',
                        'ABSOLUTE_OF_PRESENT',
                        'ABSOLUTE_OF_SEATS'
                    )
                ),
                CONSTRAINT "vote_secrecy_check" CHECK ("secrecy" IN ('OPEN', 'SECRET')),
                CONSTRAINT "PK_2d5932d46afe39c8176f9d4be72" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_dd56a97116d121fa9776d6e21a" ON "vote" ("session_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_a46958fa2309ba981f0d5039be" ON "vote" ("agenda_item_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "vote_one_voting_idx" ON "vote" ("session_id")
            WHERE "status" = 'VOTING'
        `);
    await queryRunner.query(`
            CREATE TABLE "ballot" (
                "id" SERIAL NOT NULL,
                "vote_id" integer NOT NULL,
                "seat_id" integer NOT NULL,
                "seat_position" integer NOT NULL,
                "person_id" integer,
                "capacity" character varying(16) NOT NULL,
                "option" character varying(16),
                "cast_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "ballot_vote_seat_key" UNIQUE ("vote_id", "seat_id"),
                CONSTRAINT "ballot_capacity_check" CHECK ("capacity" IN ('HOLDER', 'DEPUTY', 'GUEST')),
                CONSTRAINT "ballot_option_check" CHECK (
                    "option" IS NULL
                    OR "option" IN ('FOR', 'AGAINST', 'ABSTAIN')
                ),
                CONSTRAINT "PK_20adac0e902c60e62fcb6f4cf9c" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_03aee512b7ca140a74516268dc" ON "ballot" ("person_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "speech_request" (
                "id" SERIAL NOT NULL,
                "session_id" integer NOT NULL,
                "agenda_item_id" integer,
                "attendance_record_id" integer NOT NULL,
                "kind" character varying(16) NOT NULL,
                "status" character varying(16) NOT NULL,
                "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "started_at" TIMESTAMP WITH TIME ZONE,
                "ended_at" TIMESTAMP WITH TIME ZONE,
                "time_limit_seconds" integer,
                CONSTRAINT "speech_request_time_limit_check" CHECK (
                    "time_limit_seconds" IS NULL
                    OR "time_limit_seconds" > 0
                ),
                CONSTRAINT "speech_request_status_check" CHECK (
                    "status" IN ('WAITING', 'SPEAKING', 'DONE', 'WITHDRAWN')
                ),
                CONSTRAINT "speech_request_kind_check" CHECK (
                    "kind" IN ('REGULAR', 'AD_VOCEM', 'FORMAL_MOTION')
                ),
                CONSTRAINT "PK_20d2005fc74266719136bbac873" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_62815c3919689d5769614e08bb" ON "speech_request" ("session_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_5452fced9efa80acf667a20bce" ON "speech_request" ("agenda_item_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_ca744f39229085bcd290cabd70" ON "speech_request" ("attendance_record_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "speech_request_one_speaking_idx" ON "speech_request" ("session_id")
            WHERE "status" = 'SPEAKING'
        `);
    await queryRunner.query(`
            ALTER TABLE "body"
            ADD "admits_deputies" boolean NOT NULL DEFAULT false
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_record"
            ADD "capacity" character varying(16)
        `);
    await queryRunner.query(`
            UPDATE "attendance_record" SET "capacity" = CASE WHEN "seat_id" IS NULL THEN 'GUEST' ELSE 'HOLDER' END
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_record" ALTER COLUMN "capacity" SET NOT NULL
        `);
    await queryRunner.query(`UPDATE "body" SET "admits_deputies" = true WHERE "kind" = 'CONVENTION'`);
    await queryRunner.query(`ALTER TABLE "session_event" DROP CONSTRAINT "session_event_kind_check"`);
    await queryRunner.query(kindCheck([...KINDS_BEFORE, ...KINDS_ADDED]));
    for (const table of NEW_TABLES) {
      await queryRunner.query(`
            CREATE TRIGGER "${table}_bumps_data_version"
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${table}"
            FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"()
        `);
    }
    await queryRunner.query(`
            ALTER TABLE "attendance_record"
            ADD "on_behalf_of_id" integer
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_0735622336fd64d3f57fff6fc0" ON "attendance_record" ("on_behalf_of_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_record"
            ADD CONSTRAINT "attendance_record_guest_check" CHECK (("capacity" = 'GUEST') = ("seat_id" IS NULL))
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_record"
            ADD CONSTRAINT "attendance_record_capacity_check" CHECK ("capacity" IN ('HOLDER', 'DEPUTY', 'GUEST'))
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_record"
            ADD CONSTRAINT "FK_0735622336fd64d3f57fff6fc05" FOREIGN KEY ("on_behalf_of_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "vote"
            ADD CONSTRAINT "FK_dd56a97116d121fa9776d6e21a6" FOREIGN KEY ("session_id") REFERENCES "session"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "vote"
            ADD CONSTRAINT "FK_a46958fa2309ba981f0d5039bed" FOREIGN KEY ("agenda_item_id") REFERENCES "agenda_item"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "ballot"
            ADD CONSTRAINT "FK_a2d6aead99406d633bce4a14941" FOREIGN KEY ("vote_id") REFERENCES "vote"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "ballot"
            ADD CONSTRAINT "FK_4eb614f71bbc5914035e8e09e46" FOREIGN KEY ("seat_id") REFERENCES "seat"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "ballot"
            ADD CONSTRAINT "FK_03aee512b7ca140a74516268dcb" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "speech_request"
            ADD CONSTRAINT "FK_62815c3919689d5769614e08bb5" FOREIGN KEY ("session_id") REFERENCES "session"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "speech_request"
            ADD CONSTRAINT "FK_5452fced9efa80acf667a20bcea" FOREIGN KEY ("agenda_item_id") REFERENCES "agenda_item"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "speech_request"
            ADD CONSTRAINT "FK_ca744f39229085bcd290cabd704" FOREIGN KEY ("attendance_record_id") REFERENCES "attendance_record"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // The events of votes and speeches go with their tables: the log before them had no such kinds.
    await queryRunner.query(`DELETE FROM "session_event" WHERE "kind" = ANY($1)`, [KINDS_ADDED]);
    await queryRunner.query(`ALTER TABLE "session_event" DROP CONSTRAINT "session_event_kind_check"`);
    await queryRunner.query(kindCheck(KINDS_BEFORE));
    for (const table of NEW_TABLES) {
      await queryRunner.query(`DROP TRIGGER "${table}_bumps_data_version" ON "${table}"`);
    }
    await queryRunner.query(`
            ALTER TABLE "speech_request" DROP CONSTRAINT "FK_ca744f39229085bcd290cabd704"
        `);
    await queryRunner.query(`
            ALTER TABLE "speech_request" DROP CONSTRAINT "FK_5452fced9efa80acf667a20bcea"
        `);
    await queryRunner.query(`
            ALTER TABLE "speech_request" DROP CONSTRAINT "FK_62815c3919689d5769614e08bb5"
        `);
    await queryRunner.query(`
            ALTER TABLE "ballot" DROP CONSTRAINT "FK_03aee512b7ca140a74516268dcb"
        `);
    await queryRunner.query(`
            ALTER TABLE "ballot" DROP CONSTRAINT "FK_4eb614f71bbc5914035e8e09e46"
        `);
    await queryRunner.query(`
            ALTER TABLE "ballot" DROP CONSTRAINT "FK_a2d6aead99406d633bce4a14941"
        `);
    await queryRunner.query(`
            ALTER TABLE "vote" DROP CONSTRAINT "FK_a46958fa2309ba981f0d5039bed"
        `);
    await queryRunner.query(`
            ALTER TABLE "vote" DROP CONSTRAINT "FK_dd56a97116d121fa9776d6e21a6"
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_record" DROP CONSTRAINT "FK_0735622336fd64d3f57fff6fc05"
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_record" DROP CONSTRAINT "attendance_record_capacity_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_record" DROP CONSTRAINT "attendance_record_guest_check"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_0735622336fd64d3f57fff6fc0"
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_record" DROP COLUMN "on_behalf_of_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_record" DROP COLUMN "capacity"
        `);
    await queryRunner.query(`
            ALTER TABLE "body" DROP COLUMN "admits_deputies"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."speech_request_one_speaking_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_ca744f39229085bcd290cabd70"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_5452fced9efa80acf667a20bce"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_62815c3919689d5769614e08bb"
        `);
    await queryRunner.query(`
            DROP TABLE "speech_request"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_03aee512b7ca140a74516268dc"
        `);
    await queryRunner.query(`
            DROP TABLE "ballot"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."vote_one_voting_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_a46958fa2309ba981f0d5039be"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_dd56a97116d121fa9776d6e21a"
        `);
    await queryRunner.query(`
            DROP TABLE "vote"
        `);
  }
}
