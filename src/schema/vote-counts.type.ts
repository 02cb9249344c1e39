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
