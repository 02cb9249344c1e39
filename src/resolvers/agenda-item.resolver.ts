import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { AgendaItem } from '../entities/agenda-item.entity';
import { Session } from '../entities/session.entity';

@Resolver(() => AgendaItem)
export class AgendaItemResolver {
  @FieldResolver(() => Session)
  async session(@Root() item: AgendaItem, @Ctx() { loaders }: Context): Promise<Session> {
    return (await loaders.sessionById.load(item.sessionId))!;
  }
}
