import { In } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { assertAuthenticated } from '../auth/permissions';
import type { Caller } from '../auth/caller';
import { AttendanceRecord, AttendanceStatus } from '../entities/attendance-record.entity';
import { SessionEventKind } from '../entities/session-event.entity';
import { SessionStatus } from '../entities/session.entity';
import type { Session } from '../entities/session.entity';
import { SpeechKind, SpeechRequest, SpeechStatus } from '../entities/speech-request.entity';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import type { RequestFloorInput } from '../schema/floor.inputs';
import { keyOf } from '../schema/global-id';
import { itemOfChangeSql } from './agenda.service';
import { saveLoaded } from './session-changes.service';
import type { ChangeOutcome, SessionChanges } from './session-changes.service';

/** The longest time limit the chair may give one speech: four hours, longer than any sitting's speech. */
export const MAX_TIME_LIMIT_SECONDS = 14_400;

/** What a change to a request needs besides the request: its record's status, and the speech under way if another. */
interface Floor {
  readonly speakerStatus: AttendanceStatus;
  readonly current: SpeechRequest | null;
}

/** Where one may ask for the floor: while the session sits, or is suspended (the list is kept over a break). */
const REQUESTABLE: readonly SessionStatus[] = [SessionStatus.IN_PROGRESS, SessionStatus.SUSPENDED];

/**
 * The floor: requests to speak from those present, granted by the chair one
 * speaker at a time in the order of floor.rules.ts.
 */
export class FloorService {
  constructor(private readonly changes: SessionChanges) {}

  /** Anyone present may ask, whatever their capacity (holder, deputy, guest) and mode (in person or remote). */
  async request(caller: Caller | null, input: RequestFloorInput): Promise<SpeechRequest> {
    const sessionId = keyOf(input.sessionId, 'Session', 'input.sessionId');
    const recordId = keyOf(input.attendanceRecordId, 'AttendanceRecord', 'input.attendanceRecordId');
    const itemId = input.agendaItemId == null ? null : keyOf(input.agendaItemId, 'AgendaItem', 'input.agendaItemId');
    const kind = input.kind ?? SpeechKind.REGULAR;
    return this.changes.change(caller, sessionId, async (tx, session) => {
      if (!REQUESTABLE.includes(session.status)) {
        throw new ConflictError(
          `The floor can be requested only while the session is IN_PROGRESS or SUSPENDED; it is ${session.status}.`,
        );
      }
      // One statement: the record, the item the request is about, and whether the same request already waits.
      const found =
        recordId === null ? null : await this.requester(tx, session, recordId, kind, itemId, input.agendaItemId);
      const record = found?.record;
      if (!record) throw new NotFoundError('attendance record in this session', input.attendanceRecordId);
      if (record.status !== AttendanceStatus.PRESENT) {
        throw new ConflictError(
          `Only someone present can ask for the floor; this record is ${record.status} (record them PRESENT first).`,
        );
      }
      if (input.agendaItemId != null && found!.agendaItemId === null) {
        throw new BadUserInputError(
          'input.agendaItemId',
          `input.agendaItemId: "${input.agendaItemId.slice(0, 64)}" is not an item of this session's agenda.`,
        );
      }
      const agendaItemId = found!.agendaItemId;
      const repository = tx.getRepository(SpeechRequest);
      if (found!.waiting) {
        throw new ConflictError(
          `This participant already waits for the floor with a ${kind} request; it keeps its place in the queue.`,
        );
      }
      const speech = await repository.save(
        repository.create({
          sessionId: session.id,
          agendaItemId,
          attendanceRecordId: record.id,
          kind,
          status: SpeechStatus.WAITING,
          requestedAt: new Date(),
          startedAt: null,
          endedAt: null,
          timeLimitSeconds: null,
        }),
      );
      return { result: speech, kind: SessionEventKind.SPEECH_REQUESTED, speech };
    });
  }

  /**
   * The chair may grant any waiting request: the order of Session.speakers is
   * advice, since the standing orders leave the chair to judge (a formal motion
   * may be heard at once, or after the current speech). The speech under way
   * ends in the same change, so the log shows one hand-over, never two speakers.
   */
  async grant(caller: Caller | null, id: string, timeLimitSeconds: number | null | undefined): Promise<SpeechRequest> {
    if (
      timeLimitSeconds != null &&
      (!Number.isInteger(timeLimitSeconds) || timeLimitSeconds < 1 || timeLimitSeconds > MAX_TIME_LIMIT_SECONDS)
    ) {
      throw new BadUserInputError(
        'timeLimitSeconds',
        `timeLimitSeconds must be between 1 and ${MAX_TIME_LIMIT_SECONDS} (or null for no limit); got ${timeLimitSeconds}.`,
      );
    }
    return this.onRequest(caller, id, async (tx, session, speech, floor) => {
      if (session.status !== SessionStatus.IN_PROGRESS) {
        throw new ConflictError(
          `The floor can be given only while the session is IN_PROGRESS; it is ${session.status}.`,
        );
      }
      if (speech.status !== SpeechStatus.WAITING) {
        throw new ConflictError(`Only a WAITING request can be given the floor; this one is ${speech.status}.`);
      }
      if (floor.speakerStatus !== AttendanceStatus.PRESENT) {
        throw new ConflictError(
          `The floor can be given only to someone present; this request's record is ${floor.speakerStatus}.`,
        );
      }
      const now = new Date();
      // The speech under way ends first: the database allows one SPEAKING request per session.
      const current = floor.current;
      if (current) {
        current.status = SpeechStatus.DONE;
        current.endedAt = now;
        await saveLoaded(tx, SpeechRequest, current);
      }
      speech.status = SpeechStatus.SPEAKING;
      speech.startedAt = now;
      speech.timeLimitSeconds = timeLimitSeconds ?? null;
      await saveLoaded(tx, SpeechRequest, speech);
      return {
        result: speech,
        kind: SessionEventKind.SPEECH_STARTED,
        speech,
        speeches: current ? [current] : [],
      };
    });
  }

