import { ArgsType, Field, Int } from 'type-graphql';
import { SessionFilter, SessionOrder } from './session-filter.input';

/** The arguments of Body/District/Term.sessions. */
@ArgsType()
export class NestedSessionsArgs {
  @Field(() => SessionFilter, { nullable: true })
  filter?: SessionFilter | null;

  @Field(() => Int, { nullable: true })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

/** The arguments of Query.sessions, which can also choose the order. */
@ArgsType()
export class SessionsArgs extends NestedSessionsArgs {
  @Field(() => SessionOrder, { nullable: true, defaultValue: SessionOrder.SCHEDULED_AT_DESC })
  orderBy?: SessionOrder | null;
}
