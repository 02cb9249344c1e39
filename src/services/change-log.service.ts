import type { DataSource } from 'typeorm';
import { decodeChangeCursor, encodeChangeCursor, LOG_START } from '../schema/change-cursor';
import type { Change, ChangeOperation } from '../schema/change-log.types';
import type { Page } from '../schema/connection.types';
import type { NodeTypeName } from '../schema/global-id';
import { pageSize } from '../schema/pagination';

/** A page of changes: ChangeConnection has no totalCount (the log only grows; its length tells a follower nothing). */
export type ChangePage = Omit<Page<Change>, 'count'>;

interface EntryRow {
  xid: string;
  ordinal: string;
  typename: NodeTypeName;
  row_id: number;
  operation: ChangeOperation;
  changed_at: Date;
}

/**
 * Query.changes: the change log (see the ChangeLog migration) after a cursor, in commit order.
 *
 * Only entries of transactions below the reading snapshot's xmin are returned: every transaction below it has
 * ended, so its entries are all visible (or, rolled back, never will be), and no transaction that is still running,
 * or that has not yet written, can ever add an entry before them. A transaction that began early and commits late
 * therefore holds back what comes after it until it ends, instead of being skipped; the price is that one long
 * transaction anywhere on the server delays every follower (never by more than it lasts).
 *
 * Not marked for the read cache: every answer is computed (what the log shows moves without a version).
 */
export class ChangeLogService {
  constructor(private readonly dataSource: DataSource) {}

  async page(after: string | null | undefined, first: number | null | undefined): Promise<ChangePage> {
    const size = pageSize(first);
    const from = after ? decodeChangeCursor(after) : LOG_START;
    const rows = await this.dataSource.query<EntryRow[]>(
      // Ordered by the columns, not by the text the output names the same (which would put 10 before 9).
      `SELECT c."xid"::text AS xid, c."ordinal"::text AS ordinal, c."typename", c."row_id", c."operation", c."changed_at"
         FROM "change_log" c
        WHERE (c."xid", c."ordinal") > ($1::xid8, $2::bigint) AND c."xid" < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY c."xid", c."ordinal" LIMIT $3`,
      [from.xid, from.ordinal, size + 1],
    );
    const edges = rows.slice(0, size).map((row) => ({
      cursor: encodeChangeCursor(row),
      node: { typename: row.typename, rowId: row.row_id, operation: row.operation, changedAt: row.changed_at },
    }));
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: {
        hasNextPage: rows.length > size,
        hasPreviousPage: Boolean(after),
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  }
}
