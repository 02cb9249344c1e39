import { Arg, Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import type { Session } from '../entities/session.entity';
import { Term } from '../entities/term.entity';
import { SessionConnection } from '../schema/connection.types';
import type { Page } from '../schema/connection.types';
import { NestedSessionsArgs } from '../schema/sessions.args';

@Resolver(() => Term)
export class TermResolver {
  @Query(() => [Term])
  terms(@Ctx() { loaders }: Context): Promise<Term[]> {
    return loaders.termsAll.load('all');
  }

  @Query(() => Term, { nullable: true })
  async term(@Arg('number', () => Int) number: number, @Ctx() { loaders }: Context): Promise<Term | null> {
    return (await loaders.termsAll.load('all')).find((term) => term.number === number) ?? null;
  }

  @FieldResolver(() => SessionConnection)
  sessions(@Root() term: Term, @Args() args: NestedSessionsArgs, @Ctx() { loaders }: Context): Promise<Page<Session>> {
    return loaders.sessionPages.load({ scope: 'term', parentId: term.id, args });
  }
}
