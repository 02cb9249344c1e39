import { Field, ID, InputType, Int } from 'type-graphql';
import { VoteOption } from '../entities/ballot.entity';
import { MajorityRule, VoteSecrecy } from '../entities/vote.entity';

@InputType()
export class OpenVoteInput {
  @Field(() => ID)
  sessionId!: string;

  @Field(() => ID, { nullable: true, description: 'Default: the item in progress.' })
  agendaItemId?: string | null;

  @Field()
  subject!: string;

  @Field(() => VoteSecrecy, { nullable: true, defaultValue: VoteSecrecy.OPEN })
  secrecy?: VoteSecrecy | null;

  @Field(() => MajorityRule, { nullable: true, defaultValue: MajorityRule.SIMPLE })
  majority?: MajorityRule | null;
}

@InputType()
export class CastBallotInput {
  @Field(() => ID)
  voteId!: string;

  @Field(() => ID)
  seatId!: string;

  @Field(() => VoteOption)
  option!: VoteOption;
}

@InputType()
export class RecordVoteCountsInput {
  @Field(() => ID)
  voteId!: string;

  @Field(() => Int)
  for!: number;

  @Field(() => Int)
  against!: number;

  @Field(() => Int)
  abstain!: number;
}
