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
import { searchSql, sessionsMatching } from '../services/search-query';
import { searchWords } from '../validation/search-words';

/** Which parent a list of sessions hangs from, if any: Query.sessions has none. */
export type SessionScope = 'all' | 'body' | 'district' | 'term';

/** That a session (`s`) belongs to the parent `parent` (a SQL expression), as a condition on `s` alone. */
function belongsTo(scope: Exclude<SessionScope, 'all'>, parent: string): string {
  switch (scope) {
    case 'body':
      return `s.body_id = ${parent}`;
    case 'term':
      return `s.term_id = ${parent}`;
    case 'district':
      return `s.body_id IN (SELECT id FROM body WHERE district_id = ${parent})`;
  }
}

/**
 * The first rows (id, scheduled_at) of one parent's page, in order, read from
 * an index on (parent, scheduled_at, id): a district's from each of its bodies'
 * first rows, merged.
 */
function pageOfParent(
  scope: Exclude<SessionScope, 'all'>,
  parent: string,
  where: string,
  direction: string,
  limit: string,
) {
  const order = (alias: string) =>
    `ORDER BY ${alias}.scheduled_at ${direction}, ${alias}.id ${direction} LIMIT ${limit}`;
  if (scope !== 'district') {
    return `SELECT s.id, s.scheduled_at FROM session s WHERE ${belongsTo(scope, parent)} AND ${where} ${order('s')}`;
  }
  return `SELECT y.id, y.scheduled_at FROM body pb CROSS JOIN LATERAL (
            SELECT s.id, s.scheduled_at FROM session s WHERE s.body_id = pb.id AND ${where} ${order('s')}
          ) y WHERE pb.district_id = ${parent} ${order('y')}`;
}

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

/**
 * Lists of sessions: Query.sessions, and Body/District/Term.sessions, per
 * request. All lists asked for with the same arguments in one request are
 * answered by one statement for their rows and, if totalCount is asked, one
 * for their counts; the sessions themselves come from the request's session
 * loader. Each parent's page is read in order from an index on (parent,
 * scheduled_at, id) and stops at the page's end (a LATERAL subquery per
 * parent, LIMIT inside): a term's page costs its rows, not the term.
 */
