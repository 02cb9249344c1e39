import { WritesTo } from '../auth/write-target';
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { AttendanceRecord } from '../entities/attendance-record.entity';
import { District } from '../entities/district.entity';
import { Person } from '../entities/person.entity';
import { Seat } from '../entities/seat.entity';
import { Session } from '../entities/session.entity';
import { InviteGuestInput, RecordAttendanceInput } from '../schema/attendance.inputs';

@Resolver(() => AttendanceRecord)
export class AttendanceRecordResolver {
  @Mutation(() => AttendanceRecord)
  @WritesTo('Session', 'input.sessionId')
  recordAttendance(
    @Arg('input', () => RecordAttendanceInput) input: RecordAttendanceInput,
    @Ctx() { caller, services }: Context,
  ): Promise<AttendanceRecord> {
    return services.attendance.record(caller, input);
  }

  @Mutation(() => AttendanceRecord)
  @WritesTo('Session', 'input.sessionId')
  inviteGuest(
    @Arg('input', () => InviteGuestInput) input: InviteGuestInput,
    @Ctx() { caller, services }: Context,
  ): Promise<AttendanceRecord> {
    return services.attendance.inviteGuest(caller, input);
  }

  @FieldResolver(() => Session)
  async session(@Root() record: AttendanceRecord, @Ctx() { loaders }: Context): Promise<Session> {
    return (await loaders.sessionById.load(record.sessionId))!;
  }

  @FieldResolver(() => Seat, { nullable: true, description: 'Null for guests.' })
  seat(@Root() record: AttendanceRecord, @Ctx() { loaders }: Context): Promise<Seat | null> | null {
    return record.seatId === null ? null : loaders.seatById.load(record.seatId);
  }

  @FieldResolver(() => Person, { nullable: true, description: 'Null where it is not known who sits in the seat.' })
  person(@Root() record: AttendanceRecord, @Ctx() { loaders }: Context): Promise<Person | null> | null {
    return record.personId === null ? null : loaders.personById.load(record.personId);
  }

  @FieldResolver(() => District, { nullable: true })
  district(@Root() record: AttendanceRecord, @Ctx() { loaders }: Context): Promise<District | null> | null {
    return record.districtId === null ? null : loaders.districtById.load(record.districtId);
  }

  @FieldResolver(() => Person, {
    nullable: true,
    description: 'For a DEPUTY: the seat holder on whose behalf the deputy attends, where known.',
  })
  onBehalfOf(@Root() record: AttendanceRecord, @Ctx() { loaders }: Context): Promise<Person | null> | null {
    return record.onBehalfOfId === null ? null : loaders.personById.load(record.onBehalfOfId);
  }
}
