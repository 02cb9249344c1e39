import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Change, ChangeConnection, ChangeOperation } from '../schema/change-log.types';
import { toGlobalId } from '../schema/global-id';
import { Node } from '../schema/node.interface';
import type { ChangePage } from '../services/change-log.service';
import { loadNode } from './node.resolver';

@Resolver(() => Change)
export class ChangeResolver {
  @Query(() => ChangeConnection, {
    description:
      'Every change to the public record after the cursor, in commit order. A client that keeps following endCursor sees every committed change exactly once, including those whose transactions committed late. An empty page has no endCursor: ask again with the same `after`.',
  })
  changes(
    @Ctx() { services }: Context,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
  ): Promise<ChangePage> {
    return services.changeLog.page(after, first);
  }

  @FieldResolver(() => ID)
  id(@Root() change: Change): string {
    return toGlobalId(change.typename, change.rowId);
  }

  @FieldResolver(() => Node, { nullable: true, description: 'What it is now; null after DELETE.' })
  node(@Root() change: Change, @Ctx() { loaders }: Context): Promise<Node | null> | null {
    return change.operation === ChangeOperation.DELETE ? null : loadNode(loaders, change.typename, change.rowId);
  }
}
