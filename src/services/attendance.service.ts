import type { EntityManager } from 'typeorm';
import type { Caller } from '../auth/caller';
import { Body } from '../entities/body.entity';
import { Person } from '../entities/person.entity';
import {
  AttendanceCapacity,
  AttendanceMode,
  AttendanceRecord,
  AttendanceStatus,
} from '../entities/attendance-record.entity';
import { SessionEventKind } from '../entities/session-event.entity';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import type { DeputyInput, InviteGuestInput, RecordAttendanceInput } from '../schema/attendance.inputs';
import { keyOf, requireKeyOf } from '../schema/global-id';
import { assertStillOpen, saveLoaded } from './session-changes.service';
import type { ReadWithLock } from './session-changes.service';
import type { SessionChanges } from './session-changes.service';
import { optionalText, requiredText } from '../validation/text';
import { assertVersion } from './expected-version.rules';
import { entityColumns } from '../db/prepared';
import { SpeechRequest } from '../entities/speech-request.entity';
import { endRequests, OPEN } from './floor.service';

/**
 * The attendance list (lista obecności): each member's seat, and invited
 * guests, who never count toward the quorum. Arrival and departure times
 * come from the server's clock, not the clerk's.
 */
export class AttendanceService {
  constructor(private readonly changes: SessionChanges) {}

  async record(caller: Caller | null, input: RecordAttendanceInput): Promise<AttendanceRecord> {
    const sessionId = keyOf(input.sessionId, 'Session', 'input.sessionId');
    if ((input.seatId == null) === (input.recordId == null)) {
      throw new BadUserInputError('input.seatId', 'Give exactly one of input.seatId and input.recordId.');
    }
    const seatId = input.seatId == null ? null : requireKeyOf(input.seatId, 'Seat', 'input.seatId');
    const recordId = input.recordId == null ? null : requireKeyOf(input.recordId, 'AttendanceRecord', 'input.recordId');
    const deputy = input.deputy == null ? null : deputyOf(input.deputy, input.status);
    const read = recordWithRequests(seatId !== null ? 'seat' : 'id', seatId ?? recordId!);
    return this.changes.changeReading(caller, sessionId, read, async (tx, session, _body, { record, open }) => {
      assertStillOpen(session, 'attendance list');
      if (!record) {
        throw new NotFoundError(
          seatId !== null ? 'attendance record for that seat in this session' : 'attendance record in this session',
          (seatId !== null ? input.seatId : input.recordId)!,
        );
      }
      assertVersion('attendance record', record.version, input.expectedVersion);
      const now = new Date();
      const before = { present: record.status === AttendanceStatus.PRESENT, personId: record.personId };
      if (input.status === AttendanceStatus.LEFT && record.status !== AttendanceStatus.PRESENT) {
        throw new ConflictError(`Only someone PRESENT can leave; this record is ${record.status}.`);
      }
      if (input.status === AttendanceStatus.PRESENT && record.status !== AttendanceStatus.PRESENT) {
        record.arrivedAt = now;
        record.leftAt = null;
      }
      if (input.status === AttendanceStatus.LEFT) record.leftAt = now;
      if (deputy) {
        await this.seatDeputy(tx, session.bodyId, record, deputy);
      } else if (input.status === AttendanceStatus.PRESENT && record.status !== AttendanceStatus.PRESENT) {
        // Each arrival says who arrived: without a deputy, it is the seat's holder.
        standDown(record);
      }
      if (input.mode != null) record.mode = input.mode;
      else if (input.status === AttendanceStatus.PRESENT && record.mode === null)
        record.mode = AttendanceMode.IN_PERSON;
      record.status = input.status;
      record.version += 1;
      await saveLoaded(tx, AttendanceRecord, record);
      // Whoever is no longer present (or handed the seat to a deputy) gives up the floor, on the record of this change;
      // someone who was not present has no request to give up.
      const gone = record.status !== AttendanceStatus.PRESENT || record.personId !== before.personId;
      const speeches = before.present && gone ? await endRequests(tx, open, now) : [];
      return { result: record, kind: SessionEventKind.ATTENDANCE_RECORDED, attendance: record, speeches };
    });
  }

