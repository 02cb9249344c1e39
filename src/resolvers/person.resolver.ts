import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { maySeeContactDetails } from '../auth/personal-data';
import type { Context } from '../context';
import type { AttendanceRecord } from '../entities/attendance-record.entity';
import type { Ballot } from '../entities/ballot.entity';
import { Mandate } from '../entities/mandate.entity';
import { Person } from '../entities/person.entity';
import { AttendanceRecordConnection, BallotConnection, PersonConnection } from '../schema/connection.types';
import type { Page } from '../schema/connection.types';
import { keyOf } from '../schema/global-id';

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => PersonConnection, { description: 'People, in alphabetical order; search matches words of the name.' })
  people(
    @Ctx() { loaders, services }: Context,
    @Arg('search', () => String, { nullable: true }) search?: string | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<Page<Person>> {
    return services.peopleSearch.page({ search, first, after }, loaders.personById);
  }

  @Query(() => Person, { nullable: true })
  async person(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context): Promise<Person | null> {
    const key = keyOf(id, 'Person', 'id');
    return key === null ? null : loaders.personById.load(key);
  }

  @FieldResolver(() => [Mandate])
  mandates(@Root() person: Person, @Ctx() { loaders }: Context): Promise<Mandate[]> {
    return loaders.mandatesByPerson.load(person.id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Personal data: null unless the caller is allowed to see it.',
  })
  async email(@Root() person: Person, @Ctx() { caller, loaders }: Context): Promise<string | null> {
    if (!caller || person.email === null) return null;
    return maySeeContactDetails(caller, await loaders.seatBodiesByPerson.load(person.id)) ? person.email : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Personal data: null unless the caller is allowed to see it.',
  })
  async phone(@Root() person: Person, @Ctx() { caller, loaders }: Context): Promise<string | null> {
    if (!caller || person.phone === null) return null;
    return maySeeContactDetails(caller, await loaders.seatBodiesByPerson.load(person.id)) ? person.phone : null;
  }

  @FieldResolver(() => AttendanceRecordConnection, {
    description:
      'Attendance of this person, one record per session, newest first: their own records (as holder, deputy or guest) and those of a deputy present on their behalf, in sessions held (opened, not cancelled).',
  })
  attendance(
    @Root() person: Person,
    @Ctx() { loaders }: Context,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<Page<AttendanceRecord>> {
    return loaders.attendanceByPerson.load({ personId: person.id, first, after });
  }

  @FieldResolver(() => BallotConnection, {
    description: 'How this person voted in OPEN votes, newest first: the ballots they cast, as holder or deputy.',
  })
  ballots(
    @Root() person: Person,
    @Ctx() { loaders }: Context,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<Page<Ballot>> {
    return loaders.ballotsByPerson.load({ personId: person.id, first, after });
  }
}
