import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { SearchConnection, SearchType } from '../schema/search.types';

@Resolver(() => SearchConnection)
export class SearchResolver {
  @Query(() => SearchConnection, {
    description:
      'Sessions, agenda items, people and votes whose text matches every word of the query, in any Polish form where `stemming` (dane osobowe finds danych osobowych), ignoring case and diacritics (zarzadow finds Zarządów), a name despite a typo; best first.',
  })
  search(
    @Ctx() { loaders, services }: Context,
    @Arg('query', () => String) query: string,
    @Arg('types', () => [SearchType], { nullable: true, description: 'Only these kinds; all when left out.' })
    types?: SearchType[] | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<SearchConnection> {
    return services.search.search({ query, types, first, after }, loaders);
  }
}
