import type { DataSource } from 'typeorm';
import { BadUserInputError, NotFoundError } from '../errors';
import { AttendanceStat, StatsGrouping } from '../schema/attendance-stat.type';
import { requireKeyOf } from '../schema/global-id';

export interface AttendanceStatsArgs {
  readonly termNumber: number;
  readonly groupBy?: StatsGrouping | null;
  readonly bodyId?: string | null;
  readonly districtNumber?: number | null;
  /**
   * Whether synthetic demo sessions count. The API counts them (they are marked, not hidden); the bulk exports leave
   * them out unless asked. @default true
   */
  readonly includeSynthetic?: boolean;
}

/** A line as the statement returns it: counts, and the ids of what it is about. */
interface StatRow {
  seat_id: number | null;
  person_id: number | null;
  body_id: number | null;
  district_id: number | null;
  sessions: number;
  present: number;
  remote: number;
  excused: number;
  absent: number;
  left_early: number;
  by_deputy: number;
  not_recorded: number;
}

/** What each grouping keys its lines on, and how they are ordered. */
const GROUPINGS: Readonly<Record<StatsGrouping, { select: string; from: string; group: string; order: string }>> = {
  [StatsGrouping.SEAT]: {
    select: 'l.seat_id, NULL::int AS person_id, l.body_id, l.district_id',
    from: 'lines l',
    group: 'l.seat_id, l.body_id, l.district_id, l.seat_position',
    order: 'l.body_id, l.seat_position, l.seat_id',
  },
  [StatsGrouping.PERSON]: {
    select: 'NULL::int AS seat_id, l.person_id, NULL::int AS body_id, NULL::int AS district_id',
    from: 'person_lines l JOIN person p ON p.id = l.person_id',
    group: 'l.person_id, p.full_name',
    order: 'p.full_name, l.person_id',
  },
  [StatsGrouping.BODY]: {
    select: 'NULL::int AS seat_id, NULL::int AS person_id, l.body_id, b.district_id',
    from: 'lines l JOIN body b ON b.id = l.body_id',
    group: 'l.body_id, b.district_id',
    order: 'l.body_id',
  },
  [StatsGrouping.DISTRICT]: {
    select: 'NULL::int AS seat_id, NULL::int AS person_id, NULL::int AS body_id, l.district_id',
    from: 'lines l JOIN district d ON d.id = l.district_id',
    group: 'l.district_id, d.number',
    order: 'd.number',
  },
};

/**
 * Query.attendanceStats: attendance over the sessions held in a term, per seat, person, body or district.
 *
 * The rules, each chosen so that no number flatters or blames anyone:
 * - A session is held once it has been opened (started_at set) and was not cancelled; a scheduled or cancelled
 *   session is nobody's absence.
 * - A seat's sessions are the held sessions of its body in the term, each counted once, with the seat's record.
 *   A person's are those of the seats they held in the term (a mandate of the term), only on days within the
 *   mandate (starts_on to ends_on, a null end open), the day being the one the session opened on, in the city's
 *   zone. Someone who took a seat in the middle of the term is not charged with the sessions before.
 * - Present: PRESENT or LEFT (who left had been present; leftEarly counts them). A deputy present for the holder
 *   fills the seat: counted as present for the seat and, in PERSON lines, for the holder (byDeputy tells them
 *   apart), never for the deputy, who holds no mandate. Remote: present with mode REMOTE.
 * - Excused: EXCUSED; absent: ABSENT, and nothing else: a seat still EXPECTED or CONFIRMED in a held session, or
 *   without a record at all, is notRecorded (the clerk recorded nothing), and the rate leaves it out:
 *   present / (sessions - notRecorded), null when nothing was recorded.
 * - Guests have no seat and never count. BODY and DISTRICT lines are the sums of their seats' lines; a seat stands
 *   for the district in its district_id (a Convention member's seat for its district chair's district).
 * - Lines appear only for what had at least one held session.
 *
 * One statement for the checks of the arguments and one for all the lines, whatever their number: the counting
 * is done by PostgreSQL, in one pass over the term's held sessions and their records.
 */
export class AttendanceStatsService {
  constructor(
    private readonly dataSource: DataSource,
    /** The city's zone, in which a session's day is compared with a mandate's dates. */
    private readonly timeZone = 'Europe/Warsaw',
  ) {}

