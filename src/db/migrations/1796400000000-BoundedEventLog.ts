import type { MigrationInterface, QueryRunner } from 'typeorm';

type Snapshot = Record<string, unknown> & { id?: number; position?: number; version?: number };
type Place = [number, number, number];
interface Row {
  id: string;
  sequence: number;
  payload: Record<string, unknown> & {
    agendaItem?: Snapshot;
    agenda?: Snapshot[];
    order?: Place[];
    agendaSeeds?: Snapshot[];
  };
}

/** Events converted per statement batch: old payloads can be large (a whole agenda each), so a page at a time. */
const PAGE = 100;

/**
 * AGENDA_* events stop copying the whole agenda: each keeps the changed item
 * and the order as [id, position, version], and the agenda is rebuilt on read
 * from the latest snapshot of each item (agenda_item_id, indexed, finds it).
 * Items that no earlier event holds a snapshot of are recorded once, as
 * agendaSeeds. session.log_bytes starts at the size of what is already logged
 * (jsonb's printed form, a little wider than the server's own JSON).
 */
export class BoundedEventLog1796400000000 implements MigrationInterface {
  name = 'BoundedEventLog1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "session" ADD "log_bytes" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "session_event" ADD "agenda_item_id" integer`);
    await queryRunner.query(
      `CREATE INDEX "session_event_agenda_item_idx" ON "session_event" ("session_id", "agenda_item_id", "sequence") `,
    );
    await queryRunner.query(
      `CREATE INDEX "session_event_agenda_seeds_idx" ON "session_event" ("session_id", "sequence") WHERE "payload" ? 'agendaSeeds'`,
    );
    await queryRunner.query(
      `UPDATE "session_event" SET "agenda_item_id" = ("payload"->'agendaItem'->>'id')::int WHERE "kind" LIKE 'AGENDA\\_%'`,
    );
    await eachAgendaEvent(queryRunner, () => {
      const logged = new Set<number>();
      return (row) => {
        const { agenda, ...rest } = row.payload;
        if (!agenda) return null;
        const itemId = row.payload.agendaItem?.id;
        const seeds = agenda.filter((item) => item.id !== itemId && !logged.has(item.id!));
        if (itemId !== undefined) logged.add(itemId);
        for (const item of agenda) logged.add(item.id!);
        return {
          ...rest,
          order: agenda.map((item): Place => [item.id!, item.position!, item.version!]),
          ...(seeds.length > 0 ? { agendaSeeds: seeds } : {}),
        };
      };
    });
    await queryRunner.query(`
            UPDATE "session" s SET "log_bytes" = t.bytes
            FROM (SELECT "session_id", sum(octet_length("payload"::text))::int AS bytes FROM "session_event" GROUP BY "session_id") t
            WHERE t."session_id" = s."id"
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await eachAgendaEvent(queryRunner, () => {
      const latest = new Map<number, Snapshot>();
      return (row) => {
        const { order, agendaSeeds, ...rest } = row.payload;
        if (!order) return null;
        for (const seed of agendaSeeds ?? []) latest.set(seed.id!, seed);
        if (rest.agendaItem?.id !== undefined) latest.set(rest.agendaItem.id, rest.agendaItem);
        return {
          ...rest,
          agenda: order.map(([id, position, version]) => ({ ...latest.get(id), id, position, version })),
        };
      };
    });
    await queryRunner.query(`DROP INDEX "public"."session_event_agenda_seeds_idx"`);
    await queryRunner.query(`DROP INDEX "public"."session_event_agenda_item_idx"`);
    await queryRunner.query(`ALTER TABLE "session_event" DROP COLUMN "agenda_item_id"`);
    await queryRunner.query(`ALTER TABLE "session" DROP COLUMN "log_bytes"`);
  }
}

/** Rewrites every AGENDA_* event's payload, session by session in sequence order, a page at a time. */
async function eachAgendaEvent(
  queryRunner: QueryRunner,
  converterFor: () => (row: Row) => Row['payload'] | null,
): Promise<void> {
  const sessions = (await queryRunner.query(
    `SELECT DISTINCT "session_id" FROM "session_event" WHERE "kind" LIKE 'AGENDA\\_%' ORDER BY "session_id"`,
  )) as { session_id: number }[];
  for (const { session_id: sessionId } of sessions) {
    const convert = converterFor();
    for (let after = 0; ;) {
      const rows = (await queryRunner.query(
        `SELECT "id", "sequence", "payload" FROM "session_event"
          WHERE "session_id" = $1 AND "sequence" > $2 AND "kind" LIKE 'AGENDA\\_%' ORDER BY "sequence" LIMIT ${PAGE}`,
        [sessionId, after],
      )) as Row[];
      for (const row of rows) {
        const payload = convert(row);
        if (payload) {
          await queryRunner.query(`UPDATE "session_event" SET "payload" = $2 WHERE "id" = $1`, [
            row.id,
            JSON.stringify(payload),
          ]);
        }
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.sequence;
    }
  }
}
