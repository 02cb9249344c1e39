import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { Limits } from '../config';
import { assertAuthenticated, assertMayWrite } from '../auth/permissions';
import type { Caller } from '../auth/caller';
import { AgendaItem } from '../entities/agenda-item.entity';
import type { AttendanceRecord } from '../entities/attendance-record.entity';
import type { Ballot } from '../entities/ballot.entity';
import type { SpeechRequest } from '../entities/speech-request.entity';
import type { Vote } from '../entities/vote.entity';
import { Body } from '../entities/body.entity';
import type { QuorumRule } from '../entities/body.entity';
import { SessionEventKind } from '../entities/session-event.entity';
import type { AgendaPlace, SessionEventPayload } from '../entities/session-event.entity';
import { Session, SessionStatus } from '../entities/session.entity';
import { ConflictError, NotFoundError } from '../errors';
import { toGlobalId } from '../schema/global-id';
import type { EventBus, EventNotice } from '../events/event-bus';
import { entityColumns, preparedQuery } from '../db/prepared';
import { QUORUM_SQL } from './quorum.rules';

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
  /** AGENDA_* kinds: the agenda right after the change, when the work holds it (read with readAgenda, changed in place). */
  readonly agenda?: Agenda;
}

/** A session's agenda items by position, and the ids of those an event of the log already holds a snapshot of. */
export interface Agenda {
  readonly items: AgendaItem[];
  readonly logged: ReadonlySet<number>;
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
    target: ChangeTarget,
    work: (tx: EntityManager, session: Session, body: LockedBody) => Promise<ChangeOutcome<T>>,
  ): Promise<T> {
    return this.changeReading(caller, target, null, work);
  }

  /**
   * change(), with what the work checks read in the statement that locks the session (see ReadWithLock): one
   * statement fewer.
   */
  async changeReading<T, R>(
    caller: Caller | null,
    target: ChangeTarget,
    read: ReadWithLock<R> | null,
    work: (tx: EntityManager, session: Session, body: LockedBody, read: R) => Promise<ChangeOutcome<T>>,
  ): Promise<T> {
    assertAuthenticated(caller);
    if (target === null) throw new NotFoundError('session', 'given');
    const { result, notice } = await this.transaction(async (tx) => {
      const locked = await lockSession(tx, target, read);
      assertMayWrite(caller, locked.session.bodyId);
      const outcome = await work(tx, locked.session, locked.body, locked.read as R);
      const notice = await this.appendEvent(tx, caller, locked.session, locked.body, outcome);
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
      const body = await tx.getRepository(Body).findOneByOrFail({ id: session.bodyId });
      const notice = await this.appendEvent(tx, caller, session, body, {
        result,
        kind: SessionEventKind.SESSION_SCHEDULED,
      });
      return { result, notice };
    });
    this.onCommitted(notice);
    await this.bus.publishAfterCommit(notice);
    return result;
  }

  private async transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    try {
      // PostgreSQL's default level, READ COMMITTED: naming it would cost a SET TRANSACTION statement per change.
      return await this.dataSource.transaction(work);
    } catch (error) {
      const code = (error as { driverError?: { code?: string }; code?: string }).driverError?.code;
      if (code === '23505') {
        throw new ConflictError('Someone else made a conflicting change at the same moment; reload and try again.');
      }
      throw error;
    }
  }

  /**
   * The event, in one statement after the work: the quorum as the change left it (counted in SQL, by
   * QUORUM_SQL), the payload with it, both size budgets checked, then the session's sequence and log size
   * updated, the event inserted and, with the PostgreSQL bus, the notice sent, all only if the budgets hold.
   */
  private async appendEvent<T>(
    tx: EntityManager,
    caller: Caller | null,
    session: Session,
    body: LockedBody,
    outcome: ChangeOutcome<T>,
  ): Promise<EventNotice> {
    const sequence = session.lastSequence + 1;
    const { logBytes, ...row } = session;
    const agenda = AGENDA_KINDS.has(outcome.kind)
      ? agendaOrder(outcome.agenda ?? (await readAgenda(tx, session.id)), outcome.agendaItem)
      : null;
    // The payload after its first key, quorum, which the statement below counts and puts in front.
    const rest = {
      session: snapshot({ ...row, lastSequence: sequence }),
      ...(outcome.agendaItem ? { agendaItem: snapshot(outcome.agendaItem) } : {}),
      ...(outcome.attendance ? { attendance: snapshot(outcome.attendance) } : {}),
      ...(outcome.vote ? { vote: snapshot(outcome.vote) } : {}),
      ...(outcome.ballot ? { ballot: snapshot(outcome.ballot) } : {}),
      ...(outcome.speech ? { speech: snapshot(outcome.speech) } : {}),
      ...(outcome.speeches && outcome.speeches.length > 0 ? { speeches: outcome.speeches.map(snapshot) } : {}),
      ...(agenda ? { order: agenda.order } : {}),
    } satisfies Omit<SessionEventPayload, 'quorum'>;
    const json = JSON.stringify(rest);
    // Seeds are written once per item in its life and are not the change's own size: they count toward the session only.
    const stored = agenda && agenda.seeds.length > 0 ? JSON.stringify({ ...rest, agendaSeeds: agenda.seeds }) : null;
    const notice: EventNotice = { s: session.id, q: sequence, b: session.bodyId, d: body.districtId, k: outcome.kind };
    const channel = this.bus.notifyChannel;
    const [written] = await preparedQuery<{ bytes: number; storedBytes: number; written: number }>(
      tx,
      `WITH q AS (${QUORUM_SQL}),
       p AS (SELECT q.head || substr($3::text, 2) AS json, q.head || substr(coalesce($4::text, $3::text), 2) AS stored FROM q),
       f AS (SELECT p.stored, octet_length(p.json) AS bytes, octet_length(p.stored) AS stored_bytes FROM p),
       ok AS (SELECT f.* FROM f WHERE f.bytes <= $5 AND $6::int + f.stored_bytes <= $7),
       u AS (UPDATE session SET last_sequence = $8, log_bytes = $6::int + ok.stored_bytes FROM ok WHERE session.id = $1),
       e AS (INSERT INTO session_event (session_id, sequence, kind, status, payload, actor, agenda_item_id)
             SELECT $1, $8, $9::varchar, $10::varchar, ok.stored::jsonb, $11::jsonb, $12::int FROM ok RETURNING sequence)
       ${channel === null ? '' : ', n AS (SELECT pg_notify($13, $14) FROM e)'}
       SELECT f.bytes, f.stored_bytes AS "storedBytes", (SELECT count(*) FROM e)::int AS written
              ${channel === null ? '' : ', (SELECT count(*) FROM n)::int AS notified'}
         FROM f`,
      [
        session.id,
        body.quorumRule,
        json,
        stored,
        this.budget.eventMaxBytes,
        logBytes,
        this.budget.sessionLogMaxBytes,
        sequence,
        outcome.kind,
        session.status,
        caller ? JSON.stringify({ role: caller.role, subject: caller.subject }) : null,
        agenda ? (outcome.agendaItem?.id ?? null) : null,
        ...(channel === null ? [] : [channel, JSON.stringify(notice)]),
      ],
    );
    const { bytes, storedBytes } = written!;
    if (bytes > this.budget.eventMaxBytes) {
      throw new ConflictError(
        `This change would record ${bytes} bytes in the session's event log; one change may record at most ${this.budget.eventMaxBytes} (EVENT_MAX_BYTES). Nothing was changed: make the text shorter.`,
      );
    }
    if (written!.written !== 1) {
      throw new ConflictError(
        `The session's event log holds ${logBytes} bytes; this change would take it past ${this.budget.sessionLogMaxBytes} (SESSION_LOG_MAX_BYTES). Nothing was changed; an administrator can raise the limit.`,
      );
    }
    session.lastSequence = sequence;
    session.logBytes = logBytes + storedBytes;
    return notice;
  }
}

