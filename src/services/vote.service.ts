import type { DataSource } from 'typeorm';
import type { Caller } from '../auth/caller';
import type { Vote } from '../entities/vote.entity';
import type { CastBallotInput, OpenVoteInput, RecordVoteCountsInput } from '../schema/vote.inputs';
import type { SessionChanges } from './session-changes.service';

/**
 * Votes (głosowania): opened while the session is in progress, one at a time,
 * with the quorum and the seats that may vote fixed at the opening. OPEN votes
 * keep a named list of ballots; SECRET votes keep only the tellers' counts.
 */
export class VoteService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly changes: SessionChanges,
  ) {}

  open(caller: Caller | null, input: OpenVoteInput): Promise<Vote> {
    return this.notYet(caller, input);
  }

  cast(caller: Caller | null, input: CastBallotInput): Promise<Vote> {
    return this.notYet(caller, input);
  }

  recordCounts(caller: Caller | null, input: RecordVoteCountsInput): Promise<Vote> {
    return this.notYet(caller, input);
  }

  close(caller: Caller | null, id: string): Promise<Vote> {
    return this.notYet(caller, id);
  }

  annul(caller: Caller | null, id: string, reason: string): Promise<Vote> {
    return this.notYet(caller, { id, reason });
  }

  private notYet(..._: unknown[]): Promise<Vote> {
    void this.dataSource;
    void this.changes;
    return Promise.reject(new Error('not implemented yet'));
  }
}
