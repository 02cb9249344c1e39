import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Body } from '../entities/body.entity';
import { District } from '../entities/district.entity';
import { Person } from '../entities/person.entity';
import { Seat } from '../entities/seat.entity';

@Resolver(() => Seat)
export class SeatResolver {
  @FieldResolver(() => Body)
  async body(@Root() seat: Seat, @Ctx() { loaders }: Context): Promise<Body> {
    return (await loaders.bodyById.load(seat.bodyId))!;
  }

  @FieldResolver(() => District, { nullable: true, description: 'The district the seat represents, if any.' })
  district(@Root() seat: Seat, @Ctx() { loaders }: Context): Promise<District | null> | null {
    return seat.districtId === null ? null : loaders.districtById.load(seat.districtId);
  }

  @FieldResolver(() => Person, {
    nullable: true,
    description: 'Who holds the seat in the given term (default: the current one), where known.',
  })
  async holder(
    @Root() seat: Seat,
    @Ctx() { loaders }: Context,
    @Arg('termNumber', () => Int, { nullable: true }) termNumber?: number | null,
  ): Promise<Person | null> {
    const term = termNumber ?? currentTermNumber(await loaders.termsAll.load('all'));
    if (term === null) return null;
    const personId = await loaders.seatHolder.load({ seatId: seat.id, termNumber: term });
    return personId === null ? null : loaders.personById.load(personId);
  }
}

/** The latest term whose elections have taken place. */
function currentTermNumber(terms: readonly { number: number; electionDate: string | null }[]): number | null {
  const today = new Date().toISOString().slice(0, 10);
  const begun = terms.filter((term) => term.electionDate !== null && term.electionDate <= today);
  return begun.length > 0 ? Math.max(...begun.map((term) => term.number)) : null;
}