  /** The deputy takes the seat's record: the seat still counts once, and its ballot is theirs to cast. */
  private async seatDeputy(tx: EntityManager, bodyId: number, record: AttendanceRecord, deputy: Deputy): Promise<void> {
    const body = await tx.getRepository(Body).findOneByOrFail({ id: bodyId });
    if (!body.admitsDeputies) {
      throw new BadUserInputError(
        'input.deputy',
        `${body.name} does not admit deputies: only a member of the Convention may send a designated deputy. Record the seat's holder without input.deputy.`,
      );
    }
    if (record.capacity === AttendanceCapacity.GUEST) {
      throw new BadUserInputError('input.deputy', 'A guest holds no seat, so no deputy can attend for them.');
    }
    const holderId = record.capacity === AttendanceCapacity.DEPUTY ? record.onBehalfOfId : record.personId;
    let personId: number;
    if (deputy.personId !== undefined) {
      if (!(await tx.getRepository(Person).existsBy({ id: deputy.personId }))) {
        throw new NotFoundError('person', deputy.gid!);
      }
      if (deputy.personId === holderId) {
        throw new BadUserInputError(
          'input.deputy.personId',
          "input.deputy.personId names the seat's holder, who attends in person: leave input.deputy out.",
        );
      }
      personId = deputy.personId;
    } else {
      // Known only by the name to be shown in public: nothing else about a deputy is kept.
      const repository = tx.getRepository(Person);
      personId = (await repository.save(repository.create({ fullName: deputy.fullName! }))).id;
    }
    record.capacity = AttendanceCapacity.DEPUTY;
    record.onBehalfOfId = holderId;
    record.personId = personId;
  }

  async inviteGuest(caller: Caller | null, input: InviteGuestInput): Promise<AttendanceRecord> {
    const sessionId = keyOf(input.sessionId, 'Session', 'input.sessionId');
    const fullName = requiredText(input.fullName, 'input.fullName', 200);
    const affiliation = optionalText(input.affiliation, 'input.affiliation', 300) ?? null;
    return this.changes.change(caller, sessionId, async (tx, session) => {
      assertStillOpen(session, 'attendance list');
      const repository = tx.getRepository(AttendanceRecord);
      const record = await repository.save(
        repository.create({
          sessionId: session.id,
          seatId: null,
          personId: null,
          label: fullName,
          affiliation,
          districtId: null,
          status: AttendanceStatus.EXPECTED,
          mode: null,
          countsTowardQuorum: false,
          capacity: AttendanceCapacity.GUEST,
          onBehalfOfId: null,
          version: 1,
        }),
      );
      return { result: record, kind: SessionEventKind.ATTENDANCE_RECORDED, attendance: record };
    });
  }
}

interface Deputy {
  readonly personId?: number;
  readonly gid?: string;
  readonly fullName?: string;
}

/** Who the deputy is, from the input alone: an existing person or a public name, and only for an expected or present seat. */
function deputyOf(input: DeputyInput, status: AttendanceStatus): Deputy {
  if ((input.personId == null) === (input.fullName == null)) {
    throw new BadUserInputError(
      'input.deputy',
      'Give exactly one of input.deputy.personId (an existing person) and input.deputy.fullName (a new one).',
    );
  }
  if (![AttendanceStatus.PRESENT, AttendanceStatus.EXPECTED, AttendanceStatus.CONFIRMED].includes(status)) {
    throw new BadUserInputError(
      'input.deputy',
      `A deputy is recorded as they are expected or arrive (EXPECTED, CONFIRMED or PRESENT), not as ${status}: leave input.deputy out.`,
    );
  }
  if (input.personId != null) {
    return { personId: requireKeyOf(input.personId, 'Person', 'input.deputy.personId'), gid: input.personId };
  }
  return { fullName: requiredText(input.fullName!, 'input.deputy.fullName', 200) };
}

/**
 * The record a change names (by its seat or its id, in the session), with its requests for the floor still open,
 * oldest first, read with the session's lock: a change that ends its holder's presence ends those too.
 */
function recordWithRequests(
  by: 'seat' | 'id',
  key: number,
): ReadWithLock<{ record: AttendanceRecord | null; open: SpeechRequest[] }> {
  return {
    sql: (
      tx,
      first,
    ) => `SELECT ${entityColumns(tx, AttendanceRecord, 'r').select}, ${entityColumns(tx, SpeechRequest, 'q').select}
       FROM "attendance_record" "r"
       LEFT JOIN "speech_request" "q" ON "q"."attendance_record_id" = "r"."id" AND "q"."status" = ANY ($${first + 1}::varchar[])
      WHERE "r"."session_id" = "s"."id" AND ${by === 'seat' ? '"r"."seat_id"' : '"r"."id"'} = $${first}`,
    order: '"w"."q_requested_at", "w"."q_id"',
    params: [key, OPEN],
    from: (tx, rows) => ({
      record: rows[0] ? entityColumns(tx, AttendanceRecord, 'r').from(rows[0]) : null,
      open: rows.map((row) => entityColumns(tx, SpeechRequest, 'q').from(row)).filter((request) => request !== null),
    }),
  };
}

/** The seat's holder is back in their own seat. */
function standDown(record: AttendanceRecord): void {
  if (record.capacity !== AttendanceCapacity.DEPUTY) return;
  record.capacity = AttendanceCapacity.HOLDER;
  record.personId = record.onBehalfOfId;
  record.onBehalfOfId = null;
}
