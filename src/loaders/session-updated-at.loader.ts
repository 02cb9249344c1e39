import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { tracked } from '../cache/read-scope';
import type { ReadScope } from '../cache/read-scope';

/**
 * Session.updatedAt, one statement per request: it lives in session_version beside the version the read cache
 * keys a session's answers by (the same trigger moves both), so it is read with that version, and an answer that
 * saw the session in another version is not kept.
 */
export function sessionUpdatedAtLoader(
  dataSource: DataSource,
  scope: ReadScope | null = null,
): DataLoader<number, Date | null> {
  return new DataLoader<number, Date | null>(async (ids) => {
    const rows = await dataSource.query<{ session_id: number; version: string; updated_at: Date }[]>(
      tracked(
        `SELECT "session_id", "version"::text AS version, "updated_at" FROM "session_version" WHERE "session_id" = ANY($1::int[])`,
      ),
      [[...ids]],
    );
    const byId = new Map(rows.map((row) => [row.session_id, row.updated_at]));
    for (const row of rows) scope?.sawSession(row.session_id, row.version);
    for (const id of ids) if (!byId.has(id)) scope?.spoil(`session ${id} has no version`);
    return ids.map((id) => byId.get(id) ?? null);
  });
}