/**
 * The agenda's order right after the change, and a snapshot of each item in it that no event of
 * the log holds yet (items made outside the API), so that the agenda can be rebuilt from the log alone.
 */
function agendaOrder(
  agenda: Agenda,
  changed: AgendaItem | undefined,
): { order: AgendaPlace[]; seeds: Record<string, unknown>[] } {
  const order = agenda.items.map((item): AgendaPlace => [item.id, item.position, item.version]);
  const seeds = agenda.items.filter((item) => item.id !== changed?.id && !agenda.logged.has(item.id)).map(snapshot);
  return { order, seeds };
}

/** The agenda in one statement: the items, and whether an event already holds a snapshot of each (its own, or as a seed). */
export async function readAgenda(tx: EntityManager, sessionId: number): Promise<Agenda> {
  const { entities: items, raw } = await tx
    .getRepository(AgendaItem)
    .createQueryBuilder('a')
    .addSelect(
      `EXISTS (SELECT 1 FROM session_event e WHERE e.session_id = a.session_id AND e.agenda_item_id = a.id)
       OR EXISTS (SELECT 1 FROM session_event e CROSS JOIN LATERAL jsonb_array_elements(e.payload->'agendaSeeds') seed
                   WHERE e.session_id = a.session_id AND e.payload ? 'agendaSeeds' AND (seed->>'id')::int = a.id)`,
      'logged',
    )
    .where('a.sessionId = :sessionId', { sessionId })
    .orderBy('a.position', 'ASC')
    .getRawAndEntities<{ a_id: number; logged: boolean }>();
  return { items, logged: new Set(raw.filter((row) => row.logged).map((row) => row.a_id)) };
}

