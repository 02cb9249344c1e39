import { WritesTo } from '../auth/write-target';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { AgendaItem, AgendaItemStatus } from '../entities/agenda-item.entity';
import { Session } from '../entities/session.entity';
import { Vote } from '../entities/vote.entity';
import { AddAgendaItemInput, UpdateAgendaItemInput } from '../schema/agenda.inputs';

@Resolver(() => AgendaItem)
export class AgendaItemResolver {
  @Mutation(() => AgendaItem)
  @WritesTo('Session', 'input.sessionId')
  addAgendaItem(
    @Arg('input', () => AddAgendaItemInput) input: AddAgendaItemInput,
    @Ctx() { caller, services }: Context,
  ): Promise<AgendaItem> {
    return services.agenda.add(caller, input);
  }

  @Mutation(() => AgendaItem)
  @WritesTo('AgendaItem', 'input.id')
  updateAgendaItem(
    @Arg('input', () => UpdateAgendaItemInput) input: UpdateAgendaItemInput,
    @Ctx() { caller, services }: Context,
  ): Promise<AgendaItem> {
    return services.agenda.update(caller, input);
  }

  @Mutation(() => AgendaItem, {
    description: 'Moves the item to a new 1-based position; the others shift, positions stay gapless.',
  })
  @WritesTo('AgendaItem', 'id')
  moveAgendaItem(
    @Arg('id', () => ID) id: string,
    @Arg('position', () => Int) position: number,
    @Ctx() { caller, services }: Context,
    @Arg('expectedVersion', () => Int, { nullable: true }) expectedVersion?: number | null,
  ): Promise<AgendaItem> {
    return services.agenda.move(caller, id, position, expectedVersion);
  }

  @Mutation(() => AgendaItem, {
    description: 'Marks the item IN_PROGRESS; an item in progress before it becomes DONE.',
  })
  @WritesTo('AgendaItem', 'id')
  startAgendaItem(@Arg('id', () => ID) id: string, @Ctx() { caller, services }: Context): Promise<AgendaItem> {
    return services.agenda.start(caller, id);
  }

  @Mutation(() => AgendaItem)
  @WritesTo('AgendaItem', 'id')
  finishAgendaItem(
    @Arg('id', () => ID) id: string,
    @Ctx() { caller, services }: Context,
    @Arg('status', () => AgendaItemStatus, { nullable: true, defaultValue: AgendaItemStatus.DONE })
    status: AgendaItemStatus,
  ): Promise<AgendaItem> {
    return services.agenda.finish(caller, id, status ?? AgendaItemStatus.DONE);
  }

  @Mutation(() => ID, {
    description: 'Only before the session opens; afterwards an item is WITHDRAWN instead, and stays on the record.',
  })
  @WritesTo('AgendaItem', 'id')
  removeAgendaItem(@Arg('id', () => ID) id: string, @Ctx() { caller, services }: Context): Promise<string> {
    return services.agenda.remove(caller, id);
  }

  @FieldResolver(() => Session)
  async session(@Root() item: AgendaItem, @Ctx() { loaders }: Context): Promise<Session> {
    return (await loaders.sessionById.load(item.sessionId))!;
  }

  @FieldResolver(() => [Vote], { description: 'In the order they were opened.' })
  votes(@Root() item: AgendaItem, @Ctx() { loaders }: Context): Promise<Vote[]> {
    return loaders.votesByAgendaItem.load(item.id);
  }
}
