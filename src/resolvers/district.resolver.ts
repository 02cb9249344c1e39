import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Body } from '../entities/body.entity';
import { District } from '../entities/district.entity';
import { BadUserInputError } from '../errors';
import { SessionConnection } from '../schema/connection.types';
import type { Page } from '../schema/connection.types';
import { keyOf } from '../schema/global-id';
import { NestedSessionsArgs } from '../schema/sessions.args';
import { assertCleanText } from '../validation/text';
import type { Session } from '../entities/session.entity';

@Resolver(() => District)
export class DistrictResolver {
  @Query(() => [District], { description: 'All 18 districts, ordered by number.' })
  districts(@Ctx() { services }: Context): Promise<District[]> {
    return services.reference.districts();
  }

  @Query(() => District, { nullable: true, description: 'One district, by exactly one of number, slug or id.' })
  async district(
    @Ctx() { services, loaders }: Context,
    @Arg('number', () => Int, { nullable: true }) number?: number | null,
    @Arg('slug', () => String, { nullable: true }) slug?: string | null,
    @Arg('id', () => ID, { nullable: true }) id?: string | null,
  ): Promise<District | null> {
    const given = [number, slug, id].filter((value) => value !== null && value !== undefined).length;
    if (given !== 1) {
      throw new BadUserInputError('number', 'district: give exactly one of number, slug or id.');
    }
    if (id != null) {
      const key = keyOf(id, 'District', 'id');
      return key === null ? null : loaders.districtById.load(key);
    }
    if (slug != null && slug.length > 100)
      throw new BadUserInputError('slug', 'slug may be at most 100 characters long.');
    if (slug != null) assertCleanText(slug, 'slug');
    return services.reference.district(number != null ? { number } : { slug: slug! });
  }

  @FieldResolver(() => [Body], { description: 'Its council and its board.' })
  bodies(@Root() district: District, @Ctx() { loaders }: Context): Promise<Body[]> {
    return loaders.bodiesByDistrict.load(district.id);
  }

  @FieldResolver(() => SessionConnection)
  sessions(
    @Root() district: District,
    @Args() args: NestedSessionsArgs,
    @Ctx() { loaders }: Context,
  ): Promise<Page<Session>> {
    return loaders.sessionPages.load({ scope: 'district', parentId: district.id, args });
  }
}