  async stats(args: AttendanceStatsArgs): Promise<AttendanceStat[]> {
    const grouping = GROUPINGS[args.groupBy ?? StatsGrouping.SEAT];
    const bodyId = args.bodyId == null ? null : requireKeyOf(args.bodyId, 'Body', 'bodyId');
    if (args.districtNumber != null && (!Number.isInteger(args.districtNumber) || args.districtNumber < 1)) {
      throw new BadUserInputError('districtNumber', 'districtNumber must be a district number, 1 or more.');
    }
    const [found] = (await this.dataSource.query(
      `SELECT (SELECT id FROM term WHERE number = $1) AS term_id,
              (SELECT id FROM body WHERE id = $2) AS body_id,
              (SELECT id FROM district WHERE number = $3) AS district_id`,
      [args.termNumber, bodyId, args.districtNumber ?? null],
    )) as { term_id: number | null; body_id: number | null; district_id: number | null }[];
    // Statistics of a term that does not exist are not zeros: an empty list would read as "nothing held".
    if (found!.term_id === null) throw new NotFoundError('term', `number ${args.termNumber}`);
    if (bodyId !== null && found!.body_id === null) {
      throw new BadUserInputError('bodyId', 'bodyId: no such body; use the id of one of Query.bodies.');
    }
    if (args.districtNumber != null && found!.district_id === null) {
      throw new BadUserInputError('districtNumber', `districtNumber: there is no district ${args.districtNumber}.`);
    }

    const rows = (await this.dataSource.query(
      `WITH held AS (
         SELECT s.id, s.body_id, (s.started_at AT TIME ZONE $4)::date AS day
         FROM session s
         WHERE s.term_id = $1 AND s.started_at IS NOT NULL AND s.status <> 'CANCELLED' AND ($5::boolean OR NOT s.synthetic)
       ),
       lines AS (
         -- One line per seat and held session of its body, with the seat's record there, if any.
         SELECT st.id AS seat_id, st.position AS seat_position, st.body_id, st.district_id, h.id AS session_id, h.day,
                r.status, r.mode, r.capacity
         FROM seat st
         JOIN held h ON h.body_id = st.body_id
         LEFT JOIN attendance_record r ON r.session_id = h.id AND r.seat_id = st.id
         WHERE ($2::int IS NULL OR st.body_id = $2) AND ($3::int IS NULL OR st.district_id = $3)
       ),
       person_lines AS (
         -- The lines of the seats a person held, on the days their mandate ran; once each, however many mandates.
         SELECT DISTINCT m.person_id, l.seat_id, l.session_id, l.status, l.mode, l.capacity
         FROM lines l
         JOIN mandate m ON m.seat_id = l.seat_id AND m.term_id = $1
                       AND (m.starts_on IS NULL OR m.starts_on <= l.day)
                       AND (m.ends_on IS NULL OR l.day <= m.ends_on)
       )
       SELECT ${grouping.select},
              count(*)::int AS sessions,
              count(*) FILTER (WHERE l.status IN ('PRESENT', 'LEFT'))::int AS present,
              count(*) FILTER (WHERE l.status IN ('PRESENT', 'LEFT') AND l.mode = 'REMOTE')::int AS remote,
              count(*) FILTER (WHERE l.status = 'EXCUSED')::int AS excused,
              count(*) FILTER (WHERE l.status = 'ABSENT')::int AS absent,
              count(*) FILTER (WHERE l.status = 'LEFT')::int AS left_early,
              count(*) FILTER (WHERE l.status IN ('PRESENT', 'LEFT') AND l.capacity = 'DEPUTY')::int AS by_deputy,
              count(*) FILTER (WHERE l.status IS NULL OR l.status IN ('EXPECTED', 'CONFIRMED'))::int AS not_recorded
       FROM ${grouping.from}
       GROUP BY ${grouping.group}
       ORDER BY ${grouping.order}`,
      [found!.term_id, bodyId, found!.district_id, this.timeZone, args.includeSynthetic ?? true],
    )) as StatRow[];
    return rows.map(toStat);
  }
}

function toStat(row: StatRow): AttendanceStat {
  const stat = new AttendanceStat();
  stat.seatId = row.seat_id;
  stat.personId = row.person_id;
  stat.bodyId = row.body_id;
  stat.districtId = row.district_id;
  stat.sessions = row.sessions;
  stat.present = row.present;
  stat.remote = row.remote;
  stat.excused = row.excused;
  stat.absent = row.absent;
  stat.leftEarly = row.left_early;
  stat.byDeputy = row.by_deputy;
  stat.notRecorded = row.not_recorded;
  const recorded = row.sessions - row.not_recorded;
  stat.rate = recorded === 0 ? null : row.present / recorded;
  return stat;
}
