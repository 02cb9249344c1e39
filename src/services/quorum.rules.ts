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
  const present = counting.filter((record) => record.status === AttendanceStatus.PRESENT).length;
  const required = requiredForQuorum(rule, counting.length);
  return { seats: counting.length, present, required, reached: present >= required };
}
