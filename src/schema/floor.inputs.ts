import { Field, ID, InputType } from 'type-graphql';
import { SpeechKind } from '../entities/speech-request.entity';

@InputType()
export class RequestFloorInput {
  @Field(() => ID)
  sessionId!: string;

  @Field(() => ID, { description: 'The attendance record of whoever asks (present, in person or remote).' })
  attendanceRecordId!: string;

  @Field(() => SpeechKind, { nullable: true, defaultValue: SpeechKind.REGULAR })
  kind?: SpeechKind | null;

  @Field(() => ID, { nullable: true, description: 'Default: the item in progress.' })
  agendaItemId?: string | null;
}
