import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795532282460 implements MigrationInterface {
  name = 'InitialSchema1795532282460';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "district" (
                "id" SERIAL NOT NULL,
                "number" integer NOT NULL,
                "numeral" character varying(8) NOT NULL,
                "name" character varying(100) NOT NULL,
                "slug" character varying(100) NOT NULL,
                "council_seats" integer NOT NULL,
                CONSTRAINT "UQ_f62947b9f7a9c303cbd1a68c273" UNIQUE ("number"),
                CONSTRAINT "UQ_aa4f473f6032fff782ade8ccd19" UNIQUE ("slug"),
                CONSTRAINT "PK_ee5cb6fd5223164bb87ea693f1e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "body" (
                "id" SERIAL NOT NULL,
                "kind" character varying(32) NOT NULL,
                "name" character varying(200) NOT NULL,
                "district_id" integer,
                "description" text,
                "quorum_rule" character varying(16) NOT NULL DEFAULT 'MAJORITY',
                CONSTRAINT "UQ_ee0ca7e27b9ce298db3967fa0d7" UNIQUE ("name"),
                CONSTRAINT "body_quorum_rule_check" CHECK ("quorum_rule" IN ('MAJORITY', 'HALF')),
                CONSTRAINT "body_kind_check" CHECK (
                    "kind" IN (
                        'CITY_COUNCIL',
                        'DISTRICT_COUNCIL',
                        'DISTRICT_BOARD',
                        'CONVENTION'
                    )
                ),
                CONSTRAINT "PK_fcdfba471eb9ce3c1add2c1e83d" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_5aa6d7ad1661bd8c7815b886b1" ON "body" ("district_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "person" (
                "id" SERIAL NOT NULL,
                "full_name" character varying(200) NOT NULL,
                "email" character varying(320),
                "phone" character varying(50),
                "synthetic" boolean NOT NULL DEFAULT false,
                CONSTRAINT "PK_5fdaf670315c4b7e70cce85daa3" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_48543caf637ebceeca548ca8be" ON "person" ("full_name")
        `);
    await queryRunner.query(`
            CREATE TABLE "term" (
                "id" SERIAL NOT NULL,
                "number" integer NOT NULL,
                "numeral" character varying(8) NOT NULL,
                "election_date" date,
                "starts_on" date,
                "ends_on" date,
                CONSTRAINT "UQ_90163b66345a8c6cc7962d149e4" UNIQUE ("number"),
                CONSTRAINT "PK_55b0479f0743f2e5d5ec414821e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "session" (
                "id" SERIAL NOT NULL,
                "body_id" integer NOT NULL,
                "term_id" integer NOT NULL,
                "number" integer NOT NULL,
                "title" character varying(500) NOT NULL,
                "kind" character varying(16) NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'SCHEDULED',
                "scheduled_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "started_at" TIMESTAMP WITH TIME ZONE,
                "ended_at" TIMESTAMP WITH TIME ZONE,
                "chair_id" integer,
                "description" text,
                "cancellation_reason" text,
                "last_sequence" integer NOT NULL DEFAULT '0',
                "synthetic" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "venue_name" character varying(300),
                "venue_address" character varying(300),
                CONSTRAINT "session_body_term_number_key" UNIQUE ("body_id", "term_id", "number"),
                CONSTRAINT "session_number_check" CHECK ("number" > 0),
                CONSTRAINT "session_status_check" CHECK (
                    "status" IN (
                        'SCHEDULED',
                        'IN_PROGRESS',
                        'SUSPENDED',
                        'CLOSED',
                        'CANCELLED'
                    )
                ),
                CONSTRAINT "session_kind_check" CHECK (
                    "kind" IN ('INAUGURAL', 'ORDINARY', 'EXTRAORDINARY')
                ),
                CONSTRAINT "PK_f55da76ac1c3ac420f444d2ff11" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_c5409d3755dfbba97bf2bd3f1a" ON "session" ("body_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_3db8ced62fe29b4ab349a7555e" ON "session" ("term_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_9f9d684473f971474d649211e9" ON "session" ("chair_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "session_scheduled_at_id_idx" ON "session" ("scheduled_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "agenda_item" (
                "id" SERIAL NOT NULL,
                "session_id" integer NOT NULL,
                "position" integer NOT NULL,
                "title" character varying(500) NOT NULL,
                "description" text,
                "presenter" character varying(300),
                "status" character varying(16) NOT NULL DEFAULT 'PENDING',
                "started_at" TIMESTAMP WITH TIME ZONE,
                "ended_at" TIMESTAMP WITH TIME ZONE,
                "version" integer NOT NULL DEFAULT '1',
                CONSTRAINT "agenda_item_session_position_key" UNIQUE ("session_id", "position") DEFERRABLE INITIALLY DEFERRED,
                CONSTRAINT "agenda_item_position_check" CHECK ("position" > 0),
                CONSTRAINT "agenda_item_status_check" CHECK (
                    "status" IN (
                        'PENDING',
                        'IN_PROGRESS',
                        'DONE',
                        'POSTPONED',
                        'WITHDRAWN'
                    )
                ),
                CONSTRAINT "PK_413623e61232799619c2e0a1d42" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_183946179c6a7ba34ec585fe20" ON "agenda_item" ("session_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "seat" (
                "id" SERIAL NOT NULL,
                "body_id" integer NOT NULL,
                "position" integer NOT NULL,
                "label" character varying(300) NOT NULL,
                "role" character varying(16) NOT NULL,
                "district_id" integer,
                "counts_toward_quorum" boolean NOT NULL DEFAULT true,
                CONSTRAINT "seat_body_position_key" UNIQUE ("body_id", "position"),
                CONSTRAINT "seat_role_check" CHECK ("role" IN ('CHAIR', 'VICE_CHAIR', 'MEMBER')),
                CONSTRAINT "PK_4e72ae40c3fbd7711ccb380ac17" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_5045dc0c4f3f7c9d96712091b5" ON "seat" ("body_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_4d16f8c5c20a433ac3ff3adb5a" ON "seat" ("district_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "attendance_record" (
                "id" SERIAL NOT NULL,
                "session_id" integer NOT NULL,
                "seat_id" integer,
                "person_id" integer,
                "label" character varying(300) NOT NULL,
                "affiliation" character varying(300),
                "district_id" integer,
                "status" character varying(16) NOT NULL,
                "mode" character varying(16),
                "arrived_at" TIMESTAMP WITH TIME ZONE,
                "left_at" TIMESTAMP WITH TIME ZONE,
                "counts_toward_quorum" boolean NOT NULL,
                "version" integer NOT NULL DEFAULT '1',
                CONSTRAINT "attendance_record_session_seat_key" UNIQUE ("session_id", "seat_id"),
                CONSTRAINT "attendance_record_mode_check" CHECK (
                    "mode" IS NULL
                    OR "mode" IN ('IN_PERSON', 'REMOTE')
                ),
                CONSTRAINT "attendance_record_status_check" CHECK (
                    "status" IN (
                        'EXPECTED',
                        'CONFIRMED',
                        'PRESENT',
                        'ABSENT',
                        'EXCUSED',
                        'LEFT'
                    )
                ),
                CONSTRAINT "PK_c23131acc63826e373019447965" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_6139dcb587164bcfdc227abe55" ON "attendance_record" ("session_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_9c76ee5801c9e03ae0a0e59f2d" ON "attendance_record" ("seat_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_92564171bd65d059463013c9d0" ON "attendance_record" ("person_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_ae85dc8dfa5fd2770751723ca6" ON "attendance_record" ("district_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "mandate" (
                "id" SERIAL NOT NULL,
                "person_id" integer NOT NULL,
                "seat_id" integer,
                "term_id" integer,
                "title" character varying(300) NOT NULL,
                "starts_on" date,
                "ends_on" date,
                CONSTRAINT "PK_f11237628fce1a841910382b6de" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_4d6c58145fd903109b5c15911a" ON "mandate" ("person_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_30d1cab1002b5750b419e70a20" ON "mandate" ("seat_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_3119ad3db481e6f115f9ae6114" ON "mandate" ("term_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "session_event" (
                "id" BIGSERIAL NOT NULL,
                "session_id" integer NOT NULL,
                "sequence" integer NOT NULL,
                "kind" character varying(32) NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
                "status" character varying(16) NOT NULL,
                "payload" jsonb NOT NULL,
                "actor" jsonb,
                CONSTRAINT "session_event_session_sequence_key" UNIQUE ("session_id", "sequence"),
                CONSTRAINT "session_event_sequence_check" CHECK ("sequence" > 0),
                CONSTRAINT "session_event_status_check" CHECK (
                    "status" IN (
                        'SCHEDULED',
                        'IN_PROGRESS',
                        'SUSPENDED',
                        'CLOSED',
                        'CANCELLED'
                    )
                ),
                CONSTRAINT "session_event_kind_check" CHECK (
                    "kind" IN (
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
                        'ATTENDANCE_RECORDED'
                    )
                ),
                CONSTRAINT "PK_dd950bb61eac3ec5e4af0fe684a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_3d124a52dfb0fb23b274271bdd" ON "session_event" ("session_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "body"
            ADD CONSTRAINT "FK_5aa6d7ad1661bd8c7815b886b15" FOREIGN KEY ("district_id") REFERENCES "district"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "session"
            ADD CONSTRAINT "FK_c5409d3755dfbba97bf2bd3f1a9" FOREIGN KEY ("body_id") REFERENCES "body"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "session"
            ADD CONSTRAINT "FK_3db8ced62fe29b4ab349a7555ec" FOREIGN KEY ("term_id") REFERENCES "term"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "session"
            ADD CONSTRAINT "FK_9f9d684473f971474d649211e98" FOREIGN KEY ("chair_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "agenda_item"
            ADD CONSTRAINT "FK_183946179c6a7ba34ec585fe20f" FOREIGN KEY ("session_id") REFERENCES "session"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "seat"
            ADD CONSTRAINT "FK_5045dc0c4f3f7c9d96712091b51" FOREIGN KEY ("body_id") REFERENCES "body"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "seat"
            ADD CONSTRAINT "FK_4d16f8c5c20a433ac3ff3adb5a9" FOREIGN KEY ("district_id") REFERENCES "district"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_record"
            ADD CONSTRAINT "FK_6139dcb587164bcfdc227abe55a" FOREIGN KEY ("session_id") REFERENCES "session"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_record"
            ADD CONSTRAINT "FK_9c76ee5801c9e03ae0a0e59f2d1" FOREIGN KEY ("seat_id") REFERENCES "seat"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_record"
            ADD CONSTRAINT "FK_92564171bd65d059463013c9d0f" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_record"
            ADD CONSTRAINT "FK_ae85dc8dfa5fd2770751723ca68" FOREIGN KEY ("district_id") REFERENCES "district"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "mandate"
            ADD CONSTRAINT "FK_4d6c58145fd903109b5c15911a3" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "mandate"
            ADD CONSTRAINT "FK_30d1cab1002b5750b419e70a202" FOREIGN KEY ("seat_id") REFERENCES "seat"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "mandate"
            ADD CONSTRAINT "FK_3119ad3db481e6f115f9ae61144" FOREIGN KEY ("term_id") REFERENCES "term"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "session_event"
            ADD CONSTRAINT "FK_3d124a52dfb0fb23b274271bddc" FOREIGN KEY ("session_id") REFERENCES "session"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "session_event" DROP CONSTRAINT "FK_3d124a52dfb0fb23b274271bddc"
        `);
    await queryRunner.query(`
            ALTER TABLE "mandate" DROP CONSTRAINT "FK_3119ad3db481e6f115f9ae61144"
        `);
    await queryRunner.query(`
            ALTER TABLE "mandate" DROP CONSTRAINT "FK_30d1cab1002b5750b419e70a202"
        `);
    await queryRunner.query(`
            ALTER TABLE "mandate" DROP CONSTRAINT "FK_4d6c58145fd903109b5c15911a3"
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_record" DROP CONSTRAINT "FK_ae85dc8dfa5fd2770751723ca68"
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_record" DROP CONSTRAINT "FK_92564171bd65d059463013c9d0f"
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_record" DROP CONSTRAINT "FK_9c76ee5801c9e03ae0a0e59f2d1"
        `);
    await queryRunner.query(`
            ALTER TABLE "attendance_record" DROP CONSTRAINT "FK_6139dcb587164bcfdc227abe55a"
        `);
    await queryRunner.query(`
            ALTER TABLE "seat" DROP CONSTRAINT "FK_4d16f8c5c20a433ac3ff3adb5a9"
        `);
    await queryRunner.query(`
            ALTER TABLE "seat" DROP CONSTRAINT "FK_5045dc0c4f3f7c9d96712091b51"
        `);
    await queryRunner.query(`
            ALTER TABLE "agenda_item" DROP CONSTRAINT "FK_183946179c6a7ba34ec585fe20f"
        `);
    await queryRunner.query(`
            ALTER TABLE "session" DROP CONSTRAINT "FK_9f9d684473f971474d649211e98"
        `);
    await queryRunner.query(`
            ALTER TABLE "session" DROP CONSTRAINT "FK_3db8ced62fe29b4ab349a7555ec"
        `);
    await queryRunner.query(`
            ALTER TABLE "session" DROP CONSTRAINT "FK_c5409d3755dfbba97bf2bd3f1a9"
        `);
    await queryRunner.query(`
            ALTER TABLE "body" DROP CONSTRAINT "FK_5aa6d7ad1661bd8c7815b886b15"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_3d124a52dfb0fb23b274271bdd"
        `);
    await queryRunner.query(`
            DROP TABLE "session_event"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_3119ad3db481e6f115f9ae6114"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_30d1cab1002b5750b419e70a20"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_4d6c58145fd903109b5c15911a"
        `);
    await queryRunner.query(`
            DROP TABLE "mandate"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_ae85dc8dfa5fd2770751723ca6"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_92564171bd65d059463013c9d0"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_9c76ee5801c9e03ae0a0e59f2d"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_6139dcb587164bcfdc227abe55"
        `);
    await queryRunner.query(`
            DROP TABLE "attendance_record"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_4d16f8c5c20a433ac3ff3adb5a"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_5045dc0c4f3f7c9d96712091b5"
        `);
    await queryRunner.query(`
            DROP TABLE "seat"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_183946179c6a7ba34ec585fe20"
        `);
    await queryRunner.query(`
            DROP TABLE "agenda_item"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."session_scheduled_at_id_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_9f9d684473f971474d649211e9"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_3db8ced62fe29b4ab349a7555e"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_c5409d3755dfbba97bf2bd3f1a"
        `);
    await queryRunner.query(`
            DROP TABLE "session"
        `);
    await queryRunner.query(`
            DROP TABLE "term"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_48543caf637ebceeca548ca8be"
        `);
    await queryRunner.query(`
            DROP TABLE "person"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_5aa6d7ad1661bd8c7815b886b1"
        `);
    await queryRunner.query(`
            DROP TABLE "body"
        `);
    await queryRunner.query(`
            DROP TABLE "district"
        `);
  }
}
