import { Field, Int, ObjectType } from 'type-graphql';
import { AgendaItem } from '../entities/agenda-item.entity';
import { AttendanceRecord } from '../entities/attendance-record.entity';
import { SessionEventKind } from '../entities/session-event.entity';
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

  @Field(() => [AgendaItem], { description: 'The whole agenda right after the change, ordered by position.' })
  agenda!: AgendaItem[];
}
