import { Field, Int, ObjectType } from 'type-graphql';
import { AgendaItem } from '../entities/agenda-item.entity';
import { AttendanceRecord } from '../entities/attendance-record.entity';
import { SessionEventKind } from '../entities/session-event.entity';
import type { AgendaPlace } from '../entities/session-event.entity';
import { Quorum } from './quorum.type';

@ObjectType()
export class AttendanceChange {
  @Field(() => Int)
  sequence!: number;

  @Field(() => Date)
  occurredAt!: Date;

  @Field(() => AttendanceRecord)
  record!: AttendanceRecord;

  @Field(() => Quorum)
  quorum!: Quorum;
}

@ObjectType()
export class AgendaChange {
  @Field(() => Int)
  sequence!: number;

  @Field(() => Date)
  occurredAt!: Date;

  @Field(() => SessionEventKind)
  kind!: SessionEventKind;

  @Field(() => AgendaItem)
  item!: AgendaItem;

  /** The session and the order the event recorded; the agenda itself is rebuilt from the log when asked for. */
  sessionId!: number;
  order!: readonly AgendaPlace[];
}
