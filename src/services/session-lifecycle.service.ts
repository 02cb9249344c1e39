import type { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../auth/caller';
import { AgendaItem, AgendaItemStatus } from '../entities/agenda-item.entity';
import { AttendanceCapacity, AttendanceRecord, AttendanceStatus } from '../entities/attendance-record.entity';
import { Body } from '../entities/body.entity';
import { Person } from '../entities/person.entity';
import { Seat } from '../entities/seat.entity';
import { SessionEventKind } from '../entities/session-event.entity';
import { Session, SessionKind, SessionStatus } from '../entities/session.entity';
import type { SpeechRequest } from '../entities/speech-request.entity';
import { Term } from '../entities/term.entity';
import { Vote, VoteStatus } from '../entities/vote.entity';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import { keyOf, requireKeyOf } from '../schema/global-id';
import type { ScheduleSessionInput, UpdateSessionInput, VenueInput } from '../schema/session.inputs';
import { saveLoaded } from './session-changes.service';
import type { SessionChanges } from './session-changes.service';
import { endFloorOf } from './floor.service';
import { optionalText, requiredText } from '../validation/text';

/**
 * The life of a session: SCHEDULED -> IN_PROGRESS <-> SUSPENDED -> CLOSED,
 * or SCHEDULED -> CANCELLED. Nothing else; a closed or cancelled session is
 * on the record and stays as it is.
 */
const TRANSITIONS: Record<string, { from: SessionStatus[]; to: SessionStatus; kind: SessionEventKind }> = {
  open: { from: [SessionStatus.SCHEDULED], to: SessionStatus.IN_PROGRESS, kind: SessionEventKind.SESSION_OPENED },
  suspend: { from: [SessionStatus.IN_PROGRESS], to: SessionStatus.SUSPENDED, kind: SessionEventKind.SESSION_SUSPENDED },
  resume: { from: [SessionStatus.SUSPENDED], to: SessionStatus.IN_PROGRESS, kind: SessionEventKind.SESSION_RESUMED },
  close: {
    from: [SessionStatus.IN_PROGRESS, SessionStatus.SUSPENDED],
    to: SessionStatus.CLOSED,
    kind: SessionEventKind.SESSION_CLOSED,
  },
  cancel: { from: [SessionStatus.SCHEDULED], to: SessionStatus.CANCELLED, kind: SessionEventKind.SESSION_CANCELLED },
};

export type Transition = 'open' | 'suspend' | 'resume' | 'close' | 'cancel';

export class SessionLifecycleService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly changes: SessionChanges,
  ) {}

  /** A new session, with an EXPECTED attendance record for every seat of its body. */
  async schedule(caller: Caller | null, input: ScheduleSessionInput): Promise<Session> {
    const bodyId = requireKeyOf(input.bodyId, 'Body', 'input.bodyId');
    const body = await this.dataSource.getRepository(Body).findOneBy({ id: bodyId });
    if (!body) throw new NotFoundError('body', input.bodyId);
    const term = await this.dataSource.getRepository(Term).findOneBy({ number: input.termNumber });
    if (!term)
      throw new BadUserInputError('input.termNumber', `input.termNumber: there is no term ${input.termNumber}.`);
    if (input.number != null && (!Number.isInteger(input.number) || input.number < 1)) {
      throw new BadUserInputError('input.number', 'input.number must be 1 or more.');
    }
    const title = requiredText(input.title, 'input.title');
    const venue = venueOf(input.venue, 'input.venue');
    const description = optionalText(input.description, 'input.description', 10_000) ?? null;
    const chairId = await this.chairId(input.chairId, 'input.chairId');

    return this.changes.create(caller, bodyId, async (tx) => {
      // Numbering within a body's term is serialised by locking the body row.
      await tx.query('SELECT id FROM body WHERE id = $1 FOR UPDATE', [bodyId]);
      const number =
        input.number ??
        Number(
          (
            (await tx.query(
              'SELECT coalesce(max(number), 0) + 1 AS next FROM session WHERE body_id = $1 AND term_id = $2',
              [bodyId, term.id],
            )) as { next: number }[]
          )[0]!.next,
        );
      const taken = await tx.getRepository(Session).existsBy({ bodyId, termId: term.id, number });
      if (taken)
        throw new ConflictError(`${body.name} already has a session number ${number} in term ${term.numeral}.`);
      const session = await tx.getRepository(Session).save(
        tx.getRepository(Session).create({
          bodyId,
          termId: term.id,
          number,
          title,
          kind: input.kind ?? SessionKind.ORDINARY,
          status: SessionStatus.SCHEDULED,
          scheduledAt: input.scheduledAt,
          venue: { name: venue?.name ?? null, address: venue?.address ?? null },
          chairId,
          description,
          lastSequence: 0,
        }),
      );
      await this.createExpectedAttendance(tx, session, term.id);
      return { session, result: session };
    });
  }

  async update(caller: Caller | null, input: UpdateSessionInput): Promise<Session> {
    const id = keyOf(input.id, 'Session', 'input.id');
    const title = input.title == null ? undefined : requiredText(input.title, 'input.title');
    const venue = input.venue === undefined ? undefined : venueOf(input.venue, 'input.venue');
    const description = optionalText(input.description, 'input.description', 10_000);
    const chairId = input.chairId === undefined ? undefined : await this.chairId(input.chairId, 'input.chairId');
    return this.changes.change(caller, id, async (tx, session) => {
      if (session.status === SessionStatus.CLOSED || session.status === SessionStatus.CANCELLED) {
        throw new ConflictError(`The session is ${session.status}; a closed or cancelled session stays as it was.`);
      }
      if (title !== undefined) session.title = title;
      if (input.scheduledAt != null) session.scheduledAt = input.scheduledAt;
      if (venue !== undefined) session.venue = { name: venue?.name ?? null, address: venue?.address ?? null };
      if (description !== undefined) session.description = description;
      if (chairId !== undefined) session.chairId = chairId;
      await saveLoaded(tx, Session, session);
      return { result: session, kind: SessionEventKind.SESSION_UPDATED };
    });
  }

  async transition(
    caller: Caller | null,
    id: string,
    transition: Transition,
    reason?: string | null,
  ): Promise<Session> {
    const key = keyOf(id, 'Session', 'id');
    const rule = TRANSITIONS[transition]!;
    const cancellationReason = transition === 'cancel' ? optionalText(reason, 'reason', 2000) : undefined;
    return this.changes.change(caller, key, async (tx, session) => {
      if (!rule.from.includes(session.status)) {
        throw new ConflictError(
          `Cannot ${transition} a session that is ${session.status}: only from ${rule.from.join(' or ')} to ${rule.to}.`,
        );
      }
      const now = new Date();
      let speeches: SpeechRequest[] = [];
      if (transition === 'close') {
        const running = await tx
          .getRepository(AgendaItem)
          .findOneBy({ sessionId: session.id, status: AgendaItemStatus.IN_PROGRESS });
        if (running) {
          throw new ConflictError(
            `Agenda item ${running.position} ("${running.title}") is still in progress; finish it before closing the session.`,
          );
        }
        const voting = await tx.getRepository(Vote).findOneBy({ sessionId: session.id, status: VoteStatus.VOTING });
        if (voting) {
          throw new ConflictError(
            `Vote ${voting.nodeId} ("${voting.subject}") is under way; close or annul it before closing the session.`,
          );
        }
        session.endedAt = now;
        speeches = await endFloorOf(tx, session.id, now);
      }
      if (transition === 'open') session.startedAt = now;
      if (cancellationReason !== undefined) session.cancellationReason = cancellationReason;
      session.status = rule.to;
      await saveLoaded(tx, Session, session);
      return { result: session, kind: rule.kind, speeches };
    });
  }

  private async chairId(id: string | null | undefined, argumentName: string): Promise<number | null> {
    if (id == null) return null;
    const key = requireKeyOf(id, 'Person', argumentName);
    if (!(await this.dataSource.getRepository(Person).existsBy({ id: key }))) throw new NotFoundError('person', id);
    return key;
  }

  private async createExpectedAttendance(tx: EntityManager, session: Session, termId: number): Promise<void> {
    const seats = await tx.getRepository(Seat).find({ where: { bodyId: session.bodyId }, order: { position: 'ASC' } });
    if (seats.length === 0) return;
    const holders = (await tx.query(
      'SELECT DISTINCT ON (seat_id) seat_id, person_id FROM mandate WHERE term_id = $1 AND seat_id = ANY($2::int[]) ORDER BY seat_id, id DESC',
      [termId, seats.map((seat) => seat.id)],
    )) as { seat_id: number; person_id: number }[];
    const holderOf = new Map(holders.map((row) => [row.seat_id, row.person_id]));
    await tx.getRepository(AttendanceRecord).insert(
      seats.map((seat) => ({
        sessionId: session.id,
        seatId: seat.id,
        personId: holderOf.get(seat.id) ?? null,
        label: seat.label,
        districtId: seat.districtId,
        status: AttendanceStatus.EXPECTED,
        countsTowardQuorum: seat.countsTowardQuorum,
        capacity: AttendanceCapacity.HOLDER,
      })),
    );
  }
}

function venueOf(venue: VenueInput | null | undefined, argumentName: string): { name: string; address: string } | null {
  if (!venue) return null;
  return {
    name: requiredText(venue.name, `${argumentName}.name`, 300),
    address: requiredText(venue.address, `${argumentName}.address`, 300),
  };
}
