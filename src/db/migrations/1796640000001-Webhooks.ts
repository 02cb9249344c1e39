import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks (issue 15, item 4): the endpoints admins register, and the outbox of deliveries. A trigger on
 * session_event puts one delivery per interested endpoint in the outbox as the event is inserted, in the same
 * statement and transaction (a change, its event and its deliveries commit together or not at all), and
 * without a statement of its own (a common change stays at 6, test/live/write-cost.test.ts). Which event kinds
 * make which webhook type is WEBHOOK_EVENT_TYPE_OF in src/services/webhook-payload.rules.ts, repeated here;
 * synthetic sessions (demo data) make none.
 */
export class Webhooks1796640000001 implements MigrationInterface {
  name = 'Webhooks1796640000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "webhook_endpoint" (
                "id" SERIAL NOT NULL,
                "url" character varying(2000) NOT NULL,
                "secret" character varying(100) NOT NULL,
                "event_types" character varying(32) array NOT NULL,
                "body_ids" integer array NOT NULL DEFAULT '{}',
                "enabled" boolean NOT NULL DEFAULT true,
                "disabled_reason" character varying(200),
                "disabled_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "webhook_endpoint_event_types_check" CHECK (
                    "event_types" <@ ARRAY ['session.status_changed', 'vote.closed', 'agenda.changed']::varchar []
                    AND cardinality("event_types") > 0
                ),
                CONSTRAINT "PK_6c98112122b2b8a4f3984d2efa8" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "webhook_delivery" (
                "id" SERIAL NOT NULL,
                "endpoint_id" integer NOT NULL,
                "session_id" integer NOT NULL,
                "sequence" integer NOT NULL,
                "event_type" character varying(32) NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'PENDING',
                "attempts" integer NOT NULL DEFAULT '0',
                "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "locked_until" TIMESTAMP WITH TIME ZONE,
                "last_attempt_at" TIMESTAMP WITH TIME ZONE,
                "last_status_code" integer,
                "last_error" character varying(300),
                "delivered_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "webhook_delivery_endpoint_event_key" UNIQUE ("endpoint_id", "session_id", "sequence"),
                CONSTRAINT "webhook_delivery_event_type_check" CHECK (
                    "event_type" IN (
                        'session.status_changed',
                        'vote.closed',
                        'agenda.changed'
                    )
                ),
                CONSTRAINT "webhook_delivery_status_check" CHECK ("status" IN ('PENDING', 'DELIVERED', 'FAILED')),
                CONSTRAINT "PK_b1ae290239a778f12399db91354" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "webhook_delivery_pending_idx" ON "webhook_delivery" ("endpoint_id", "id")
            WHERE "status" = 'PENDING'
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_delivery"
            ADD CONSTRAINT "FK_f53f5aec02217a54927b13e39d9" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoint"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_delivery"
            ADD CONSTRAINT "FK_30d23a0a2c8d9aec7767ee6f7ce" FOREIGN KEY ("session_id", "sequence") REFERENCES "session_event"("session_id", "sequence") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    // The outbox, written by the statement that writes the event (a trigger costs no statement of its own).
    await queryRunner.query(`
            CREATE FUNCTION "webhook_outbox"() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                v_type varchar;
            BEGIN
                v_type := CASE
                    WHEN NEW.kind IN ('SESSION_SCHEDULED', 'SESSION_OPENED', 'SESSION_SUSPENDED', 'SESSION_RESUMED',
                                      'SESSION_CLOSED', 'SESSION_CANCELLED') THEN 'session.status_changed'
                    WHEN NEW.kind = 'VOTE_CLOSED' THEN 'vote.closed'
                    WHEN NEW.kind IN ('AGENDA_ITEM_ADDED', 'AGENDA_ITEM_UPDATED', 'AGENDA_ITEM_MOVED', 'AGENDA_ITEM_STARTED',
                                      'AGENDA_ITEM_FINISHED', 'AGENDA_ITEM_REMOVED') THEN 'agenda.changed'
                END;
                IF v_type IS NULL THEN
                    RETURN NULL;
                END IF;
                INSERT INTO "webhook_delivery" ("endpoint_id", "session_id", "sequence", "event_type")
                SELECT w."id", NEW.session_id, NEW.sequence, v_type
                  FROM "webhook_endpoint" w
                  JOIN "session" s ON s."id" = NEW.session_id AND NOT s."synthetic"
                 WHERE w."enabled" AND v_type = ANY (w."event_types")
                   AND (cardinality(w."body_ids") = 0 OR s."body_id" = ANY (w."body_ids"));
                RETURN NULL;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER "webhook_outbox" AFTER INSERT ON "session_event"
            FOR EACH ROW EXECUTE FUNCTION "webhook_outbox"()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "webhook_outbox" ON "session_event"`);
    await queryRunner.query(`DROP FUNCTION "webhook_outbox"()`);
    await queryRunner.query(`
            ALTER TABLE "webhook_delivery" DROP CONSTRAINT "FK_30d23a0a2c8d9aec7767ee6f7ce"
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_delivery" DROP CONSTRAINT "FK_f53f5aec02217a54927b13e39d9"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."webhook_delivery_pending_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_delivery"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_endpoint"
        `);
  }
}
