import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Body, BodyKind } from '../entities/body.entity';
import { District } from '../entities/district.entity';
import { Seat } from '../entities/seat.entity';
import type { Session } from '../entities/session.entity';
import { SessionConnection } from '../schema/connection.types';
import type { Page } from '../schema/connection.types';
import { keyOf } from '../schema/global-id';
import { NestedSessionsArgs } from '../schema/sessions.args';
import { requiredForQuorum } from '../services/quorum.rules';

@Resolver(() => Body)
export class BodyResolver {
  @Query(() => [Body])
  bodies(
    @Ctx() { services }: Context,
    @Arg('kind', () => BodyKind, { nullable: true }) kind?: BodyKind | null,
    @Arg('districtNumber', () => Int, { nullable: true }) districtNumber?: number | null,
  ): Promise<Body[]> {
    return services.reference.bodies(kind, districtNumber);
  }

  @Query(() => Body, { nullable: true })
  async body(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Body | null> {
    const key = keyOf(id, 'Body', 'id');
    return key === null ? null : loaders.bodyById.load(key);
  }

  @FieldResolver(() => District, { nullable: true, description: 'Set for district councils and boards.' })
  district(@Root() body: Body, @Ctx() { loaders }: Context): Promise<District | null> | null {
    return body.districtId === null ? null : loaders.districtById.load(body.districtId);
  }

  @FieldResolver(() => [Seat], {
    description: 'The seats of its members; for the Convention, the council chair and board chair of each district.',
  })
  seats(@Root() body: Body, @Ctx() { loaders }: Context): Promise<Seat[]> {
    return loaders.seatsByBody.load(body.id);
  }

  @FieldResolver(() => Int, {
    description: 'Seats that must be present for the body to decide: by default more than half of its seats.',
  })
  async quorumRequired(@Root() body: Body, @Ctx() { loaders }: Context): Promise<number> {
    const seats = await loaders.seatsByBody.load(body.id);
    return requiredForQuorum(body.quorumRule, seats.filter((seat) => seat.countsTowardQuorum).length);
  }

  @FieldResolver(() => SessionConnection)
  sessions(@Root() body: Body, @Args() args: NestedSessionsArgs, @Ctx() { loaders }: Context): Promise<Page<Session>> {
    return loaders.sessionPages.load({ scope: 'body', parentId: body.id, args });
  }
}
