import { Field, ID, InputType, Int } from 'type-graphql';
import { SessionKind } from '../entities/session.entity';

@InputType()
export class VenueInput {
  @Field()
  name!: string;

  @Field()
  address!: string;
}

@InputType()
export class ScheduleSessionInput {
  @Field(() => ID)
  bodyId!: string;

  @Field(() => Int)
  termNumber!: number;

  @Field(() => Int, { nullable: true, description: "Default: the next number in the body's term." })
  number?: number | null;

  @Field(() => SessionKind, { nullable: true, defaultValue: SessionKind.ORDINARY })
  kind?: SessionKind | null;

  @Field()
  title!: string;

  @Field(() => Date)
  scheduledAt!: Date;

  @Field(() => VenueInput, { nullable: true })
  venue?: VenueInput | null;

  @Field(() => ID, { nullable: true })
  chairId?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@InputType()
export class UpdateSessionInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => Date, { nullable: true })
  scheduledAt?: Date | null;

  @Field(() => VenueInput, { nullable: true })
  venue?: VenueInput | null;

  @Field(() => ID, { nullable: true })
  chairId?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;
}
