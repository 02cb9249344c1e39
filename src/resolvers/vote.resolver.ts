import { WritesTo } from '../auth/write-target';
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { AgendaItem } from '../entities/agenda-item.entity';
import { Ballot } from '../entities/ballot.entity';
import { Session } from '../entities/session.entity';
import { Vote, VoteSecrecy } from '../entities/vote.entity';
import { Quorum, quorumAtOpening } from '../schema/quorum.type';
import { countsOf, VoteCounts } from '../schema/vote-counts.type';
import { CastBallotInput, OpenVoteInput, RecordVoteCountsInput } from '../schema/vote.inputs';

@Resolver(() => Vote)
export class VoteResolver {
  @Mutation(() => Vote, {
    description: 'Only while the session is IN_PROGRESS, one vote at a time; the quorum is taken as it stands.',
  })
  @WritesTo('Session', 'input.sessionId')
  openVote(
    @Arg('input', () => OpenVoteInput) input: OpenVoteInput,
    @Ctx() { caller, services }: Context,
  ): Promise<Vote> {
    return services.votes.open(caller, input);
  }

  @Mutation(() => Vote, {
    description: 'OPEN votes: a seat present when voting opened; casting again before the close changes the choice.',
  })
  @WritesTo('Vote', 'input.voteId')
  castBallot(
    @Arg('input', () => CastBallotInput) input: CastBallotInput,
    @Ctx() { caller, services }: Context,
  ): Promise<Vote> {
    return services.votes.cast(caller, input);
  }

  @Mutation(() => Vote, {
    description: 'SECRET votes: the counts from the tellers; they cannot exceed the seats present.',
  })
  @WritesTo('Vote', 'input.voteId')
  recordVoteCounts(
    @Arg('input', () => RecordVoteCountsInput) input: RecordVoteCountsInput,
    @Ctx() { caller, services }: Context,
  ): Promise<Vote> {
    return services.votes.recordCounts(caller, input);
  }

  @Mutation(() => Vote, { description: 'Closes voting and fixes the result.' })
  @WritesTo('Vote', 'id')
  closeVote(@Arg('id', () => ID) id: string, @Ctx() { caller, services }: Context): Promise<Vote> {
    return services.votes.close(caller, id);
  }

  @Mutation(() => Vote)
  @WritesTo('Vote', 'id')
  annulVote(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() { caller, services }: Context,
  ): Promise<Vote> {
    return services.votes.annul(caller, id, reason);
  }

  @FieldResolver(() => Session)
  async session(@Root() vote: Vote, @Ctx() { loaders }: Context): Promise<Session> {
    return (await loaders.sessionById.load(vote.sessionId))!;
  }

  @FieldResolver(() => AgendaItem, { nullable: true })
  agendaItem(@Root() vote: Vote, @Ctx() { loaders }: Context): Promise<AgendaItem | null> | null {
    return vote.agendaItemId === null ? null : loaders.agendaItemById.load(vote.agendaItemId);
  }

  @FieldResolver(() => Quorum, { description: 'The quorum as it stood when voting opened.' })
  quorum(@Root() vote: Vote): Quorum {
    return quorumAtOpening(vote);
  }

  @FieldResolver(() => VoteCounts)
  counts(@Root() vote: Vote): VoteCounts {
    return countsOf(vote);
  }

  @FieldResolver(() => [Ballot], {
    description: 'OPEN votes: one per seat present when voting opened, in seat order. SECRET votes: always empty.',
  })
  ballots(@Root() vote: Vote, @Ctx() { loaders }: Context): Promise<Ballot[]> | Ballot[] {
    return vote.secrecy === VoteSecrecy.SECRET ? [] : loaders.ballotsByVote.load(vote.id);
  }
}
