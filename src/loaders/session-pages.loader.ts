import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { tracked } from '../cache/read-scope';
import type { ReadScope } from '../cache/read-scope';
import type { Session } from '../entities/session.entity';
import { BadUserInputError } from '../errors';
import type { Page } from '../schema/connection.types';
import { keyOf } from '../schema/global-id';
import { decodeCursor, encodeCursor, pageSize } from '../schema/pagination';
import { SessionOrder } from '../schema/session-filter.input';
import type { SessionFilter } from '../schema/session-filter.input';
import { searchPatterns } from '../validation/search-patterns';

/** Which parent a list of sessions hangs from, if any: Query.sessions has none. */
export type SessionScope = 'all' | 'body' | 'district' | 'term';

const SCOPE_COLUMN: Record<SessionScope, string> = {
  all: '0',
  body: 's.body_id',
  district: 'b.district_id',
  term: 's.term_id',
};

export interface SessionPageArgs {
  readonly filter?: SessionFilter | null;
  readonly orderBy?: SessionOrder | null;
  readonly first?: number | null;
  readonly after?: string | null;
}

interface PageRequest {
  readonly scope: SessionScope;
  readonly parentId: number;
  readonly args: SessionPageArgs;
}

interface Where {
  sql: string;
  readonly params: unknown[];
}

/**
 * Lists of sessions: Query.sessions, and Body/District/Term.sessions, per
 * request. All lists asked for with the same arguments in one request are
 * answered by one statement for their rows (a window per parent) and, if
 * totalCount is asked, one for their counts; the sessions themselves come
 * from the request's session loader.
 */
export function sessionPagesLoader(
  dataSource: DataSource,
  sessionById: DataLoader<number, Session | null>,
  scope: ReadScope | null = null,
): DataLoader<PageRequest, Page<Session>, string> {
  // A list is covered by the version of the set of sessions, which moves when a session is added or changed, but
  // a search also looks into agendas, which change without it: such a list is computed every time.
  const searched = (requests: readonly PageRequest[]): void => {
    if (requests.some((request) => request.args.filter?.search != null)) scope?.spoil('a search of sessions');
  };
  const counts = new DataLoader<PageRequest, number, string>(
    async (requests) => {
      searched(requests);
      const results = new Map<string, number>();
      for (const group of groupByArgs(requests)) {
        const where = whereOf(
          group[0]!.args.filter ?? null,
          group[0]!.scope,
          group.map((r) => r.parentId),
        );
        const column = SCOPE_COLUMN[group[0]!.scope];
        const rows = (await dataSource.query(
          tracked(`SELECT ${column} AS parent, count(*)::int AS total FROM session s
             JOIN body b ON b.id = s.body_id JOIN term t ON t.id = s.term_id
             WHERE ${where.sql} GROUP BY 1`),
          where.params,
        )) as { parent: number; total: number }[];
        const byParent = new Map(rows.map((row) => [Number(row.parent), row.total]));
        for (const request of group) results.set(requestKey(request), byParent.get(request.parentId) ?? 0);
      }
      return requests.map((request) => results.get(requestKey(request)) ?? 0);
    },
    { cacheKeyFn: requestKey },
  );

  return new DataLoader<PageRequest, Page<Session>, string>(
    async (requests) => {
      searched(requests);
      const pages = new Map<string, Page<Session>>();
      for (const group of groupByArgs(requests)) {
        const { scope, args } = group[0]!;
        const first = pageSize(args.first);
        const descending = (args.orderBy ?? SessionOrder.SCHEDULED_AT_DESC) === SessionOrder.SCHEDULED_AT_DESC;
        const cursorKind = descending ? 'sd' : 'sa';
        const where = whereOf(
          args.filter ?? null,
          scope,
          group.map((r) => r.parentId),
        );
        if (args.after) {
          const cursor = decodeCursor(args.after, cursorKind);
          const at = new Date(Number(cursor.key));
          // A date PostgreSQL cannot hold (before 4713 BC) was never issued as a cursor.
          if (Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1) {
            throw new BadUserInputError('after', 'after: not a cursor of this list.');
          }
          where.params.push(at, cursor.id);
          where.sql += ` AND (s.scheduled_at, s.id) ${descending ? '<' : '>'} ($${where.params.length - 1}, $${where.params.length})`;
        }
        const direction = descending ? 'DESC' : 'ASC';
        const column = SCOPE_COLUMN[scope];
        where.params.push(first + 1);
        const rows = (await dataSource.query(
          tracked(`SELECT id, parent, scheduled_at FROM (
               SELECT s.id, s.scheduled_at, ${column} AS parent,
                      row_number() OVER (PARTITION BY ${column} ORDER BY s.scheduled_at ${direction}, s.id ${direction}) AS rn
               FROM session s JOIN body b ON b.id = s.body_id JOIN term t ON t.id = s.term_id
               WHERE ${where.sql}
             ) ranked WHERE rn <= $${where.params.length} ORDER BY parent, rn`),
          where.params,
        )) as { id: number; parent: number; scheduled_at: Date }[];
        const sessions = await sessionById.loadMany(rows.map((row) => row.id));
        const byParent = new Map<number, { id: number; at: Date; session: Session }[]>();
        rows.forEach((row, index) => {
          const session = sessions[index];
          if (!session || session instanceof Error) return;
          const list = byParent.get(Number(row.parent)) ?? [];
          list.push({ id: row.id, at: row.scheduled_at, session });
          byParent.set(Number(row.parent), list);
        });
        for (const request of group) {
          const found = byParent.get(request.parentId) ?? [];
          const shown = found.slice(0, first);
          const edges = shown.map((row) => ({
            cursor: encodeCursor(cursorKind, row.at.getTime(), row.id),
            node: row.session,
          }));
          pages.set(requestKey(request), {
            edges,
            nodes: edges.map((edge) => edge.node),
            pageInfo: {
              hasNextPage: found.length > first,
              hasPreviousPage: Boolean(args.after),
              startCursor: edges[0]?.cursor ?? null,
              endCursor: edges[edges.length - 1]?.cursor ?? null,
            },
            count: () => counts.load(request),
          });
        }
      }
      return requests.map((request) => pages.get(requestKey(request))!);
    },
    { cacheKeyFn: requestKey },
  );
}

