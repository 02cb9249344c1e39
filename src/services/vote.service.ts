import type { EntityManager } from 'typeorm';
import { assertAuthenticated } from '../auth/permissions';
import type { Caller } from '../auth/caller';
import { AttendanceRecord, AttendanceStatus } from '../entities/attendance-record.entity';
import type { AttendanceCapacity } from '../entities/attendance-record.entity';
import { Ballot } from '../entities/ballot.entity';
import { SessionEventKind } from '../entities/session-event.entity';
import { SessionStatus } from '../entities/session.entity';
import type { Session } from '../entities/session.entity';
import { MajorityRule, Vote, VoteSecrecy, VoteStatus } from '../entities/vote.entity';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import type { CastBallotInput, OpenVoteInput, RecordVoteCountsInput } from '../schema/vote.inputs';
import { keyOf, requireKeyOf, toGlobalId } from '../schema/global-id';
import { requiredText } from '../validation/text';
import { itemOfChangeSql } from './agenda.service';
import { quorumFrom } from './quorum.rules';
import { assertStillOpen, saveLoaded } from './session-changes.service';
import type { ChangeOutcome, SessionChanges } from './session-changes.service';
import { voteResult } from './vote.rules';

/**
 * Votes (głosowania): opened while the session is in progress, one at a time,
 * with the quorum and the seats that may vote fixed at the opening. OPEN votes
 * keep a named list of ballots; SECRET votes keep only the tellers' counts:
 * no row, event or log line anywhere says who voted how in secret.
 */
export class VoteService {
  constructor(private readonly changes: SessionChanges) {}

  async open(caller: Caller | null, input: OpenVoteInput): Promise<Vote> {
    const sessionId = keyOf(input.sessionId, 'Session', 'input.sessionId');
    const subject = requiredText(input.subject, 'input.subject', 2000);
    // An id of another type names no item of this session: refused below like an unknown one.
    const itemKey =
      input.agendaItemId == null ? undefined : keyOf(input.agendaItemId, 'AgendaItem', 'input.agendaItemId');
    const secrecy = input.secrecy ?? VoteSecrecy.OPEN;
    const majority = input.majority ?? MajorityRule.SIMPLE;
    return this.changes.change(caller, sessionId, async (tx, session, body) => {
      if (session.status !== SessionStatus.IN_PROGRESS) {
        throw new ConflictError(`A vote can be opened only while the session is IN_PROGRESS; it is ${session.status}.`);
      }
      // One statement: the vote under way if any, the item the vote is on, and the quorum now.
      const item = itemOfChangeSql(itemKey, '$1', '$2');
      const [now] = (await tx.query(
        `WITH u AS (SELECT id, subject FROM vote WHERE session_id = $1 AND status = '${VoteStatus.VOTING}' LIMIT 1)
         SELECT (SELECT id FROM u) AS "underWayId", (SELECT subject FROM u) AS "underWaySubject", ${item} AS "itemId",
                (count(*) FILTER (WHERE counts_toward_quorum))::int AS seats,
                (count(*) FILTER (WHERE counts_toward_quorum AND status = '${AttendanceStatus.PRESENT}'))::int AS present
           FROM attendance_record WHERE session_id = $1`,
        itemKey == null ? [session.id] : [session.id, itemKey],
      )) as {
        underWayId: number | null;
        underWaySubject: string;
        itemId: number | null;
        seats: number;
        present: number;
      }[];
      if (now!.underWayId !== null) {
        throw new ConflictError(
          `Vote ${toGlobalId('Vote', now!.underWayId)} ("${now!.underWaySubject}") is under way; close or annul it before opening another.`,
        );
      }
      if (itemKey !== undefined && now!.itemId === null) {
        throw new BadUserInputError(
          'input.agendaItemId',
          `input.agendaItemId: "${input.agendaItemId}" is not an item of this session's agenda.`,
        );
      }
      const agendaItemId = now!.itemId;
      const quorum = quorumFrom(body.quorumRule, now!.seats, now!.present);
      const vote = tx.getRepository(Vote).create({
        sessionId: session.id,
        agendaItemId,
        subject,
        secrecy,
        majority,
        status: VoteStatus.VOTING,
        openedAt: new Date(),
        closedAt: null,
        quorumSeats: quorum.seats,
        quorumPresent: quorum.present,
        quorumRequired: quorum.required,
        quorumReached: quorum.reached,
        countFor: 0,
        countAgainst: 0,
        countAbstain: 0,
        countsRecorded: false,
        result: null,
        annulmentReason: null,
      });
      // The vote and, for an OPEN vote, its named list in one statement: one line for each member's seat present
      // now, whoever holds it (holder or deputy).
      const [insert, values] = tx
        .createQueryBuilder()
        .insert()
        .into(Vote)
        .values(vote)
        .returning('id')
        .updateEntity(false)
        .getQueryAndParameters();
      const n = values.length;
      const [inserted] = (await tx.query(
        `WITH v AS (${insert}),
         b AS (INSERT INTO ballot (vote_id, seat_id, seat_position, person_id, capacity)
               SELECT v.id, r.seat_id, s.position, r.person_id, r.capacity
                 FROM v, attendance_record r JOIN seat s ON s.id = r.seat_id
                WHERE $${n + 1}::boolean AND r.session_id = $${n + 2} AND r.counts_toward_quorum AND r.status = $${n + 3})
         SELECT v.id FROM v`,
        [...values, secrecy === VoteSecrecy.OPEN, session.id, AttendanceStatus.PRESENT],
      )) as { id: number }[];
      vote.id = inserted!.id;
      return { result: vote, kind: SessionEventKind.VOTE_OPENED, vote };
    });
  }

