import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { AgendaItem } from '../entities/agenda-item.entity';
import type { AgendaPlace } from '../entities/session-event.entity';
import { revive } from '../schema/session-event.type';

export interface AgendaAsOfKey {
  readonly sessionId: number;
  readonly sequence: number;
  /** The order the event recorded: [id, position, version] by position. */
  readonly order: readonly AgendaPlace[];
}

/**
 * The whole agenda as it stood right after an event, rebuilt from the log: an
 * event keeps only the order, and each item's content is its latest snapshot
 * at or before that sequence (its own event, or the seed recorded once for an
 * item made outside the API). Position and version come from the order, as a
 * move shifts the other items without an event of theirs.
 */
export function agendaHistoryLoader(dataSource: DataSource): DataLoader<AgendaAsOfKey, AgendaItem[], string> {
  return new DataLoader<AgendaAsOfKey, AgendaItem[], string>(
    (keys) => Promise.all(keys.map((key) => agendaAsOf(dataSource, key))),
    { cacheKeyFn: (key) => `${key.sessionId}:${key.sequence}` },
  );
}

async function agendaAsOf(dataSource: DataSource, key: AgendaAsOfKey): Promise<AgendaItem[]> {
  if (key.order.length === 0) return [];
  const ids = key.order.map(([id]) => id);
  // The latest event of each item comes from the index alone; only those events' payloads are read.
  const own = (await dataSource.query(
    `SELECT latest.item_id AS id, e.payload->'agendaItem' AS snapshot
       FROM (SELECT agenda_item_id AS item_id, max(sequence) AS sequence FROM session_event
              WHERE session_id = $1 AND agenda_item_id = ANY($2::int[]) AND sequence <= $3
              GROUP BY agenda_item_id) latest
       JOIN session_event e ON e.session_id = $1 AND e.sequence = latest.sequence`,
    [key.sessionId, ids, key.sequence],
  )) as { id: number; snapshot: Record<string, unknown> }[];
  const snapshots = new Map(own.map((row) => [row.id, row.snapshot]));
  const missing = ids.filter((id) => !snapshots.has(id));
  if (missing.length > 0) {
    const seeds = (await dataSource.query(
      `SELECT DISTINCT ON ((seed->>'id')::int) (seed->>'id')::int AS id, seed AS snapshot
         FROM session_event e CROSS JOIN LATERAL jsonb_array_elements(e.payload->'agendaSeeds') seed
        WHERE e.session_id = $1 AND e.sequence <= $2 AND e.payload ? 'agendaSeeds' AND (seed->>'id')::int = ANY($3::int[])
        ORDER BY (seed->>'id')::int, e.sequence DESC`,
      [key.sessionId, key.sequence, missing],
    )) as { id: number; snapshot: Record<string, unknown> }[];
    for (const row of seeds) snapshots.set(row.id, row.snapshot);
  }
  return key.order.map(([id, position, version]) =>
    revive(new AgendaItem(), { ...snapshots.get(id), id, position, version })!,
  );
}
