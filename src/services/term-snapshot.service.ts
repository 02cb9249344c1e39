import type { DataSource, QueryRunner } from 'typeorm';
import { cursorRows } from '../db/cursor';
import { NotFoundError } from '../errors';

/**
 * The data version a term's export files are built under (every term's, for the index): the reference data's
 * version, the list of sessions' version and the sum of the versions of the term's sessions. Each of these only
 * grows while the set of sessions stays (adding or removing one moves the list's version), so any change to what a
 * term's files hold gives another string, and an unchanged term the same one. One statement.
 */
export async function readExportVersion(
  query: (sql: string, params: unknown[]) => Promise<unknown>,
  termNumber: number | null,
): Promise<{ readonly termId: number | null; readonly version: string }> {
  const [row] = (await query(
    `SELECT t.id AS term_id,
            (SELECT "version" FROM data_version WHERE id = 1)::text || '.' ||
            (SELECT "version" FROM data_version WHERE id = 2)::text || '.' ||
            (SELECT coalesce(sum(v."version"), 0) FROM session_version v JOIN session s ON s.id = v.session_id
              WHERE $1::int IS NULL OR s.term_id = t.id)::text AS version
     FROM (SELECT (SELECT id FROM term WHERE number = $1) AS id) t`,
    [termNumber],
  )) as { term_id: number | null; version: string }[];
  if (termNumber !== null && row!.term_id === null) throw new NotFoundError('term', `number ${termNumber}`);
  return { termId: row!.term_id, version: row!.version };
}

export interface TermRow {
  id: number;
  number: number;
  numeral: string;
  election_date: string | null;
  starts_on: string | null;
  ends_on: string | null;
}
export interface PersonRow {
  id: number;
  full_name: string;
  synthetic: boolean;
}
export interface DistrictRow {
  id: number;
  number: number;
  numeral: string;
  name: string;
  slug: string;
  council_seats: number;
}
export interface BodyRow {
  id: number;
  kind: string;
  name: string;
  district_id: number | null;
  description: string | null;
  quorum_rule: string;
  admits_deputies: boolean;
}
export interface SeatRow {
  id: number;
  body_id: number;
  position: number;
  label: string;
  role: string;
  district_id: number | null;
  counts_toward_quorum: boolean;
}
export interface MandateRow {
  id: number;
  person_id: number;
  seat_id: number | null;
  body_id: number | null;
  district_id: number | null;
  title: string;
  starts_on: string | null;
  ends_on: string | null;
}
export interface SessionRow {
  id: number;
  body_id: number;
  number: number;
  title: string;
  kind: string;
  status: string;
  scheduled_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
  venue_name: string | null;
  venue_address: string | null;
  chair_id: number | null;
  description: string | null;
  cancellation_reason: string | null;
  last_sequence: number;
  synthetic: boolean;
}
export interface AgendaItemRow {
  id: number;
  session_id: number;
  position: number;
  title: string;
  description: string | null;
  presenter: string | null;
  status: string;
  started_at: Date | null;
  ended_at: Date | null;
}
export interface AttendanceRow {
  id: number;
  session_id: number;
  seat_id: number | null;
  person_id: number | null;
  person_name: string | null;
  capacity: string;
  on_behalf_of_id: number | null;
  label: string;
  affiliation: string | null;
  district_id: number | null;
  status: string;
  mode: string | null;
  arrived_at: Date | null;
  left_at: Date | null;
  counts_toward_quorum: boolean;
}
export interface VoteRow {
  id: number;
  session_id: number;
  body_id: number;
  agenda_item_id: number | null;
  subject: string;
  secrecy: string;
  majority: string;
  status: string;
  opened_at: Date;
  closed_at: Date | null;
  quorum_seats: number;
  quorum_present: number;
  quorum_required: number;
  quorum_reached: boolean;
  count_for: number;
  count_against: number;
  count_abstain: number;
  result: string | null;
  annulment_reason: string | null;
}
export interface BallotRow {
  vote_id: number;
  seat_id: number;
  seat_position: number;
  person_id: number | null;
  capacity: string;
  option: string | null;
  cast_at: Date | null;
}
export interface SpeechRow {
  id: number;
  session_id: number;
  agenda_item_id: number | null;
  attendance_record_id: number;
  kind: string;
  status: string;
  requested_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
  time_limit_seconds: number | null;
}
export interface SessionEventRow {
  session_id: number;
  sequence: number;
  kind: string;
  occurred_at: Date;
  status: string;
  agenda_item_id: number | null;
  attendance_record_id: number | null;
  vote_id: number | null;
  speech_request_id: number | null;
  quorum_seats: number | null;
  quorum_present: number | null;
  quorum_required: number | null;
  quorum_reached: boolean | null;
}

