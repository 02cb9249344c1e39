import type { DataSource, EntityManager } from 'typeorm';
import { assertAuthenticated, assertMayWrite } from '../auth/permissions';
import type { Caller } from '../auth/caller';
import { AgendaItem } from '../entities/agenda-item.entity';
import type { AttendanceRecord } from '../entities/attendance-record.entity';
import { Body } from '../entities/body.entity';
import { SessionEventKind } from '../entities/session-event.entity';
import type { SessionEventPayload } from '../entities/session-event.entity';
import { Session, SessionStatus } from '../entities/session.entity';
import { ConflictError, NotFoundError } from '../errors';
import { toGlobalId } from '../schema/global-id';
import type { EventBus, EventNotice } from '../subscriptions/event-bus';
import { quorumOf } from './quorum';

/** What a change did, for the event it is recorded as. */
export interface ChangeOutcome<T> {
  readonly result: T;
  readonly kind: SessionEventKind;
  readonly agendaItem?: AgendaItem;
  readonly attendance?: AttendanceRecord;
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
    const payload: SessionEventPayload = {
      quorum: quorumOf(body.quorumRule, records),
      session: snapshot({ ...session, lastSequence: sequence }),
      ...(outcome.agendaItem ? { agendaItem: snapshot(outcome.agendaItem) } : {}),
      ...(outcome.attendance ? { attendance: snapshot(outcome.attendance) } : {}),
      ...(AGENDA_KINDS.has(outcome.kind)
        ? {
            agenda: (
              await tx.getRepository(AgendaItem).find({
                where: { sessionId: session.id },
                order: { position: 'ASC' },
              })
            ).map(snapshot),
          }
        : {}),
    };
    await tx.update(Session, { id: session.id }, { lastSequence: sequence });
    session.lastSequence = sequence;
    await tx.query(
      'INSERT INTO session_event (session_id, sequence, kind, status, payload, actor) VALUES ($1, $2, $3, $4, $5, $6)',
      [
        session.id,
        sequence,
        outcome.kind,
        session.status,
        JSON.stringify(payload),
        caller ? JSON.stringify({ role: caller.role, subject: caller.subject }) : null,
      ],
    );
    const notice: EventNotice = { s: session.id, q: sequence, b: session.bodyId, d: body.districtId, k: outcome.kind };
    await this.bus.publishInTransaction(tx, notice);
    return notice;
  }
}