/** The WHERE clause of a filter, checked argument by argument. */
function whereOf(filter: SessionFilter | null, scope: SessionScope, parentIds: number[]): Where {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (scope !== 'all') conditions.push(`${SCOPE_COLUMN[scope]} = ANY(${param(parentIds)}::int[])`);
  if (filter?.bodyId != null) {
    conditions.push(`s.body_id = ${param(keyOf(filter.bodyId, 'Body', 'filter.bodyId') ?? 0)}`);
  }
  if (filter?.bodyKind != null) conditions.push(`b.kind = ${param(filter.bodyKind)}`);
  if (filter?.districtNumber != null) {
    if (!Number.isInteger(filter.districtNumber) || filter.districtNumber < 1) {
      throw new BadUserInputError(
        'filter.districtNumber',
        'filter.districtNumber must be a district number, 1 or more.',
      );
    }
    conditions.push(`b.district_id = (SELECT id FROM district WHERE number = ${param(filter.districtNumber)})`);
  }
  if (filter?.termNumber != null) conditions.push(`t.number = ${param(filter.termNumber)}`);
  if (filter?.status != null) {
    if (filter.status.length === 0) {
      throw new BadUserInputError('filter.status', 'filter.status must name at least one status, or be left out.');
    }
    conditions.push(`s.status = ANY(${param(filter.status)}::varchar[])`);
  }
  if (filter?.from != null && filter?.to != null && filter.from.getTime() >= filter.to.getTime()) {
    throw new BadUserInputError('filter.to', 'filter.to must be later than filter.from.');
  }
  if (filter?.from != null) conditions.push(`s.scheduled_at >= ${param(filter.from)}`);
  if (filter?.to != null) conditions.push(`s.scheduled_at < ${param(filter.to)}`);
  if (filter?.search != null) {
    for (const pattern of searchPatterns(filter.search)) {
      const p = param(pattern);
      conditions.push(
        `(s.title ILIKE ${p} OR s.description ILIKE ${p} OR EXISTS (SELECT 1 FROM agenda_item a WHERE a.session_id = s.id AND a.title ILIKE ${p}))`,
      );
    }
  }
  return { sql: conditions.length > 0 ? conditions.join(' AND ') : 'true', params };
}

function argsKey(args: SessionPageArgs): string {
  const filter = args.filter ?? {};
  return JSON.stringify([
    filter.bodyId ?? null,
    filter.bodyKind ?? null,
    filter.districtNumber ?? null,
    filter.termNumber ?? null,
    filter.status ?? null,
    filter.from?.getTime() ?? null,
    filter.to?.getTime() ?? null,
    filter.search ?? null,
    args.orderBy ?? null,
    args.first ?? null,
    args.after ?? null,
  ]);
}

function requestKey(request: PageRequest): string {
  return `${request.scope}:${request.parentId}:${argsKey(request.args)}`;
}

function groupByArgs(requests: readonly PageRequest[]): PageRequest[][] {
  const groups = new Map<string, PageRequest[]>();
  for (const request of requests) {
    const key = `${request.scope}:${argsKey(request.args)}`;
    groups.set(key, [...(groups.get(key) ?? []), request]);
  }
  return [...groups.values()];
}