  async cast(caller: Caller | null, input: CastBallotInput): Promise<Vote> {
    const seatId = requireKeyOf(input.seatId, 'Seat', 'input.seatId');
    return this.onVote(
      caller,
      input.voteId,
      'input.voteId',
      async (tx, _session, vote, seat) => {
        if (vote.secrecy === VoteSecrecy.SECRET) {
          // Said without the seat or the choice: a refused secret ballot leaves no trace either.
          throw new BadUserInputError(
            'input.voteId',
            'This is a SECRET vote: no ballot is recorded for any seat. The tellers count the votes; give their counts with recordVoteCounts.',
          );
        }
        assertVoting(vote, 'cast a ballot in');
        const ballot = seat!.ballot;
        if (!ballot) {
          throw new ConflictError(
            `Seat ${input.seatId} may not vote in vote ${vote.nodeId}: only the members' seats present when voting opened may.`,
          );
        }
        // Whoever holds the seat's place now casts its ballot: the holder, or a deputy attending for them.
        if (seat!.holder) {
          ballot.personId = seat!.holder.personId;
          ballot.capacity = seat!.holder.capacity;
        }
        ballot.option = input.option;
        ballot.castAt = new Date();
        // The ballot and the vote's counts in one statement: the counts see the other ballots as they were, and this one.
        const [[counts]] = (await tx.query(
          `WITH cast_ballot AS (UPDATE ballot SET person_id = $3, capacity = $4, option = $5, cast_at = $6 WHERE id = $2)
         UPDATE vote v SET count_for = c.f, count_against = c.a, count_abstain = c.s
           FROM (SELECT count(*) FILTER (WHERE o = 'FOR')::int AS f,
                        count(*) FILTER (WHERE o = 'AGAINST')::int AS a,
                        count(*) FILTER (WHERE o = 'ABSTAIN')::int AS s
                   FROM (SELECT option AS o FROM ballot WHERE vote_id = $1 AND id <> $2 UNION ALL SELECT $5::varchar) x) c
          WHERE v.id = $1
          RETURNING v.count_for AS f, v.count_against AS a, v.count_abstain AS s`,
          [vote.id, ballot.id, ballot.personId, ballot.capacity, ballot.option, ballot.castAt],
        )) as [[{ f: number; a: number; s: number }], number];
        vote.countFor = counts.f;
        vote.countAgainst = counts.a;
        vote.countAbstain = counts.s;
        return { result: vote, kind: SessionEventKind.BALLOT_CAST, vote, ballot };
      },
      seatId,
    );
  }

  async recordCounts(caller: Caller | null, input: RecordVoteCountsInput): Promise<Vote> {
    return this.onVote(caller, input.voteId, 'input.voteId', async (tx, _session, vote) => {
      if (vote.secrecy === VoteSecrecy.OPEN) {
        throw new BadUserInputError(
          'input.voteId',
          'This is an OPEN vote: its counts come from the ballots cast (castBallot), not from tellers.',
        );
      }
      assertVoting(vote, 'record the counts of');
      for (const field of ['for', 'against', 'abstain'] as const) {
        if (input[field] < 0) {
          throw new BadUserInputError(`input.${field}`, `input.${field} must be 0 or more; got ${input[field]}.`);
        }
      }
      const sum = input.for + input.against + input.abstain;
      if (sum > vote.quorumPresent) {
        throw new BadUserInputError(
          'input',
          `The counts add up to ${sum} votes, but only ${vote.quorumPresent} seats were present when voting opened.`,
        );
      }
      vote.countFor = input.for;
      vote.countAgainst = input.against;
      vote.countAbstain = input.abstain;
      vote.countsRecorded = true;
      await saveLoaded(tx, Vote, vote);
      return { result: vote, kind: SessionEventKind.VOTE_COUNTS_RECORDED, vote };
    });
  }

