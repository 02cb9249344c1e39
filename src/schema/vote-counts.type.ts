import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType()
export class VoteCounts {
  @Field(() => Int)
  for!: number;

  @Field(() => Int)
  against!: number;

  @Field(() => Int)
  abstain!: number;

  @Field(() => Int, { description: 'Present when voting opened, but cast no vote.' })
  notVoting!: number;
}

/** A vote's counts as its columns hold them; notVoting is who was present when voting opened but cast no vote. */
export function countsOf(vote: {
  readonly countFor: number;
  readonly countAgainst: number;
  readonly countAbstain: number;
  readonly quorumPresent: number;
}): VoteCounts {
  return {
    for: vote.countFor,
    against: vote.countAgainst,
    abstain: vote.countAbstain,
    notVoting: vote.quorumPresent - vote.countFor - vote.countAgainst - vote.countAbstain,
  };
}
