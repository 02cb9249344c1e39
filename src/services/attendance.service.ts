import type { Caller } from '../auth/caller';
import {
  AttendanceCapacity,
  AttendanceMode,
  AttendanceRecord,
  AttendanceStatus,
} from '../entities/attendance-record.entity';
import { SessionEventKind } from '../entities/session-event.entity';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import type { InviteGuestInput, RecordAttendanceInput } from '../schema/attendance.inputs';
import { keyOf, requireKeyOf } from '../schema/global-id';
import { assertStillOpen } from './session-changes.service';
import type { SessionChanges } from './session-changes.service';
import { optionalText, requiredText } from '../validation/text';
import { assertVersion } from './expected-version.rules';
import { endRequestsOf } from './floor.service';

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
    return this.changes.change(caller, sessionId, async (tx, session) => {
      assertStillOpen(session, 'attendance list');
      const repository = tx.getRepository(AttendanceRecord);
      const record = await repository.findOneBy(
        seatId !== null ? { sessionId: session.id, seatId } : { sessionId: session.id, id: recordId! },
      );
      if (!record) {
        throw new NotFoundError(
          seatId !== null ? 'attendance record for that seat in this session' : 'attendance record in this session',
          (seatId !== null ? input.seatId : input.recordId)!,
        );
      }
      assertVersion('attendance record', record.version, input.expectedVersion);
      const now = new Date();
      if (input.status === AttendanceStatus.LEFT && record.status !== AttendanceStatus.PRESENT) {
        throw new ConflictError(`Only someone PRESENT can leave; this record is ${record.status}.`);
      }
      if (input.status === AttendanceStatus.PRESENT && record.status !== AttendanceStatus.PRESENT) {
        record.arrivedAt = now;
        record.leftAt = null;
      }
      if (input.status === AttendanceStatus.LEFT) record.leftAt = now;
      if (input.mode != null) record.mode = input.mode;
      else if (input.status === AttendanceStatus.PRESENT && record.mode === null)
        record.mode = AttendanceMode.IN_PERSON;
      record.status = input.status;
      record.version += 1;
      await repository.save(record);
      // Whoever is no longer present gives up the floor, on the record of this same change.
      const speeches = record.status === AttendanceStatus.PRESENT ? [] : await endRequestsOf(tx, record.id, now);
      return { result: record, kind: SessionEventKind.ATTENDANCE_RECORDED, attendance: record, speeches };
    });
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
