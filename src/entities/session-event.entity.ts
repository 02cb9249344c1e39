import { registerEnumType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { enumCheck } from './enum-check';
import { Session, SessionStatus } from './session.entity';

export enum SessionEventKind {
  SESSION_SCHEDULED = 'SESSION_SCHEDULED',
  SESSION_UPDATED = 'SESSION_UPDATED',
  SESSION_OPENED = 'SESSION_OPENED',
  SESSION_SUSPENDED = 'SESSION_SUSPENDED',
  SESSION_RESUMED = 'SESSION_RESUMED',
  SESSION_CLOSED = 'SESSION_CLOSED',
  SESSION_CANCELLED = 'SESSION_CANCELLED',
  AGENDA_ITEM_ADDED = 'AGENDA_ITEM_ADDED',
  AGENDA_ITEM_UPDATED = 'AGENDA_ITEM_UPDATED',
  AGENDA_ITEM_MOVED = 'AGENDA_ITEM_MOVED',
  AGENDA_ITEM_STARTED = 'AGENDA_ITEM_STARTED',
  AGENDA_ITEM_FINISHED = 'AGENDA_ITEM_FINISHED',
  AGENDA_ITEM_REMOVED = 'AGENDA_ITEM_REMOVED',
  ATTENDANCE_RECORDED = 'ATTENDANCE_RECORDED',
}
registerEnumType(SessionEventKind, { name: 'SessionEventKind' });

/** The snapshot an event keeps: what changed, as it was right after the change. */
export interface SessionEventPayload {
  readonly quorum: { seats: number; present: number; required: number; reached: boolean };
  /** The session's row right after the change. */
  readonly session?: Record<string, unknown>;
  /** AGENDA_* kinds: the item right after the change, and the whole agenda. */
  readonly agendaItem?: Record<string, unknown>;
  readonly agenda?: Record<string, unknown>[];
  /** ATTENDANCE_RECORDED: the record right after the change. */
  readonly attendance?: Record<string, unknown>;
}

/**
 * One change to a session: the public record. Rows are only ever inserted;
 * (session, sequence) is unique and sequences grow by one per session.
 */
@Entity()
@Unique('session_event_session_sequence_key', ['sessionId', 'sequence'])
@Check('session_event_kind_check', enumCheck('kind', SessionEventKind))
@Check('session_event_status_check', enumCheck('status', SessionStatus))
@Check('session_event_sequence_check', '"sequence" > 0')
export class SessionEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Index()
  @Column({ type: 'int' })
  sessionId!: number;

  @ManyToOne(() => Session, { onDelete: 'RESTRICT' })
  @JoinColumn()
  session?: Session;

  @Column({ type: 'int' })
  sequence!: number;

  @Column({ type: 'varchar', length: 32 })
  kind!: SessionEventKind;

  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  occurredAt!: Date;

  @Column({ type: 'varchar', length: 16 })
  status!: SessionStatus;

  @Column({ type: 'jsonb' })
  payload!: SessionEventPayload;

  /** Who made the change, for accountability; not public. */
  @Column({ type: 'jsonb', nullable: true })
  actor!: Record<string, unknown> | null;
}
