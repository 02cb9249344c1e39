import type { DataSource, EntityManager } from 'typeorm';
import type { Limits } from '../config';
import { assertAuthenticated, assertMayWrite } from '../auth/permissions';
import type { Caller } from '../auth/caller';
import { AgendaItem } from '../entities/agenda-item.entity';
import type { AttendanceRecord } from '../entities/attendance-record.entity';
import type { Ballot } from '../entities/ballot.entity';
import type { SpeechRequest } from '../entities/speech-request.entity';
import type { Vote } from '../entities/vote.entity';
import { Body } from '../entities/body.entity';
import { SessionEventKind } from '../entities/session-event.entity';
import type { AgendaPlace, SessionEventPayload } from '../entities/session-event.entity';
import { Session, SessionStatus } from '../entities/session.entity';
import { ConflictError, NotFoundError } from '../errors';
import { toGlobalId } from '../schema/global-id';
import type { EventBus, EventNotice } from '../events/event-bus';
import { quorumOf } from './quorum.rules';

/** What a change did, for the event it is recorded as. */
export interface ChangeOutcome<T> {
  readonly result: T;
  readonly kind: SessionEventKind;
  readonly agendaItem?: AgendaItem;
  readonly attendance?: AttendanceRecord;
  readonly vote?: Vote;
  /** BALLOT_CAST: the seat's line of the named list (OPEN votes only). */
  readonly ballot?: Ballot;
  readonly speech?: SpeechRequest;
  /** Other requests the change ended or withdrew (see SessionEventPayload.speeches). */
  readonly speeches?: readonly SpeechRequest[];
}

const AGENDA_KINDS: ReadonlySet<SessionEventKind> = new Set([
  SessionEventKind.AGENDA_ITEM_ADDED,
  SessionEventKind.AGENDA_ITEM_UPDATED,
  SessionEventKind.AGENDA_ITEM_MOVED,
  SessionEventKind.AGENDA_ITEM_STARTED,
  SessionEventKind.AGENDA_ITEM_FINISHED,
  SessionEventKind.AGENDA_ITEM_REMOVED,
]);

/** A closed or cancelled session is on the record: its agenda and attendance stay as they were. */
export function assertStillOpen(session: Session, what: string): void {
  if (session.status === SessionStatus.CLOSED || session.status === SessionStatus.CANCELLED) {
    throw new ConflictError(`The session is ${session.status}; its ${what} stays as it was.`);
  }
}

/** A plain copy of an entity's columns, as the event keeps it. */
export function snapshot(entity: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(entity)) as Record<string, unknown>;
}

/**
 * Every change to a session goes through here: one transaction that locks
 * the session row, checks the caller may write it, makes the change, and
 * appends exactly one event numbered lastSequence + 1. The row lock orders
 * concurrent writers, so sequences never skip or repeat; the event commits
 * with the change or not at all, and is announced to every instance.
 */