/** The sessions a term's files hold ($1 the term's id, $2 whether synthetic ones are asked for), alias s. */
const KEPT_SESSIONS = 's.term_id = $1 AND ($2::boolean OR NOT s.synthetic)';
/** Rows of the kept sessions come in the sessions' order, so that a writer can walk two lists side by side. */
const SESSION_ORDER = 's.scheduled_at, s.id';
/** A person shown by reference: left null where the person is synthetic and synthetic rows were not asked for. */
const joinShown = (alias: string, column: string): string =>
  `LEFT JOIN person ${alias} ON ${alias}.id = ${column} AND ($2::boolean OR NOT ${alias}.synthetic)`;

/**
 * One term's public record, read in one REPEATABLE READ, READ ONLY transaction: every list comes from the same
 * snapshot, and the version read first is the one the lists match. Each list is a cursor, read a page at a time,
 * so a city many times this size costs time, not memory.
 *
 * Public columns only, chosen one by one: never a person's email or phone, never an event's actor; ballots only of
 * OPEN votes (a SECRET vote has none, and the join says so again); synthetic demo rows (people and sessions marked
 * synthetic, and the rows of such sessions) only when asked for, and a reference to a synthetic person is then null.
 */
export class TermSnapshot {
  private constructor(
    private readonly runner: QueryRunner,
    readonly term: TermRow,
    readonly version: string,
    readonly includeSynthetic: boolean,
  ) {}

