import { Field, ID, InputType, Int } from 'type-graphql';
import { AttendanceMode, AttendanceStatus } from '../entities/attendance-record.entity';

@InputType()
export class DeputyInput {
  @Field(() => ID, { nullable: true, description: 'An existing person.' })
  personId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Or a new person, by the name to be shown in public; nothing else about them is recorded.',
  })
  fullName?: string | null;
}

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

  @Field(() => DeputyInput, {
    nullable: true,
    description: "A designated deputy attends for the seat's holder; the seat still counts once toward the quorum.",
  })
  deputy?: DeputyInput | null;
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
