import { Field, ID, Int, ObjectType } from 'type-graphql';
import { AgendaItem } from '../entities/agenda-item.entity';
import { AttendanceRecord } from '../entities/attendance-record.entity';
import { SessionEventKind } from '../entities/session-event.entity';
import type { SessionEvent } from '../entities/session-event.entity';
import { SessionStatus } from '../entities/session.entity';
import { toGlobalId } from './global-id';
import { Quorum } from './quorum.type';

const DATE_FIELDS = ['startedAt', 'endedAt', 'arrivedAt', 'leftAt'];

/** A snapshot kept in an event, back as the entity it was taken of (dates revived from JSON). */
export function revive<T extends object>(target: T, snapshot: Record<string, unknown> | undefined): T | null {
  if (!snapshot) return null;
  const copy: Record<string, unknown> = { ...snapshot };
  for (const field of DATE_FIELDS) {
    if (typeof copy[field] === 'string') copy[field] = new Date(copy[field] as string);
  }
  return Object.assign(target, copy);
}

@ObjectType('SessionEvent', { description: 'One change to a session, as it was when it happened.' })
export class SessionEventView {
  @Field(() => Int, { description: 'Per session: starts at 1, increases by exactly 1 with every change.' })
  sequence!: number;

  @Field(() => ID)
  sessionId!: string;

  @Field(() => Date)
  occurredAt!: Date;

  @Field(() => SessionEventKind)
  kind!: SessionEventKind;

  @Field(() => SessionStatus, { description: 'Status of the session right after the change.' })
  status!: SessionStatus;

  @Field(() => AgendaItem, { nullable: true, description: 'Set for AGENDA_* kinds: the item right after the change.' })
  agendaItem!: AgendaItem | null;

  @Field(() => AttendanceRecord, {
    nullable: true,
    description: 'Set for ATTENDANCE_RECORDED: the record right after the change.',
  })
  attendance!: AttendanceRecord | null;

  @Field(() => Quorum, { description: 'The quorum right after the change.' })
  quorum!: Quorum;

  /** Who made the change (role and token subject): kept for accountability, shown to admins only. */
  actor!: { role: string; subject: string } | null;

  static from(event: SessionEvent): SessionEventView {
    return Object.assign(new SessionEventView(), {
      sequence: event.sequence,
      sessionId: toGlobalId('Session', event.sessionId),
      occurredAt: event.occurredAt,
      kind: event.kind,
      status: event.status,
      agendaItem: revive(new AgendaItem(), event.payload.agendaItem),
      attendance: revive(new AttendanceRecord(), event.payload.attendance),
      quorum: event.payload.quorum,
      actor: event.actor as { role: string; subject: string } | null,
    });
  }
}
