import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { toGlobalId } from '../schema/global-id';
import { Node } from '../schema/node.interface';
import { AgendaItem } from './agenda-item.entity';
import { AttendanceRecord } from './attendance-record.entity';
import { enumCheck } from './enum-check';
import { Session } from './session.entity';

export enum SpeechKind {
  REGULAR = 'REGULAR',
  AD_VOCEM = 'AD_VOCEM',
  FORMAL_MOTION = 'FORMAL_MOTION',
}
registerEnumType(SpeechKind, {
  name: 'SpeechKind',
  valuesConfig: {
    REGULAR: { description: 'Głos w dyskusji: in turn.' },
    AD_VOCEM: { description: 'A reply to the speech just given: right after it.' },
    FORMAL_MOTION: { description: 'Wniosek formalny (a procedural motion): before everyone waiting.' },
  },
});

export enum SpeechStatus {
  WAITING = 'WAITING',
  SPEAKING = 'SPEAKING',
  DONE = 'DONE',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(SpeechStatus, { name: 'SpeechStatus' });

/** A request for the floor, and the speech once it is granted. */
@ObjectType({ implements: Node, description: 'A request for the floor, and the speech once it is granted.' })
@Entity()
@Check('speech_request_kind_check', enumCheck('kind', SpeechKind))
@Check('speech_request_status_check', enumCheck('status', SpeechStatus))
@Check('speech_request_time_limit_check', '"time_limit_seconds" IS NULL OR "time_limit_seconds" > 0')
// "One speaker at a time", kept by the database too.
@Index('speech_request_one_speaking_idx', ['sessionId'], { unique: true, where: `"status" = 'SPEAKING'` })
export class SpeechRequest implements Node {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Column({ type: 'int' })
  sessionId!: number;

  @ManyToOne(() => Session, { onDelete: 'RESTRICT' })
  @JoinColumn()
  session?: Session;

  @Index()
  @Column({ type: 'int', nullable: true })
  agendaItemId!: number | null;

  @ManyToOne(() => AgendaItem, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn()
  agendaItem?: AgendaItem;

  @Index()
  @Column({ type: 'int' })
  attendanceRecordId!: number;

  @ManyToOne(() => AttendanceRecord, { onDelete: 'RESTRICT' })
  @JoinColumn()
  attendanceRecord?: AttendanceRecord;

  @Field(() => SpeechKind)
  @Column({ type: 'varchar', length: 16 })
  kind!: SpeechKind;

  @Field(() => SpeechStatus)
  @Column({ type: 'varchar', length: 16 })
  status!: SpeechStatus;

  @Field(() => Date)
  @Column({ type: 'timestamptz' })
  requestedAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Granted by the chair; null for no limit. A screen counts down from startedAt.',
  })
  @Column({ type: 'int', nullable: true })
  timeLimitSeconds!: number | null;

  get nodeId(): string {
    return toGlobalId('SpeechRequest', this.id);
  }
}