  static async open(dataSource: DataSource, termNumber: number, includeSynthetic: boolean): Promise<TermSnapshot> {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const { termId, version } = await readExportVersion((sql, params) => runner.query(sql, params), termNumber);
      const [term] = (await runner.query(
        `SELECT id, number, numeral, election_date::text AS election_date, starts_on::text AS starts_on,
                ends_on::text AS ends_on
         FROM term WHERE id = $1`,
        [termId],
      )) as TermRow[];
      return new TermSnapshot(runner, term!, version, includeSynthetic);
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      await runner.release();
      throw error;
    }
  }

  /** Ends the transaction (it changed nothing) and gives the connection back. */
  async close(): Promise<void> {
    try {
      await this.runner.query('ROLLBACK');
    } finally {
      await this.runner.release();
    }
  }

  private rows<Row>(statement: string, scoped = true): AsyncGenerator<Row> {
    return cursorRows<Row>(this.runner, statement, scoped ? [this.term.id, this.includeSynthetic] : []);
  }

  /** Everyone the term's record names: seat holders of the term, chairs, attendees (deputies too) and voters. */
  people(): AsyncGenerator<PersonRow> {
    return this.rows(
      `WITH kept AS (SELECT s.id, s.chair_id FROM session s WHERE ${KEPT_SESSIONS}),
            named AS (
              SELECT person_id AS id FROM mandate WHERE term_id = $1
              UNION SELECT chair_id FROM kept
              UNION SELECT r.person_id FROM attendance_record r JOIN kept k ON k.id = r.session_id
              UNION SELECT r.on_behalf_of_id FROM attendance_record r JOIN kept k ON k.id = r.session_id
              UNION SELECT b.person_id FROM ballot b JOIN vote v ON v.id = b.vote_id JOIN kept k ON k.id = v.session_id
            )
       SELECT p.id, p.full_name, p.synthetic FROM person p JOIN named n ON n.id = p.id
       WHERE $2::boolean OR NOT p.synthetic
       ORDER BY p.id`,
    );
  }

  districts(): AsyncGenerator<DistrictRow> {
    return this.rows(`SELECT id, number, numeral, name, slug, council_seats FROM district ORDER BY number`, false);
  }

  bodies(): AsyncGenerator<BodyRow> {
    return this.rows(
      `SELECT id, kind, name, district_id, description, quorum_rule, admits_deputies FROM body ORDER BY id`,
      false,
    );
  }

  seats(): AsyncGenerator<SeatRow> {
    return this.rows(
      `SELECT id, body_id, position, label, role, district_id, counts_toward_quorum FROM seat ORDER BY id`,
      false,
    );
  }

  /** The term's mandates (a function held outside any term is not one of them). */
  mandates(): AsyncGenerator<MandateRow> {
    return this.rows(
      `SELECT m.id, m.person_id, m.seat_id, st.body_id, st.district_id, m.title,
              m.starts_on::text AS starts_on, m.ends_on::text AS ends_on
       FROM mandate m
       JOIN person p ON p.id = m.person_id AND ($2::boolean OR NOT p.synthetic)
       LEFT JOIN seat st ON st.id = m.seat_id
       WHERE m.term_id = $1
       ORDER BY m.id`,
    );
  }

  sessions(): AsyncGenerator<SessionRow> {
    return this.rows(
      `SELECT s.id, s.body_id, s.number, s.title, s.kind, s.status, s.scheduled_at, s.started_at, s.ended_at,
              s.venue_name, s.venue_address, c.id AS chair_id, s.description, s.cancellation_reason, s.last_sequence,
              s.synthetic
       FROM session s ${joinShown('c', 's.chair_id')}
       WHERE ${KEPT_SESSIONS}
       ORDER BY ${SESSION_ORDER}`,
    );
  }

  agendaItems(): AsyncGenerator<AgendaItemRow> {
    return this.rows(
      `SELECT a.id, a.session_id, a.position, a.title, a.description, a.presenter, a.status, a.started_at, a.ended_at
       FROM agenda_item a JOIN session s ON s.id = a.session_id
       WHERE ${KEPT_SESSIONS}
       ORDER BY ${SESSION_ORDER}, a.position`,
    );
  }

  attendance(): AsyncGenerator<AttendanceRow> {
    return this.rows(
      `SELECT r.id, r.session_id, r.seat_id, p.id AS person_id, p.full_name AS person_name, r.capacity,
              o.id AS on_behalf_of_id, r.label, r.affiliation, r.district_id, r.status, r.mode, r.arrived_at,
              r.left_at, r.counts_toward_quorum
       FROM attendance_record r JOIN session s ON s.id = r.session_id
       ${joinShown('p', 'r.person_id')} ${joinShown('o', 'r.on_behalf_of_id')}
       WHERE ${KEPT_SESSIONS}
       ORDER BY ${SESSION_ORDER}, r.id`,
    );
  }

  votes(): AsyncGenerator<VoteRow> {
    return this.rows(
      `SELECT v.id, v.session_id, s.body_id, v.agenda_item_id, v.subject, v.secrecy, v.majority, v.status, v.opened_at,
              v.closed_at, v.quorum_seats, v.quorum_present, v.quorum_required, v.quorum_reached, v.count_for,
              v.count_against, v.count_abstain, v.result, v.annulment_reason
       FROM vote v JOIN session s ON s.id = v.session_id
       WHERE ${KEPT_SESSIONS}
       ORDER BY ${SESSION_ORDER}, v.id`,
    );
  }

  /** The named lists of OPEN votes, in the order of votes(). */
  ballots(): AsyncGenerator<BallotRow> {
    return this.rows(
      `SELECT b.vote_id, b.seat_id, b.seat_position, p.id AS person_id, b.capacity, b.option, b.cast_at
       FROM ballot b
       JOIN vote v ON v.id = b.vote_id AND v.secrecy = 'OPEN'
       JOIN session s ON s.id = v.session_id
       ${joinShown('p', 'b.person_id')}
       WHERE ${KEPT_SESSIONS}
       ORDER BY ${SESSION_ORDER}, v.id, b.seat_position`,
    );
  }

  speeches(): AsyncGenerator<SpeechRow> {
    return this.rows(
      `SELECT q.id, q.session_id, q.agenda_item_id, q.attendance_record_id, q.kind, q.status, q.requested_at,
              q.started_at, q.ended_at, q.time_limit_seconds
       FROM speech_request q JOIN session s ON s.id = q.session_id
       WHERE ${KEPT_SESSIONS}
       ORDER BY ${SESSION_ORDER}, q.id`,
    );
  }

  /**
   * The log's public header and what each change was about, by id; never its actor, and nothing of a payload but
   * the quorum and the ids of the rows changed (whose public columns are in their own lists).
   */
  sessionEvents(): AsyncGenerator<SessionEventRow> {
    return this.rows(
      `SELECT e.session_id, e.sequence, e.kind, e.occurred_at, e.status, e.agenda_item_id,
              (e.payload->'attendance'->>'id')::int AS attendance_record_id,
              (e.payload->'vote'->>'id')::int AS vote_id,
              (e.payload->'speech'->>'id')::int AS speech_request_id,
              (e.payload->'quorum'->>'seats')::int AS quorum_seats,
              (e.payload->'quorum'->>'present')::int AS quorum_present,
              (e.payload->'quorum'->>'required')::int AS quorum_required,
              (e.payload->'quorum'->>'reached')::boolean AS quorum_reached
       FROM session_event e JOIN session s ON s.id = e.session_id
       WHERE ${KEPT_SESSIONS}
       ORDER BY ${SESSION_ORDER}, e.sequence`,
    );
  }
}
