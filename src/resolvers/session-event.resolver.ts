import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { SessionEventView } from '../schema/session-event.type';

@Resolver(() => SessionEventView)
export class SessionEventResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description: 'Who made the change ("ROLE subject"), for accountability: null unless the caller is an admin.',
  })
  changedBy(@Root() event: SessionEventView, @Ctx() { caller }: Context): string | null {
    return caller?.role === 'ADMIN' && event.actor ? `${event.actor.role} ${event.actor.subject}` : null;
  }
}