export class SessionChanges {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
    private readonly budget: Pick<Limits, 'eventMaxBytes' | 'sessionLogMaxBytes'>,
    private readonly onCommitted: (notice: EventNotice) => void = () => {},
  ) {}

  async change<T>(
    caller: Caller | null,
    sessionId: number | null,
    work: (tx: EntityManager, session: Session) => Promise<ChangeOutcome<T>>,
  ): Promise<T> {
    assertAuthenticated(caller);
    if (sessionId === null) throw new NotFoundError('session', 'given');
    const { result, notice } = await this.transaction(async (tx) => {
      const session = await tx
        .getRepository(Session)
        .createQueryBuilder('s')
        .setLock('pessimistic_write')
        .where('s.id = :id', { id: sessionId })
        .getOne();
      if (!session) throw new NotFoundError('session', toGlobalId('Session', sessionId));
      assertMayWrite(caller, session.bodyId);
      const outcome = await work(tx, session);
      const notice = await this.appendEvent(tx, caller, session, outcome);
      return { result: outcome.result, notice };
    });
    this.onCommitted(notice);
    await this.bus.publishAfterCommit(notice);
    return result;
  }

  /** For a session being created in the same transaction (scheduleSession): no row to lock yet. */
  async create<T>(
    caller: Caller | null,
    bodyId: number,
    work: (tx: EntityManager) => Promise<{ session: Session; result: T }>,
  ): Promise<T> {
    assertMayWrite(caller, bodyId);
    const { result, notice } = await this.transaction(async (tx) => {
      const { session, result } = await work(tx);
      const notice = await this.appendEvent(tx, caller, session, { result, kind: SessionEventKind.SESSION_SCHEDULED });
      return { result, notice };
    });
    this.onCommitted(notice);
    await this.bus.publishAfterCommit(notice);
    return result;
  }

  private async transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction('READ COMMITTED', work);
    } catch (error) {
      const code = (error as { driverError?: { code?: string }; code?: string }).driverError?.code;
      if (code === '23505') {
        throw new ConflictError('Someone else made a conflicting change at the same moment; reload and try again.');
      }
      throw error;
    }
  }

  private async appendEvent<T>(
    tx: EntityManager,
    caller: Caller | null,
    session: Session,
    outcome: ChangeOutcome<T>,
  ): Promise<EventNotice> {
    const body = await tx.getRepository(Body).findOneByOrFail({ id: session.bodyId });
    const records = (await tx.query(
      'SELECT counts_toward_quorum AS "countsTowardQuorum", status FROM attendance_record WHERE session_id = $1',
      [session.id],
    )) as Parameters<typeof quorumOf>[1];
    const sequence = session.lastSequence + 1;
    const { logBytes, ...row } = session;
    const agenda = AGENDA_KINDS.has(outcome.kind) ? await this.agendaOrder(tx, session.id, outcome.agendaItem) : null;
    const payload: SessionEventPayload = {
      quorum: quorumOf(body.quorumRule, records),
      session: snapshot({ ...row, lastSequence: sequence }),
      ...(outcome.agendaItem ? { agendaItem: snapshot(outcome.agendaItem) } : {}),
      ...(outcome.attendance ? { attendance: snapshot(outcome.attendance) } : {}),
      ...(outcome.vote ? { vote: snapshot(outcome.vote) } : {}),
      ...(outcome.ballot ? { ballot: snapshot(outcome.ballot) } : {}),
      ...(outcome.speech ? { speech: snapshot(outcome.speech) } : {}),
      ...(outcome.speeches && outcome.speeches.length > 0 ? { speeches: outcome.speeches.map(snapshot) } : {}),
      ...(agenda ? { order: agenda.order } : {}),
    };
    const json = JSON.stringify(payload);
    const bytes = Buffer.byteLength(json);
    if (bytes > this.budget.eventMaxBytes) {
      throw new ConflictError(
        `This change would record ${bytes} bytes in the session's event log; one change may record at most ${this.budget.eventMaxBytes} (EVENT_MAX_BYTES). Nothing was changed: make the text shorter.`,
      );
    }
    // Seeds are written once per item in its life and are not the change's own size: they count toward the session only.
    const stored = agenda && agenda.seeds.length > 0 ? JSON.stringify({ ...payload, agendaSeeds: agenda.seeds }) : json;
    const storedBytes = stored === json ? bytes : Buffer.byteLength(stored);
    if (logBytes + storedBytes > this.budget.sessionLogMaxBytes) {
      throw new ConflictError(
        `The session's event log holds ${logBytes} bytes; this change would take it past ${this.budget.sessionLogMaxBytes} (SESSION_LOG_MAX_BYTES). Nothing was changed; an administrator can raise the limit.`,
      );
    }
    await tx.update(Session, { id: session.id }, { lastSequence: sequence, logBytes: logBytes + storedBytes });
    session.lastSequence = sequence;
    session.logBytes = logBytes + storedBytes;
    await tx.query(
      'INSERT INTO session_event (session_id, sequence, kind, status, payload, actor, agenda_item_id) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [
        session.id,
        sequence,
        outcome.kind,
        session.status,
        stored,
        caller ? JSON.stringify({ role: caller.role, subject: caller.subject }) : null,
        agenda ? (outcome.agendaItem?.id ?? null) : null,
      ],
    );
    const notice: EventNotice = { s: session.id, q: sequence, b: session.bodyId, d: body.districtId, k: outcome.kind };
    await this.bus.publishInTransaction(tx, notice);
    return notice;
  }

  /**
   * The agenda's order right after the change, and a snapshot of each item in it that no event of
   * the log holds yet (items made outside the API), so that the agenda can be rebuilt from the log alone.
   */
  private async agendaOrder(
    tx: EntityManager,
    sessionId: number,
    changed: AgendaItem | undefined,
  ): Promise<{ order: AgendaPlace[]; seeds: Record<string, unknown>[] }> {
    const items = await tx.getRepository(AgendaItem).find({ where: { sessionId }, order: { position: 'ASC' } });
    const order = items.map((item): AgendaPlace => [item.id, item.position, item.version]);
    const logged = (await tx.query(
      `SELECT agenda_item_id AS id FROM session_event WHERE session_id = $1 AND agenda_item_id IS NOT NULL
       UNION SELECT (seed->>'id')::int FROM session_event e CROSS JOIN LATERAL jsonb_array_elements(e.payload->'agendaSeeds') seed
        WHERE e.session_id = $1 AND e.payload ? 'agendaSeeds'`,
      [sessionId],
    )) as { id: number }[];
    const known = new Set(logged.map((row) => row.id));
    const seeds = items.filter((item) => item.id !== changed?.id && !known.has(item.id)).map(snapshot);
    return { order, seeds };
  }
}
