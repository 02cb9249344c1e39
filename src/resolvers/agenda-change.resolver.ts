import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { AgendaItem } from '../entities/agenda-item.entity';
import { AgendaChange } from '../schema/change.types';

@Resolver(() => AgendaChange)
export class AgendaChangeResolver {
  @FieldResolver(() => [AgendaItem], { description: 'The whole agenda right after the change, ordered by position.' })
  agenda(@Root() change: AgendaChange, @Ctx() { loaders }: Context): Promise<AgendaItem[]> {
    return loaders.agendaAsOf.load({ sessionId: change.sessionId, sequence: change.sequence, order: change.order });
  }
}