  async end(caller: Caller | null, id: string): Promise<SpeechRequest> {
    return this.onRequest(caller, id, async (tx, _session, speech) => {
      if (speech.status !== SpeechStatus.SPEAKING) {
        throw new ConflictError(`Only the speech under way (SPEAKING) can be ended; this request is ${speech.status}.`);
      }
      speech.status = SpeechStatus.DONE;
      speech.endedAt = new Date();
      await saveLoaded(tx, SpeechRequest, speech);
      return { result: speech, kind: SessionEventKind.SPEECH_ENDED, speech };
    });
  }

  /** Only a request still waiting: a speech under way is ended (endSpeech), so the record says it was given. */
  async withdraw(caller: Caller | null, id: string): Promise<SpeechRequest> {
    return this.onRequest(caller, id, async (tx, _session, speech) => {
      if (speech.status !== SpeechStatus.WAITING) {
        throw new ConflictError(
          speech.status === SpeechStatus.SPEAKING
            ? 'This speech is under way: end it (endSpeech) rather than withdraw it.'
            : `Only a WAITING request can be withdrawn; this one is ${speech.status}.`,
        );
      }
      speech.status = SpeechStatus.WITHDRAWN;
      speech.endedAt = new Date();
      await saveLoaded(tx, SpeechRequest, speech);
      return { result: speech, kind: SessionEventKind.SPEECH_WITHDRAWN, speech };
    });
  }

  /**
   * The record asking, in this session; the item the request is about (the one given, if of this session; by
   * default the item under discussion, if any); and whether the record already waits with a request of this kind.
   */
  private async requester(
    tx: EntityManager,
    session: Session,
    recordId: number,
    kind: SpeechKind,
    itemKey: number | null,
    given: string | null | undefined,
  ): Promise<{ record: AttendanceRecord; agendaItemId: number | null; waiting: boolean } | null> {
    const item = itemOfChangeSql(given == null ? undefined : itemKey, 'r.session_id', ':itemKey');
    const { entities, raw } = await tx
      .getRepository(AttendanceRecord)
      .createQueryBuilder('r')
      .addSelect(item, 'item_id')
      .addSelect(
        `EXISTS (SELECT 1 FROM speech_request q WHERE q.attendance_record_id = r.id AND q.kind = :kind AND q.status = '${SpeechStatus.WAITING}')`,
        'waiting',
      )
      .where('r.id = :recordId AND r.sessionId = :sessionId', { recordId, sessionId: session.id, kind, itemKey })
      .getRawAndEntities<{ item_id: number | null; waiting: boolean }>();
    const record = entities[0];
    return record ? { record, agendaItemId: raw[0]!.item_id, waiting: raw[0]!.waiting } : null;
  }

  /**
   * Locks the request's session (found through the request), then reads in one statement the request, its
   * record's status and the speech under way in the session, if another.
   */
  private async onRequest<T>(
    caller: Caller | null,
    id: string,
    work: (tx: EntityManager, session: Session, speech: SpeechRequest, floor: Floor) => Promise<ChangeOutcome<T>>,
  ): Promise<T> {
    assertAuthenticated(caller);
    const key = keyOf(id, 'SpeechRequest', 'id');
    const missing = new NotFoundError('request for the floor', id);
    return this.changes.change(caller, { table: 'speech_request', key, missing }, async (tx, session) => {
      const { entities, raw } = await tx
        .getRepository(SpeechRequest)
        .createQueryBuilder('q')
        .addSelect('(SELECT r.status FROM attendance_record r WHERE r.id = q.attendance_record_id)', 'speaker_status')
        .where(`q.id = :key OR (q.sessionId = :sessionId AND q.status = '${SpeechStatus.SPEAKING}')`, {
          key,
          sessionId: session.id,
        })
        .getRawAndEntities<{ q_id: number; speaker_status: AttendanceStatus }>();
      const speech = entities.find((candidate) => candidate.id === key);
      if (!speech) throw missing;
      const current = entities.find((candidate) => candidate.id !== key) ?? null;
      const speakerStatus = raw.find((row) => row.q_id === key)!.speaker_status;
      return work(tx, session, speech, { speakerStatus, current });
    });
  }
}

/** A request still open: waiting for the floor, or speaking. */
export const OPEN: readonly SpeechStatus[] = [SpeechStatus.WAITING, SpeechStatus.SPEAKING];

/** A session that closes ends the speech under way and withdraws every request still waiting. */
export async function endFloorOf(tx: EntityManager, sessionId: number, now: Date): Promise<SpeechRequest[]> {
  const open = await tx.getRepository(SpeechRequest).find({
    where: { sessionId, status: In(OPEN) },
    order: { requestedAt: 'ASC', id: 'ASC' },
  });
  return endRequests(tx, open, now);
}

/**
 * A participant who leaves (or is recorded absent) gives up the floor: their
 * waiting requests are WITHDRAWN and their speech under way is DONE, within
 * the caller's change, which lists them in its outcome's `speeches`. `open` are
 * the requests still open, oldest first, as the change read them.
 */
export async function endRequests(tx: EntityManager, open: SpeechRequest[], now: Date): Promise<SpeechRequest[]> {
  for (const speech of open) {
    speech.status = speech.status === SpeechStatus.SPEAKING ? SpeechStatus.DONE : SpeechStatus.WITHDRAWN;
    speech.endedAt = now;
  }
  for (const speech of open) await saveLoaded(tx, SpeechRequest, speech);
  return open;
}
