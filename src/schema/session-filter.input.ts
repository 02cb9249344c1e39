import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { BodyKind } from '../entities/body.entity';
import { SessionStatus } from '../entities/session.entity';

@InputType()
export class SessionFilter {
  @Field(() => ID, { nullable: true })
  bodyId?: string | null;

  @Field(() => BodyKind, { nullable: true })
  bodyKind?: BodyKind | null;

  @Field(() => Int, { nullable: true })
  districtNumber?: number | null;

  @Field(() => Int, { nullable: true })
  termNumber?: number | null;

  @Field(() => [SessionStatus], { nullable: true })
  status?: SessionStatus[] | null;

  @Field(() => Date, { nullable: true, description: 'Scheduled at or after.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Scheduled before.' })
  to?: Date | null;

  @Field(() => String, { nullable: true, description: 'Words in the title, description or agenda item titles.' })
  search?: string | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'Sessions in which anything changed at or after this time. For a mirror that must miss nothing, follow Query.changes instead: a change stamped before this time may commit after it.',
  })
  updatedSince?: Date | null;
}

export enum SessionOrder {
  SCHEDULED_AT_ASC = 'SCHEDULED_AT_ASC',
  SCHEDULED_AT_DESC = 'SCHEDULED_AT_DESC',
  /** The least recently changed first: with updatedSince, what changed since a time, in order. */
  UPDATED_AT_ASC = 'UPDATED_AT_ASC',
}
registerEnumType(SessionOrder, {
  name: 'SessionOrder',
  valuesConfig: { UPDATED_AT_ASC: { description: 'Least recently changed first (Session.updatedAt, then id).' } },
});
