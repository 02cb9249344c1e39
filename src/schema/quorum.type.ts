import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType()
export class Quorum {
  @Field(() => Int, { description: 'Seats that count toward the quorum.' })
  seats!: number;

  @Field(() => Int)
  present!: number;

  @Field(() => Int)
  required!: number;

  @Field()
  reached!: boolean;
}

/** The quorum as it stood when a vote opened, as the vote's columns keep it. */
export function quorumAtOpening(vote: {
  readonly quorumSeats: number;
  readonly quorumPresent: number;
  readonly quorumRequired: number;
  readonly quorumReached: boolean;
}): Quorum {
  return {
    seats: vote.quorumSeats,
    present: vote.quorumPresent,
    required: vote.quorumRequired,
    reached: vote.quorumReached,
  };
}
