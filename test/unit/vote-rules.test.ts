import 'reflect-metadata';
import { MajorityRule, VoteResult } from '../../src/entities/vote.entity';
import { voteResult } from '../../src/services/vote.rules';
import type { VoteTally } from '../../src/services/vote.rules';

/** The result of a vote from the quorum at its opening, its counts and the majority required. */
const tally = (overrides: Partial<VoteTally>): VoteTally => ({
  quorumReached: true,
  seats: 36,
  present: 20,
  countFor: 0,
  countAgainst: 0,
  majority: MajorityRule.SIMPLE,
  ...overrides,
});

describe('voteResult', () => {
  it('is NO_QUORUM without a quorum at the opening, whatever the counts and the majority', () => {
    for (const majority of Object.values(MajorityRule)) {
      expect(voteResult(tally({ quorumReached: false, countFor: 20, majority }))).toBe(VoteResult.NO_QUORUM);
    }
  });

  it.each([
    [1, 0, VoteResult.PASSED],
    [10, 9, VoteResult.PASSED],
    [9, 9, VoteResult.REJECTED],
    [0, 0, VoteResult.REJECTED],
    [3, 4, VoteResult.REJECTED],
  ])('SIMPLE: %i for and %i against is %s (abstentions count for neither)', (countFor, countAgainst, result) => {
    expect(voteResult(tally({ countFor, countAgainst }))).toBe(result);
  });

  it.each([
    [20, 11, VoteResult.PASSED],
    [20, 10, VoteResult.REJECTED],
    [19, 10, VoteResult.PASSED],
    [19, 9, VoteResult.REJECTED],
    [18, 0, VoteResult.REJECTED],
  ])('ABSOLUTE_OF_PRESENT: of %i present, %i for is %s (exactly half is not enough)', (present, countFor, result) => {
    expect(voteResult(tally({ present, countFor, majority: MajorityRule.ABSOLUTE_OF_PRESENT }))).toBe(result);
  });

  it.each([
    [36, 19, VoteResult.PASSED],
    [36, 18, VoteResult.REJECTED],
    [21, 11, VoteResult.PASSED],
    [21, 10, VoteResult.REJECTED],
  ])('ABSOLUTE_OF_SEATS: of %i seats, %i for is %s, however many are present', (seats, countFor, result) => {
    expect(voteResult(tally({ seats, present: 20, countFor, majority: MajorityRule.ABSOLUTE_OF_SEATS }))).toBe(result);
  });

  it('ABSOLUTE_OF_PRESENT ignores votes against; SIMPLE ignores how many are present', () => {
    expect(voteResult(tally({ countFor: 11, countAgainst: 9, majority: MajorityRule.ABSOLUTE_OF_PRESENT }))).toBe(
      VoteResult.PASSED,
    );
    expect(voteResult(tally({ countFor: 2, countAgainst: 1, present: 20 }))).toBe(VoteResult.PASSED);
  });
});
