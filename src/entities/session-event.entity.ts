import { registerEnumType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
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
  VOTE_OPENED = 'VOTE_OPENED',
  BALLOT_CAST = 'BALLOT_CAST',
  VOTE_COUNTS_RECORDED = 'VOTE_COUNTS_RECORDED',
  VOTE_CLOSED = 'VOTE_CLOSED',
  VOTE_ANNULLED = 'VOTE_ANNULLED',
  SPEECH_REQUESTED = 'SPEECH_REQUESTED',
  SPEECH_STARTED = 'SPEECH_STARTED',
  SPEECH_ENDED = 'SPEECH_ENDED',
  SPEECH_WITHDRAWN = 'SPEECH_WITHDRAWN',
}
registerEnumType(SessionEventKind, { name: 'SessionEventKind' });

/** An agenda item's place in the order after a change: [id, position, version]. */
export type AgendaPlace = readonly [id: number, position: number, version: number];

/**
 * The snapshot an event keeps: what changed, as it was right after the change.
 * Only what changed: the whole agenda is not copied into every AGENDA_* event
 * (20 long items × 500 edits made a 100 MB log); it is rebuilt on read from
 * the order kept here and the latest snapshot of each item (agenda-history.loader.ts).
 */
export interface SessionEventPayload {
  readonly quorum: { seats: number; present: number; required: number; reached: boolean };
  /** The session's row right after the change. */
  readonly session?: Record<string, unknown>;
  /** AGENDA_* kinds: the item right after the change. */
  readonly agendaItem?: Record<string, unknown>;
  /** AGENDA_* kinds: every item of the agenda right after the change, by position. */
  readonly order?: AgendaPlace[];
  /**
   * AGENDA_* kinds: items of the order that no earlier event holds a snapshot of (made outside the API:
   * reference data, a migration), recorded once, as they were at this event.
   */
  readonly agendaSeeds?: Record<string, unknown>[];
  /** ATTENDANCE_RECORDED: the record right after the change. */
  readonly attendance?: Record<string, unknown>;
  /** VOTE_* and BALLOT_CAST: the vote's row right after the change (counts, never who voted how in secret). */
  readonly vote?: Record<string, unknown>;
  /** BALLOT_CAST (OPEN votes only): the seat's line of the named list right after the change. */
  readonly ballot?: Record<string, unknown>;
  /** SPEECH_*: the request right after the change. */
  readonly speech?: Record<string, unknown>;
  /**
   * Requests that the change ended besides its own: a participant who leaves has their waiting requests
   * withdrawn (and their speech ended); SPEECH_STARTED ends the speech before it. Each as it was right after.
   */
  readonly speeches?: Record<string, unknown>[];
}

/** The columns of an event without its payload (alias e), for selections of sequence, kind, status and the like. */
export const EVENT_HEADER = ['e.sessionId', 'e.sequence', 'e.kind', 'e.occurredAt', 'e.status', 'e.actor'];

/**
 * One change to a session: the public record. Rows are only ever inserted;
 * (session, sequence) is the key and sequences grow by one per session: no
 * sequence or counter is shared by the writes of different sessions.
 */
@Entity()
@Check('session_event_kind_check', enumCheck('kind', SessionEventKind))
@Check('session_event_status_check', enumCheck('status', SessionStatus))
@Check('session_event_sequence_check', '"sequence" > 0')
// The latest snapshot of an item at or before a sequence, found from the index alone.
@Index('session_event_agenda_item_idx', ['sessionId', 'agendaItemId', 'sequence'])
// The few events that carry agendaSeeds, found without reading every payload.
@Index('session_event_agenda_seeds_idx', ['sessionId', 'sequence'], { where: `"payload" ? 'agendaSeeds'` })
// The events that change the session's own row (calendars and feeds count them), found without reading the others.
@Index('session_event_lifecycle_idx', ['sessionId', 'sequence'], { where: `"kind" LIKE 'SESSION\\_%'` })
export class SessionEvent {
  @PrimaryColumn({ type: 'int' })
  sessionId!: number;

  @ManyToOne(() => Session, { onDelete: 'RESTRICT' })
  @JoinColumn()
  session?: Session;

  @PrimaryColumn({ type: 'int' })
  sequence!: number;

  @Column({ type: 'varchar', length: 32 })
  kind!: SessionEventKind;

  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  occurredAt!: Date;

  @Column({ type: 'varchar', length: 16 })
  status!: SessionStatus;

  @Column({ type: 'jsonb' })
  payload!: SessionEventPayload;

  /** AGENDA_* kinds: the item whose snapshot payload.agendaItem is. */
  @Column({ type: 'int', nullable: true })
  agendaItemId!: number | null;

  /** Who made the change, for accountability; not public. */
  @Column({ type: 'jsonb', nullable: true })
  actor!: Record<string, unknown> | null;
}
