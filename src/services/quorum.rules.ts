import { QuorumRule } from '../entities/body.entity';
import { AttendanceStatus } from '../entities/attendance-record.entity';

export interface QuorumState {
  readonly seats: number;
  readonly present: number;
  readonly required: number;
  readonly reached: boolean;
}

/** Seats that must be present: more than half by default; the Convention's "at least half" where its rule says so. */
export function requiredForQuorum(rule: QuorumRule, seats: number): number {
  return rule === QuorumRule.HALF ? Math.ceil(seats / 2) : Math.floor(seats / 2) + 1;
}

/** Only members' seats count, and a member counts while present (in the room or remotely); guests never do. */
export function quorumOf(
  rule: QuorumRule,
  records: readonly { countsTowardQuorum: boolean; status: AttendanceStatus }[],
): QuorumState {
  const counting = records.filter((record) => record.countsTowardQuorum);
  return quorumFrom(
    rule,
    counting.length,
    counting.filter((record) => record.status === AttendanceStatus.PRESENT).length,
  );
}

/** The quorum from the count of members' seats and of those present. */
export function quorumFrom(rule: QuorumRule, seats: number, present: number): QuorumState {
  const required = requiredForQuorum(rule, seats);
  return { seats, present, required, reached: present >= required };
}

/**
 * The same rule in SQL, for the statement that writes an event ($1 the session, $2 its body's QuorumRule): one row,
 * seats, present, required, and head, the payload's opening `{"quorum":{...},` exactly as JSON.stringify of
 * quorumOf's answer prints it (test/live/write-cost.test.ts holds the two to each other).
 */
export const QUORUM_SQL = `SELECT c.seats, c.present, c.required,
         format('{"quorum":{"seats":%s,"present":%s,"required":%s,"reached":%s},',
                c.seats, c.present, c.required, CASE WHEN c.present >= c.required THEN 'true' ELSE 'false' END) AS head
    FROM (SELECT n.seats, n.present,
                 CASE WHEN $2::text = '${QuorumRule.HALF}' THEN (n.seats + 1) / 2 ELSE n.seats / 2 + 1 END AS required
            FROM (SELECT (count(*) FILTER (WHERE counts_toward_quorum))::int AS seats,
                         (count(*) FILTER (WHERE counts_toward_quorum AND status = '${AttendanceStatus.PRESENT}'))::int AS present
                    FROM attendance_record WHERE session_id = $1) n) c`;
