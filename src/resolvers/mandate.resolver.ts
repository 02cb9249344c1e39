import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Mandate } from '../entities/mandate.entity';
import { Person } from '../entities/person.entity';
import { Seat } from '../entities/seat.entity';
import { Term } from '../entities/term.entity';

@Resolver(() => Mandate)
export class MandateResolver {
  @FieldResolver(() => Person)
  async person(@Root() mandate: Mandate, @Ctx() { loaders }: Context): Promise<Person> {
    return (await loaders.personById.load(mandate.personId))!;
  }

  @FieldResolver(() => Seat, { nullable: true })
  seat(@Root() mandate: Mandate, @Ctx() { loaders }: Context): Promise<Seat | null> | null {
    return mandate.seatId === null ? null : loaders.seatById.load(mandate.seatId);
  }

  @FieldResolver(() => Term, { nullable: true })
  term(@Root() mandate: Mandate, @Ctx() { loaders }: Context): Promise<Term | null> | null {
    return mandate.termId === null ? null : loaders.termById.load(mandate.termId);
  }
}
