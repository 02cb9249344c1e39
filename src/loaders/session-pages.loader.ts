import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { tracked } from '../cache/read-scope';
import type { ReadScope } from '../cache/read-scope';
import type { Session } from '../entities/session.entity';
import { BadUserInputError } from '../errors';
import type { Page } from '../schema/connection.types';
import { keyOf } from '../schema/global-id';
import { decodeCursor, encodeCursor, pageInfoOf, pageSize } from '../schema/pagination';
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
  const searched = (requests: readonly PageRequest[]): void => {
    if (requests.some((request) => request.args.filter?.search != null)) scope?.spoil('a search of sessions');
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
        const descending = (args.orderBy ?? SessionOrder.SCHEDULED_AT_DESC) === SessionOrder.SCHEDULED_AT_DESC;
        const cursorKind = descending ? 'sd' : 'sa';
        const params: unknown[] = scope === 'all' ? [] : [group.map((r) => r.parentId)];
        let where = filterOf(args.filter ?? null, params);
        if (args.after) {
          const cursor = decodeCursor(args.after, cursorKind);
          const at = new Date(Number(cursor.key));
          // A date PostgreSQL cannot hold (before 4713 BC) was never issued as a cursor.
          if (Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1) {
            throw new BadUserInputError('after', 'after: not a cursor of this list.');
          }
          params.push(at, cursor.id);
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
          const found = byParent.get(request.parentId) ?? [];
          const shown = found.slice(0, first);
          const edges = shown.map((row) => ({
            cursor: encodeCursor(cursorKind, row.at.getTime(), row.id),
            node: row.session,
          }));
          pages.set(requestKey(request), {
            edges,
            nodes: edges.map((edge) => edge.node),
            pageInfo: pageInfoOf(edges, found.length > first, args.after),
            count: () => counts.load(request),
          });
        }
      }
      return requests.map((request) => pages.get(requestKey(request))!);
    },
    { cacheKeyFn: requestKey },
  );
}

/**
 * The WHERE clause of a filter, checked argument by argument, on `s` alone
 * (what it asks of the body, district or term in subqueries), so the page can
 * be read in the order of an index on session; its values go into `params`.
 */
function filterOf(filter: SessionFilter | null, params: unknown[]): string {
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
