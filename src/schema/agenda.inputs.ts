import { Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class AddAgendaItemInput {
  @Field(() => ID)
  sessionId!: string;

  @Field()
  title!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  presenter?: string | null;

  @Field(() => Int, { nullable: true, description: 'Default: at the end.' })
  position?: number | null;
}

@InputType()
export class UpdateAgendaItemInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Rejected with CONFLICT if the item has changed since this version.',
  })
  expectedVersion?: number | null;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  presenter?: string | null;
}