/** The session a change is in: by its key, or as the session of the object (vote, item, request) it names. */
export type ChangeTarget = number | null | SessionOf;

export interface SessionOf {
  readonly table: 'vote' | 'agenda_item' | 'speech_request';
  /** The object's key; null for an id that names nothing (of another type). */
  readonly key: number | null;
  /** What to say when there is no such object. */
  readonly missing: NotFoundError;
}

/** What a change needs of the session's body, read with the lock. */
export interface LockedBody {
  readonly quorumRule: QuorumRule;
  readonly districtId: number | null;
}

/**
 * What a change reads of its session to check it, read in the statement that locks the session rather than in a
 * statement of its own: a subquery joined LATERAL to the session's row "s" (its parameters numbered from `first`
 * on), its rows made into the read. The lock may have to wait for another change of the session to commit, and
 * then PostgreSQL hands the statement the session's row as that change left it but reads the subquery as it was
 * before (READ COMMITTED re-checks only the locked row): so the statement also reads the session's sequence as the
 * subquery saw it, and when the two differ the subquery is read again, after the lock, in a statement of its own.
 */
export interface ReadWithLock<R> {
  /** The subquery: its columns must not meet the session's (prefix them). */
  sql(tx: EntityManager, first: number): string;
  /** Its order, over its columns as "w"."column". */
  readonly order: string;
  readonly params: readonly unknown[];
  /** The read, from the rows (one at least: with every column of the subquery null where it found none). */
  from(tx: EntityManager, rows: Record<string, unknown>[]): R;
}

