import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Body } from '../entities/body.entity';
import { District } from '../entities/district.entity';
import { Person } from '../entities/person.entity';
import { Seat } from '../entities/seat.entity';
import { AttendanceStat, StatsGrouping } from '../schema/attendance-stat.type';

@Resolver(() => AttendanceStat)
export class AttendanceStatsResolver {
  @Query(() => [AttendanceStat], {
    description:
      'Attendance in a term, per seat (the default), person, body or district, over the sessions held (opened, not cancelled). NOT_FOUND for a term that does not exist.',
  })
  attendanceStats(
    @Ctx() { services }: Context,
    @Arg('termNumber', () => Int) termNumber: number,
    @Arg('groupBy', () => StatsGrouping, { nullable: true, defaultValue: StatsGrouping.SEAT }) groupBy: StatsGrouping,
    @Arg('bodyId', () => ID, { nullable: true, description: 'Only the seats of this body.' }) bodyId?: string | null,
    @Arg('districtNumber', () => Int, { nullable: true, description: 'Only the seats that stand for this district.' })
    districtNumber?: number | null,
  ): Promise<AttendanceStat[]> {
    return services.attendanceStats.stats({ termNumber, groupBy, bodyId, districtNumber });
  }

  @FieldResolver(() => Seat, { nullable: true, description: 'Set in SEAT lines.' })
  seat(@Root() stat: AttendanceStat, @Ctx() { loaders }: Context): Promise<Seat | null> | null {
    return stat.seatId === null ? null : loaders.seatById.load(stat.seatId);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'Set in PERSON lines: the holder of the mandates.' })
  person(@Root() stat: AttendanceStat, @Ctx() { loaders }: Context): Promise<Person | null> | null {
    return stat.personId === null ? null : loaders.personById.load(stat.personId);
  }

  @FieldResolver(() => Body, { nullable: true, description: "Set in SEAT lines (the seat's body) and BODY lines." })
  body(@Root() stat: AttendanceStat, @Ctx() { loaders }: Context): Promise<Body | null> | null {
    return stat.bodyId === null ? null : loaders.bodyById.load(stat.bodyId);
  }

  @FieldResolver(() => District, {
    nullable: true,
    description: "Set in DISTRICT lines, in SEAT lines (the seat's district) and in BODY lines (a district's body).",
  })
  district(@Root() stat: AttendanceStat, @Ctx() { loaders }: Context): Promise<District | null> | null {
    return stat.districtId === null ? null : loaders.districtById.load(stat.districtId);
  }
}
