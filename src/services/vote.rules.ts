import { MajorityRule, VoteResult } from '../entities/vote.entity';

/** What decides a vote: the quorum as it stood at the opening, the counts, and the majority required. */
export interface VoteTally {
  /** Whether the quorum was present when voting opened. */
  readonly quorumReached: boolean;
  /** The body's seats that count toward the quorum. */
  readonly seats: number;
  /** Of them, the seats present when voting opened. */
  readonly present: number;
  readonly countFor: number;
  readonly countAgainst: number;
  readonly majority: MajorityRule;
}

/**
 * The result of a closed vote. Without a quorum at the opening nothing was
 * decided, whatever the counts. A simple majority is more for than against
 * (a tie rejects; abstentions count for neither); an absolute majority is
 * more for than half of the seats present, or of all the seats, so exactly
 * half is not enough.
 */
export function voteResult(tally: VoteTally): VoteResult {
  if (!tally.quorumReached) return VoteResult.NO_QUORUM;
  const passed =
    tally.majority === MajorityRule.SIMPLE
      ? tally.countFor > tally.countAgainst
      : tally.countFor > (tally.majority === MajorityRule.ABSOLUTE_OF_PRESENT ? tally.present : tally.seats) / 2;
  return passed ? VoteResult.PASSED : VoteResult.REJECTED;
}