export function sessionPagesLoader(
  dataSource: DataSource,
  sessionById: DataLoader<number, Session | null>,
  scope: ReadScope | null = null,
): DataLoader<PageRequest, Page<Session>, string> {
  // A list is covered by the version of the set of sessions, which moves when a session is added or changed, but
  // a search also looks into agendas, which change without it: such a list is computed every time.
  // So does updatedAt, which every write inside a session moves: a list filtered or ordered by it is computed too.
  const searched = (requests: readonly PageRequest[]): void => {
    if (requests.some((request) => request.args.filter?.search != null)) scope?.spoil('a search of sessions');
    if (requests.some((request) => byUpdatedAt(request.args))) scope?.spoil('a list of sessions by updatedAt');
  };
  const counts = new DataLoader<PageRequest, number, string>(
    async (requests) => {
      searched(requests);
      const results = new Map<string, number>();
      for (const group of groupByArgs(requests)) {
        const { scope, args } = group[0]!;
        const params: unknown[] = scope === 'all' ? [] : [group.map((r) => r.parentId)];
        const where = filterOf(args.filter ?? null, params);
        const rows = (await dataSource.query(
          scope === 'all'
            ? tracked(`SELECT 0 AS parent, count(*)::int AS total FROM session s WHERE ${where}`)
            : tracked(`SELECT p.parent, (SELECT count(*)::int FROM session s WHERE ${belongsTo(scope, 'p.parent')} AND ${where}) AS total
                 FROM unnest($1::int[]) AS p(parent)`),
          params,
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
        const order = args.orderBy ?? SessionOrder.SCHEDULED_AT_DESC;
        const descending = order === SessionOrder.SCHEDULED_AT_DESC;
        const cursorKind = CURSOR_KIND[order];
        const params: unknown[] = scope === 'all' ? [] : [group.map((r) => r.parentId)];
        let where = filterOf(args.filter ?? null, params);
        // Only Query.sessions (scope 'all') takes an order: the lists under a parent are in scheduled order.
        if (order === SessionOrder.UPDATED_AT_ASC && scope === 'all') {
          pages.set(...(await updatedPage(group[0]!, first, where, params)));
          continue;
        }
        if (args.after) {
          params.push(...cursorTime(args.after, cursorKind));
          where += ` AND (s.scheduled_at, s.id) ${descending ? '<' : '>'} ($${params.length - 1}, $${params.length})`;
        }
        const direction = descending ? 'DESC' : 'ASC';
        params.push(first + 1);
        const limit = `$${params.length}`;
        const rows = (await dataSource.query(
          scope === 'all'
            ? tracked(`SELECT s.id, 0 AS parent, s.scheduled_at FROM session s WHERE ${where}
                 ORDER BY s.scheduled_at ${direction}, s.id ${direction} LIMIT ${limit}`)
            : tracked(`SELECT x.id, p.parent, x.scheduled_at
                 FROM unnest($1::int[]) WITH ORDINALITY AS p(parent, ord)
                 CROSS JOIN LATERAL (${pageOfParent(scope, 'p.parent', where, direction, limit)}) x
                 ORDER BY p.ord, x.scheduled_at ${direction}, x.id ${direction}`),
          params,
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
          pages.set(requestKey(request), pageOf(request, byParent.get(request.parentId) ?? [], first, cursorKind));
        }
      }
      return requests.map((request) => pages.get(requestKey(request))!);
    },
    { cacheKeyFn: requestKey },
  );

  function pageOf(
    request: PageRequest,
    found: readonly { id: number; at: Date; session: Session }[],
    first: number,
    cursorKind: string,
  ): Page<Session> {
    const edges = found.slice(0, first).map((row) => ({
      cursor: encodeCursor(cursorKind, row.at.getTime(), row.id),
      node: row.session,
    }));
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: {
        hasNextPage: found.length > first,
        hasPreviousPage: Boolean(request.args.after),
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
      count: () => counts.load(request),
    };
  }

  /**
   * Query.sessions in UPDATED_AT_ASC order: read in the order of session_version's index on (updated_at,
   * session_id), from updatedSince (or the cursor) on. updatedAt is stamped in milliseconds, what the cursor holds,
   * so (updatedAt, id) after the cursor is exact.
   */
  async function updatedPage(
    request: PageRequest,
    first: number,
    where: string,
    params: unknown[],
  ): Promise<[string, Page<Session>]> {
    const since = request.args.filter?.updatedSince ?? null;
    if (since !== null) {
      params.push(since);
      where += ` AND v.updated_at >= $${params.length}`;
    }
    if (request.args.after) {
      params.push(...cursorTime(request.args.after, CURSOR_KIND[SessionOrder.UPDATED_AT_ASC]));
      where += ` AND (v.updated_at, v.session_id) > ($${params.length - 1}, $${params.length})`;
    }
    params.push(first + 1);
    const rows = (await dataSource.query(
      `SELECT v.session_id AS id, v.updated_at AS at FROM session_version v JOIN session s ON s.id = v.session_id
        WHERE ${where} ORDER BY v.updated_at, v.session_id LIMIT $${params.length}`,
      params,
    )) as { id: number; at: Date }[];
    const sessions = await sessionById.loadMany(rows.map((row) => row.id));
    const found = rows.flatMap((row, index) => {
      const session = sessions[index];
      return session && !(session instanceof Error) ? [{ id: row.id, at: row.at, session }] : [];
    });
    return [requestKey(request), pageOf(request, found, first, CURSOR_KIND[SessionOrder.UPDATED_AT_ASC])];
  }
}

/** Which order a cursor was issued in: one of another order is refused. */
export const CURSOR_KIND: Record<SessionOrder, string> = {
  [SessionOrder.SCHEDULED_AT_DESC]: 'sd',
  [SessionOrder.SCHEDULED_AT_ASC]: 'sa',
  [SessionOrder.UPDATED_AT_ASC]: 'su',
};

/** A list filtered or ordered by Session.updatedAt. */
function byUpdatedAt(args: SessionPageArgs): boolean {
  return args.filter?.updatedSince != null || args.orderBy === SessionOrder.UPDATED_AT_ASC;
}

/** The time and id a cursor of this list holds. */
export function cursorTime(after: string, kind: string): [Date, number] {
  const cursor = decodeCursor(after, kind);
  const at = new Date(Number(cursor.key));
  // A date PostgreSQL cannot hold (before 4713 BC) was never issued as a cursor.
  if (Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1) {
    throw new BadUserInputError('after', 'after: not a cursor of this list.');
  }
  return [at, cursor.id];
}

/**
 * The WHERE clause of a filter, checked argument by argument, on `s` alone
 * (what it asks of the body, district or term in subqueries), so the page can
 * be read in the order of an index on session; its values go into `params`.
 */
export function filterOf(filter: SessionFilter | null, params: unknown[]): string {
  const conditions: string[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter?.bodyId != null) {
    conditions.push(`s.body_id = ${param(keyOf(filter.bodyId, 'Body', 'filter.bodyId') ?? 0)}`);
  }
  if (filter?.bodyKind != null)
    conditions.push(`s.body_id IN (SELECT id FROM body WHERE kind = ${param(filter.bodyKind)})`);
  if (filter?.districtNumber != null) {
    if (!Number.isInteger(filter.districtNumber) || filter.districtNumber < 1) {
      throw new BadUserInputError(
        'filter.districtNumber',
        'filter.districtNumber must be a district number, 1 or more.',
      );
    }
    conditions.push(
      `s.body_id IN (SELECT id FROM body WHERE district_id = (SELECT id FROM district WHERE number = ${param(filter.districtNumber)}))`,
    );
  }
  if (filter?.termNumber != null) {
    conditions.push(`s.term_id = (SELECT id FROM term WHERE number = ${param(filter.termNumber)})`);
  }
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
  if (filter?.updatedSince != null) {
    conditions.push(
      `(SELECT v.updated_at FROM session_version v WHERE v.session_id = s.id) >= ${param(filter.updatedSince)}`,
    );
  }
  if (filter?.search != null) {
    const words = searchWords(filter.search);
    // The engine of Query.search: the session's title and description, or an agenda item's, in any Polish form.
    if (words.length > 0) conditions.push(`s.id IN (${sessionsMatching(searchSql(words, param))})`);
    // Only punctuation ("%", "-"): no word, so nothing matches; a blank search filters nothing.
    else if (filter.search.trim() !== '') conditions.push('false');
  }
  return conditions.length > 0 ? conditions.join(' AND ') : 'true';
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
    filter.updatedSince?.getTime() ?? null,
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