/** The statement that locks a session, found by its key (`session`) or through an object's table, with `read`. */
function lockStatement(
  tx: EntityManager,
  by: 'session' | SessionOf['table'],
  read: ReadWithLock<unknown> | null,
): string {
  const where = by === 'session' ? '$1' : `(SELECT "session_id" FROM "${by}" WHERE "id" = $1)`;
  return `SELECT ${entityColumns(tx, Session, 's').select}, "b"."quorum_rule" AS "quorum_rule", "b"."district_id" AS "district_id"${
    read
      ? `, (SELECT "last_sequence" FROM "session" WHERE "id" = "s"."id") AS "read_at_sequence", "w".*
            FROM "session" "s" INNER JOIN "body" "b" ON "b"."id" = "s"."body_id"
            LEFT JOIN LATERAL (${read.sql(tx, 2)}) "w" ON true
           WHERE "s"."id" = ${where} ORDER BY ${read.order} FOR UPDATE OF "s"`
      : `
            FROM "session" "s" INNER JOIN "body" "b" ON "b"."id" = "s"."body_id"
           WHERE "s"."id" = ${where} FOR UPDATE OF "s"`
  }`;
}

/**
 * One statement: the session's row, locked (FOR UPDATE OF the session alone: the body's row is shared by all
 * its sessions), with what the event needs of its body, and what the change reads with it. A target named by
 * another object finds the session through that object's session_id, which never changes.
 */
async function lockSession<R>(
  tx: EntityManager,
  target: number | SessionOf,
  read: ReadWithLock<R> | null,
): Promise<{ session: Session; body: LockedBody; read: R | undefined }> {
  if (typeof target !== 'number' && target.key === null) throw target.missing;
  type Row = Record<string, unknown> & {
    quorum_rule: QuorumRule;
    district_id: number | null;
    read_at_sequence?: number;
  };
  const rows = await preparedQuery<Row>(
    tx,
    lockStatement(tx, typeof target === 'number' ? 'session' : target.table, read as ReadWithLock<unknown> | null),
    [typeof target === 'number' ? target : target.key, ...(read?.params ?? [])],
  );
  const row = rows[0];
  const session = row ? entityColumns(tx, Session, 's').from(row) : null;
  if (!row || !session) {
    throw typeof target === 'number' ? new NotFoundError('session', toGlobalId('Session', target)) : target.missing;
  }
  const body = { quorumRule: row.quorum_rule, districtId: row.district_id };
  if (!read) return { session, body, read: undefined };
  // Another change committed while the lock waited: what the subquery saw is from before it.
  const fresh =
    row.read_at_sequence === session.lastSequence
      ? rows
      : await preparedQuery(
          tx,
          `SELECT "w".* FROM "session" "s" LEFT JOIN LATERAL (${read.sql(tx, 2)}) "w" ON true
            WHERE "s"."id" = $1 ORDER BY ${read.order}`,
          [session.id, ...read.params],
        );
  return { session, body, read: read.from(tx, fresh) };
}

/**
 * Writes an entity's columns back by its primary key in one UPDATE: what repository.save() does for a loaded
 * entity, without the SELECT save() sends first to compare; a prepared statement, one per entity and set of
 * loaded columns.
 */
export async function saveLoaded<E extends ObjectLiteral>(
  tx: EntityManager,
  target: EntityTarget<E>,
  entity: E,
): Promise<void> {
  const metadata = tx.connection.getMetadata(target);
  const { driver } = tx.connection;
  const values: unknown[] = [];
  const set: string[] = [];
  for (const column of metadata.columns) {
    if (column.isPrimary || column.isCreateDate || !column.isUpdate) continue;
    const value: unknown = column.getEntityValue(entity);
    if (value === undefined) continue; // not loaded (a relation's object): left as it is, as save() leaves it
    values.push(driver.preparePersistentValue(value, column));
    set.push(`"${column.databaseName}" = $${values.length}`);
  }
  const where = metadata.primaryColumns.map((column) => {
    values.push(driver.preparePersistentValue(column.getEntityValue(entity), column));
    return `"${column.databaseName}" = $${values.length}`;
  });
  await preparedQuery(tx, `UPDATE "${metadata.tableName}" SET ${set.join(', ')} WHERE ${where.join(' AND ')}`, values);
}
