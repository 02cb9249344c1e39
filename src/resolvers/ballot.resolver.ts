import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Ballot } from '../entities/ballot.entity';
import { Person } from '../entities/person.entity';
import { Seat } from '../entities/seat.entity';

@Resolver(() => Ballot)
export class BallotResolver {
  @FieldResolver(() => Seat)
  async seat(@Root() ballot: Ballot, @Ctx() { loaders }: Context): Promise<Seat> {
    return (await loaders.seatById.load(ballot.seatId))!;
  }

  @FieldResolver(() => Person, {
    nullable: true,
    description: 'Who cast it: the holder or a deputy; null where not known.',
  })
  person(@Root() ballot: Ballot, @Ctx() { loaders }: Context): Promise<Person | null> | null {
    return ballot.personId === null ? null : loaders.personById.load(ballot.personId);
  }
}
