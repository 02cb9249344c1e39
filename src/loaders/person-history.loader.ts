import DataLoader from 'dataloader';
import { In } from 'typeorm';
import type { DataSource, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { AttendanceRecord } from '../entities/attendance-record.entity';
import { Ballot } from '../entities/ballot.entity';
import { BadUserInputError } from '../errors';
import type { Page } from '../schema/connection.types';
import { decodeCursor, encodeCursor, pageInfoOf, pageSize } from '../schema/pagination';

export interface PersonPageRequest {
  readonly personId: number;
  readonly first?: number | null;
  readonly after?: string | null;
}

/** Which rows make a person's list: `rows` is FROM ... WHERE ... with x.person the person, s the session, t the row. */
interface HistorySpec<T> {
  readonly entity: EntityTarget<T>;
  /** The cursor's kind, so that a cursor of one list is refused by another. */
  readonly cursorKind: string;
  readonly rows: string;
}

/**
 * Person.attendance: the records of the person, their own (as holder, deputy or guest) and those of a deputy
 * present on their behalf, in sessions held (opened, not cancelled): the history behind Query.attendanceStats.
 */
const ATTENDANCE: HistorySpec<AttendanceRecord> = {
  entity: AttendanceRecord,
  cursorKind: 'pa',
  rows: `attendance_record t JOIN session s ON s.id = t.session_id
         JOIN unnest($1::int[]) AS x(person) ON t.person_id = x.person OR t.on_behalf_of_id = x.person
         WHERE s.started_at IS NOT NULL AND s.status <> 'CANCELLED'`,
};

/** Person.ballots: the ballots the person cast (held) in OPEN votes; a SECRET vote has none anyway. */
const BALLOTS: HistorySpec<Ballot> = {
  entity: Ballot,
  cursorKind: 'pb',
  rows: `ballot t JOIN vote v ON v.id = t.vote_id JOIN session s ON s.id = v.session_id
         JOIN unnest($1::int[]) AS x(person) ON t.person_id = x.person
         WHERE v.secrecy = 'OPEN'`,
};

export const personAttendanceLoader = (dataSource: DataSource) => personHistoryLoader(dataSource, ATTENDANCE);
export const personBallotsLoader = (dataSource: DataSource) => personHistoryLoader(dataSource, BALLOTS);

/**
 * A person's list, newest first (by the session's scheduled time, then the row's id), keyset-paginated. The lists
 * of all the people of a request asked with the same arguments cost one statement for their positions (a window
 * per person), one for the rows and, if totalCount is asked, one for the counts.
 */
function personHistoryLoader<T extends ObjectLiteral & { id: number }>(
  dataSource: DataSource,
  spec: HistorySpec<T>,
): DataLoader<PersonPageRequest, Page<T>, string> {
  const counts = new DataLoader<number, number>(async (personIds) => {
    const rows = (await dataSource.query(
      `SELECT x.person, count(*)::int AS total FROM ${spec.rows} GROUP BY x.person`,
      [[...personIds]],
    )) as { person: number; total: number }[];
    const byPerson = new Map(rows.map((row) => [row.person, row.total]));
    return personIds.map((id) => byPerson.get(id) ?? 0);
  });

  return new DataLoader<PersonPageRequest, Page<T>, string>(
    async (requests) => {
      const pages = new Map<string, Page<T>>();
      for (const group of groupByArgs(requests)) {
        const { first: asked, after } = group[0]!;
        const first = pageSize(asked);
        const params: unknown[] = [[...new Set(group.map((r) => r.personId))]];
        let where = '';
        if (after) {
          const cursor = decodeCursor(after, spec.cursorKind);
          const at = new Date(Number(cursor.key));
          if (Number.isNaN(at.getTime()) || at.getUTCFullYear() < 1) {
            throw new BadUserInputError('after', 'after: not a cursor of this list.');
          }
          params.push(at, cursor.id);
          where = ' AND (s.scheduled_at, t.id) < ($2, $3)';
        }
        params.push(first + 1);
        const positions = (await dataSource.query(
          `SELECT id, person, at FROM (
             SELECT t.id, x.person, s.scheduled_at AS at,
                    row_number() OVER (PARTITION BY x.person ORDER BY s.scheduled_at DESC, t.id DESC) AS rn
             FROM ${spec.rows}${where}
           ) ranked WHERE rn <= $${params.length} ORDER BY person, rn`,
          params,
        )) as { id: number; person: number; at: Date }[];
        // Run even for no rows, so that what a page costs does not depend on what it holds.
        const found = await dataSource
          .getRepository(spec.entity)
          .findBy({ id: In(positions.map((p) => p.id)) } as FindOptionsWhere<T>);
        const byId = new Map(found.map((row) => [row.id, row]));
        for (const request of group) {
          const mine = positions.filter((p) => p.person === request.personId);
          const edges = mine.slice(0, first).map((p) => ({
            cursor: encodeCursor(spec.cursorKind, p.at.getTime(), p.id),
            node: byId.get(p.id)!,
          }));
          pages.set(requestKey(request), {
            edges,
            nodes: edges.map((edge) => edge.node),
            pageInfo: pageInfoOf(edges, mine.length > first, after),
            count: () => counts.load(request.personId),
          });
        }
      }
      return requests.map((request) => pages.get(requestKey(request))!);
    },
    { cacheKeyFn: requestKey },
  );
}

const argsKey = (request: PersonPageRequest): string => JSON.stringify([request.first ?? null, request.after ?? null]);
const requestKey = (request: PersonPageRequest): string => `${request.personId}:${argsKey(request)}`;

function groupByArgs(requests: readonly PersonPageRequest[]): PersonPageRequest[][] {
  const groups = new Map<string, PersonPageRequest[]>();
  for (const request of requests) groups.set(argsKey(request), [...(groups.get(argsKey(request)) ?? []), request]);
  return [...groups.values()];
}