  async close(caller: Caller | null, id: string): Promise<Vote> {
    return this.onVote(caller, id, 'id', async (tx, _session, vote) => {
      assertVoting(vote, 'close');
      if (vote.secrecy === VoteSecrecy.SECRET && !vote.countsRecorded) {
        throw new ConflictError(
          "This SECRET vote has no counts yet: record the tellers' counts first (recordVoteCounts), then close it.",
        );
      }
      vote.result = voteResult({
        quorumReached: vote.quorumReached,
        seats: vote.quorumSeats,
        present: vote.quorumPresent,
        countFor: vote.countFor,
        countAgainst: vote.countAgainst,
        majority: vote.majority,
      });
      vote.status = VoteStatus.CLOSED;
      vote.closedAt = new Date();
      await saveLoaded(tx, Vote, vote);
      return { result: vote, kind: SessionEventKind.VOTE_CLOSED, vote };
    });
  }

  /** Declared void: the counts and the result stay on the record, with the reason. */
  async annul(caller: Caller | null, id: string, reason: string): Promise<Vote> {
    const annulmentReason = requiredText(reason, 'reason', 2000);
    return this.onVote(caller, id, 'id', async (tx, session, vote) => {
      assertStillOpen(session, 'votes');
      if (vote.status === VoteStatus.ANNULLED) {
        throw new ConflictError(`Vote ${vote.nodeId} is already ANNULLED.`);
      }
      vote.status = VoteStatus.ANNULLED;
      vote.annulmentReason = annulmentReason;
      vote.closedAt ??= new Date();
      await saveLoaded(tx, Vote, vote);
      return { result: vote, kind: SessionEventKind.VOTE_ANNULLED, vote };
    });
  }

  /**
   * Locks the vote's session (found through the vote), re-reads the vote under the lock and changes it. With a
   * seat (castBallot), the same statement reads the seat's ballot line and who holds the seat's place now.
   */
  private async onVote(
    caller: Caller | null,
    id: string,
    argumentName: string,
    work: (tx: EntityManager, session: Session, vote: Vote, seat?: SeatNow) => Promise<ChangeOutcome<Vote>>,
    seatId?: number,
  ): Promise<Vote> {
    assertAuthenticated(caller);
    const key = keyOf(id, 'Vote', argumentName);
    const missing = new NotFoundError('vote', id);
    return this.changes.change(caller, { table: 'vote', key, missing }, async (tx, session) => {
      const query = tx.getRepository(Vote).createQueryBuilder('v').where('v.id = :key', { key });
      if (seatId !== undefined) {
        query
          .leftJoinAndMapOne('v.seatBallot', Ballot, 'b', 'b.voteId = v.id AND b.seatId = :seatId', { seatId })
          .leftJoin(AttendanceRecord, 'r', 'r.sessionId = v.sessionId AND r.seatId = :seatId')
          .addSelect('r.id', 'holder_id')
          .addSelect('r.personId', 'holder_person_id')
          .addSelect('r.capacity', 'holder_capacity');
      }
      const { entities, raw } = await query.getRawAndEntities<{
        holder_id: number | null;
        holder_person_id: number | null;
        holder_capacity: AttendanceCapacity;
      }>();
      const vote = entities[0] as (Vote & { seatBallot?: Ballot | null }) | undefined;
      if (!vote) throw missing;
      if (seatId === undefined) return work(tx, session, vote);
      const ballot = vote.seatBallot ?? null;
      delete vote.seatBallot;
      const row = raw[0]!;
      const holder = row.holder_id === null ? null : { personId: row.holder_person_id, capacity: row.holder_capacity };
      return work(tx, session, vote, { ballot, holder });
    });
  }
}

/** castBallot's seat: its line of the named list, if it has one, and who holds the seat's place now, if anyone. */
interface SeatNow {
  readonly ballot: Ballot | null;
  readonly holder: { readonly personId: number | null; readonly capacity: AttendanceCapacity } | null;
}

function assertVoting(vote: Vote, what: string): void {
  if (vote.status !== VoteStatus.VOTING) {
    throw new ConflictError(`Cannot ${what} vote ${toGlobalId('Vote', vote.id)}: it is ${vote.status}, not VOTING.`);
  }
}
