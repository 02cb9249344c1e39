import { Field, ID, InputType, Int } from 'type-graphql';
import { AttendanceMode, AttendanceStatus } from '../entities/attendance-record.entity';

@InputType()
export class RecordAttendanceInput {
  @Field(() => ID)
  sessionId!: string;

  @Field(() => ID, { nullable: true, description: 'The seat, for members; or recordId for any existing record.' })
  seatId?: string | null;

  @Field(() => ID, { nullable: true })
  recordId?: string | null;

  @Field(() => AttendanceStatus)
  status!: AttendanceStatus;

  @Field(() => AttendanceMode, { nullable: true })
  mode?: AttendanceMode | null;

  @Field(() => Int, { nullable: true })
  expectedVersion?: number | null;
}

@InputType()
export class InviteGuestInput {
  @Field(() => ID)
  sessionId!: string;

  @Field()
  fullName!: string;

  @Field(() => String, { nullable: true, description: 'e.g. the city department the guest represents.' })
  affiliation?: string | null;
}
