import 'reflect-metadata';
import { AttendanceStatus } from '../../src/entities/attendance-record.entity';
import { QuorumRule } from '../../src/entities/body.entity';
import { quorumOf, requiredForQuorum } from '../../src/services/quorum.rules';

/** The quorum rule of the Statute (more than half) and of the Convention (at least half). */
describe('requiredForQuorum', () => {
  it.each([
    [21, 11, 11],
    [20, 11, 10],
    [15, 8, 8],
    [1, 1, 1],
    [0, 1, 0],
  ])('of %i seats: %i present under MAJORITY, %i under HALF', (seats, majority, half) => {
    expect(requiredForQuorum(QuorumRule.MAJORITY, seats)).toBe(majority);
    expect(requiredForQuorum(QuorumRule.HALF, seats)).toBe(half);
  });
});

describe('quorumOf', () => {
  const member = (status: AttendanceStatus) => ({ countsTowardQuorum: true, status });
  const guest = (status: AttendanceStatus) => ({ countsTowardQuorum: false, status });

  it('counts members present, and only them, against the members’ seats', () => {
    const records = [
      ...Array.from({ length: 10 }, () => member(AttendanceStatus.PRESENT)),
      member(AttendanceStatus.ABSENT),
      member(AttendanceStatus.EXCUSED),
      member(AttendanceStatus.LEFT),
      member(AttendanceStatus.EXPECTED),
      member(AttendanceStatus.CONFIRMED),
      ...Array.from({ length: 6 }, () => member(AttendanceStatus.ABSENT)),
      guest(AttendanceStatus.PRESENT),
      guest(AttendanceStatus.PRESENT),
    ];
    expect(quorumOf(QuorumRule.MAJORITY, records)).toEqual({ seats: 21, present: 10, required: 11, reached: false });
  });

  it('is reached exactly when the required number is present', () => {
    const records = (present: number) => [
      ...Array.from({ length: present }, () => member(AttendanceStatus.PRESENT)),
      ...Array.from({ length: 20 - present }, () => member(AttendanceStatus.ABSENT)),
    ];
    expect(quorumOf(QuorumRule.HALF, records(9)).reached).toBe(false);
    expect(quorumOf(QuorumRule.HALF, records(10))).toEqual({ seats: 20, present: 10, required: 10, reached: true });
    expect(quorumOf(QuorumRule.MAJORITY, records(10)).reached).toBe(false);
    expect(quorumOf(QuorumRule.MAJORITY, records(11)).reached).toBe(true);
  });

  it('no guest, however many, makes a quorum', () => {
    const records = [
      member(AttendanceStatus.ABSENT),
      ...Array.from({ length: 50 }, () => guest(AttendanceStatus.PRESENT)),
    ];
    expect(quorumOf(QuorumRule.MAJORITY, records)).toEqual({ seats: 1, present: 0, required: 1, reached: false });
  });
});
