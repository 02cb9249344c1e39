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
