import {
  AnnulVoteDocument,
  CastBallotDocument,
  CloseSessionDocument,
  CloseVoteDocument,
  FinishAgendaItemDocument,
  OpenVoteDocument,
  RecordAttendanceDocument,
  RecordVoteCountsDocument,
  SessionEventsDocument,
  SessionVotesDocument,
} from '../generated/graphql';
import type { DecidedVoteFragment, MajorityRule, SessionVotesQuery, VoteOption } from '../generated/graphql';
import {
  bearer,
  codes,
  collect,
  conventionOf,
  gid,
  keyOf,
  post,
  query,
  scheduleSession,
  sql,
  startTestServer,
  token,
  unchangedBy,
  waitFor,
  wsClient,
} from '../support';
import type { GraphQLResponse, TestServer } from '../support';
import { sittingOf } from './votes-sitting';

/**
 * Votes through the API, at the Convention (36 members' seats, quorum: at
 * least half, i.e. 18): opening with the quorum and the seats that may vote
 * fixed, the named list of an OPEN vote, the tellers' counts of a SECRET one,
 * the result by each majority rule, annulment, and the events of it all.
 */
let server: TestServer;
let admin: string;
let seats: string[];
let bodyGid: string;

beforeAll(async () => {
  server = await startTestServer();
  admin = await token('ADMIN');
  const convention = await conventionOf(server);
  bodyGid = convention.bodyGid;
  seats = convention.seatIds.map((id) => gid('Seat', id));
});
afterAll(() => server?.stop());

const as = () => bearer(admin);

/** A sitting of the Convention with an item in progress (unless told not) and the first `present` seats present. */
const sitting = (present: number, options: { startItem?: boolean } = {}) =>
  sittingOf(server, admin, { bodyGid, seats }, present, options);

async function openVote(
  sessionId: string,
  extra: { secrecy?: 'OPEN' | 'SECRET'; majority?: MajorityRule; agendaItemId?: string } = {},
): Promise<DecidedVoteFragment> {
  return (
    await query(
      server.url,
      OpenVoteDocument,
      { input: { sessionId, subject: 'Czy Konwent opiniuje?', ...extra } },
      as(),
    )
  ).openVote;
}

const cast = (voteId: string, seat: number, option: VoteOption) =>
  post(server.url, CastBallotDocument, { input: { voteId, seatId: seats[seat]!, option } }, as());

async function castAll(voteId: string, options: VoteOption[]): Promise<DecidedVoteFragment> {
  let last: DecidedVoteFragment | undefined;
  for (const [seat, option] of options.entries()) {
    const result = await cast(voteId, seat, option);
    expect(result.errors).toBeUndefined();
    last = result.data!.castBallot;
  }
  return last!;
}

const closeVote = async (id: string) => (await query(server.url, CloseVoteDocument, { id }, as())).closeVote;

/** Refused with this code and a message matching; with nothing changed anywhere. */
async function refused(
  attempt: () => Promise<GraphQLResponse<unknown>>,
  code: string,
  message: RegExp,
): Promise<GraphQLResponse<unknown>> {
  const result = await unchangedBy(server, attempt);
  expect(codes(result)).toEqual([code]);
  expect(result.errors![0]!.message).toMatch(message);
  return result;
}

const times = <T extends VoteOption | null>(n: number, option: T): T[] => Array.from({ length: n }, () => option);

type SessionVotes = Extract<SessionVotesQuery['node'], { votes: unknown }>;
/** The session's votes and events, read back. */
const readSession = async (id: string): Promise<SessionVotes> =>
  (await query(server.url, SessionVotesDocument, { id })).node as SessionVotes;

describe('openVote', () => {
  it('takes the quorum as it stands and lists the seats present, in seat order, with no choice yet', async () => {
    const { sessionId, itemId } = await sitting(20);
    const vote = await openVote(sessionId);
    expect(vote).toMatchObject({
      status: 'VOTING',
      result: null,
      secrecy: 'OPEN',
      majority: 'SIMPLE',
      subject: 'Czy Konwent opiniuje?',
      closedAt: null,
      agendaItem: { id: itemId },
      quorum: { seats: 36, present: 20, required: 18, reached: true },
      counts: { for: 0, against: 0, abstain: 0, notVoting: 20 },
    });
    expect(vote.ballots.map((b) => b.seat.id)).toEqual(seats.slice(0, 20));
    expect(vote.ballots.every((b) => b.option === null && b.castAt === null && b.capacity === 'HOLDER')).toBe(true);
    const holders = await sql<{ person_id: number | null }>(
      server,
      'SELECT person_id FROM attendance_record WHERE session_id = $1 AND seat_id = ANY($2::int[]) ORDER BY seat_id',
      [keyOf(sessionId), seats.slice(0, 20).map(keyOf)],
    );
    const byBallot = [...vote.ballots].sort((a, b) => keyOf(a.seat.id) - keyOf(b.seat.id));
    expect(byBallot.map((b) => (b.person ? keyOf(b.person.id) : null))).toEqual(holders.map((h) => h.person_id));
  });

  it('is refused unless the session is IN_PROGRESS, saying its status', async () => {
    const sessionId = await scheduleSession(server, admin, bodyGid);
    await refused(
      () => post(server.url, OpenVoteDocument, { input: { sessionId, subject: 'Wniosek' } }, as()),
      'CONFLICT',
      /only while the session is IN_PROGRESS; it is SCHEDULED/,
    );
  });

  it('allows one vote at a time, naming the vote under way', async () => {
    const { sessionId } = await sitting(18);
    const first = await openVote(sessionId);
    await refused(
      () => post(server.url, OpenVoteDocument, { input: { sessionId, subject: 'Drugi wniosek' } }, as()),
      'CONFLICT',
      new RegExp(`Vote ${first.id} \\("Czy Konwent opiniuje\\?"\\) is under way`),
    );
    await closeVote(first.id);
    expect((await openVote(sessionId)).status).toBe('VOTING');
  });

  it('is on the item named, which must be of this session; without one, on none when no item is in progress', async () => {
    const { sessionId, itemId } = await sitting(2, { startItem: false });
    const other = await sitting(0);
    await refused(
      () =>
        post(
          server.url,
          OpenVoteDocument,
          { input: { sessionId, subject: 'Wniosek', agendaItemId: other.itemId } },
          as(),
        ),
      'BAD_USER_INPUT',
      /^input\.agendaItemId: ".+" is not an item of this session's agenda\.$/,
    );
    const none = await openVote(sessionId);
    expect(none.agendaItem).toBeNull();
    await closeVote(none.id);
    expect((await openVote(sessionId, { agendaItemId: itemId })).agendaItem).toEqual({ id: itemId });
  });

  it('refuses an empty subject, naming it', async () => {
    const { sessionId } = await sitting(0);
    const result = await refused(
      () => post(server.url, OpenVoteDocument, { input: { sessionId, subject: '   ' } }, as()),
      'BAD_USER_INPUT',
      /^input\.subject must not be empty\.$/,
    );
    expect(result.errors![0]!.extensions!.argumentName).toBe('input.subject');
  });
});

describe('castBallot', () => {
  it('records a choice, a second cast changes it, and the counts follow; the named list keeps non-voters null', async () => {
    const { sessionId } = await sitting(20);
    const vote = await openVote(sessionId);
    await castAll(vote.id, ['FOR', 'FOR', 'AGAINST', 'ABSTAIN']);
    const changed = (await cast(vote.id, 1, 'AGAINST')).data!.castBallot;
    expect(changed.counts).toEqual({ for: 1, against: 2, abstain: 1, notVoting: 16 });
    expect(changed.ballots.map((b) => b.option)).toEqual(['FOR', 'AGAINST', 'AGAINST', 'ABSTAIN', ...times(16, null)]);
    expect(changed.ballots.slice(0, 4).every((b) => b.castAt !== null)).toBe(true);
    const [row] = await sql<{ f: number; a: number; s: number }>(
      server,
      'SELECT count_for AS f, count_against AS a, count_abstain AS s FROM vote WHERE id = $1',
      [keyOf(vote.id)],
    );
    expect(row).toEqual({ f: 1, a: 2, s: 1 });
  });

  it('refuses a seat not present when voting opened, even if it arrives later', async () => {
    const { sessionId } = await sitting(20);
    const vote = await openVote(sessionId);
    await query(
      server.url,
      RecordAttendanceDocument,
      { input: { sessionId, seatId: seats[25]!, status: 'PRESENT' } },
      as(),
    );
    await refused(
      () => cast(vote.id, 25, 'FOR'),
      'CONFLICT',
      /may not vote in vote .+: only the members' seats present when voting opened may\./,
    );
  });

  it('refuses a seat of another body, and a vote that does not exist', async () => {
    const { sessionId } = await sitting(20);
    const vote = await openVote(sessionId);
    const [foreign] = await sql<{ id: number }>(
      server,
      "SELECT s.id FROM seat s JOIN body b ON b.id = s.body_id WHERE b.kind = 'DISTRICT_COUNCIL' LIMIT 1",
    );
    await refused(
      () =>
        post(
          server.url,
          CastBallotDocument,
          { input: { voteId: vote.id, seatId: gid('Seat', foreign!.id), option: 'FOR' } },
          as(),
        ),
      'CONFLICT',
      /may not vote/,
    );
    await refused(
      () =>
        post(
          server.url,
          CastBallotDocument,
          { input: { voteId: gid('Vote', 999999), seatId: seats[0]!, option: 'FOR' } },
          as(),
        ),
      'NOT_FOUND',
      /^No vote with id .+\.$/,
    );
  });

  it('is refused once the vote is closed, and the counts stay', async () => {
    const { sessionId } = await sitting(20);
    const vote = await openVote(sessionId);
    await castAll(vote.id, ['FOR']);
    await closeVote(vote.id);
    await refused(() => cast(vote.id, 1, 'AGAINST'), 'CONFLICT', /it is CLOSED, not VOTING/);
  });

  it('in a SECRET vote is BAD_USER_INPUT, pointing at recordVoteCounts', async () => {
    const { sessionId } = await sitting(20);
    const vote = await openVote(sessionId, { secrecy: 'SECRET' });
    expect(vote.ballots).toEqual([]);
    const result = await refused(() => cast(vote.id, 0, 'FOR'), 'BAD_USER_INPUT', /SECRET vote.+recordVoteCounts/);
    expect(result.errors![0]!.extensions!.argumentName).toBe('input.voteId');
  });

  it('is open to the clerk of the body, not to a clerk of another', async () => {
    const { sessionId } = await sitting(20);
    const vote = await openVote(sessionId);
    const clerk = await token('CLERK', { bodyIds: [bodyGid] });
    const [other] = await sql<{ id: number }>(server, "SELECT id FROM body WHERE kind = 'DISTRICT_COUNCIL' LIMIT 1");
    const stranger = await token('CLERK', { bodyIds: [gid('Body', other!.id)] });
    const input = { voteId: vote.id, seatId: seats[0]!, option: 'FOR' as const };
    await unchangedBy(server, async () => {
      expect(codes(await post(server.url, CastBallotDocument, { input }, bearer(stranger)))).toEqual(['FORBIDDEN']);
    });
    const done = await query(server.url, CastBallotDocument, { input }, bearer(clerk));
    expect(done.castBallot.counts.for).toBe(1);
  });

  it("shows a deputy's ballot with capacity DEPUTY and the deputy as the one who cast it", async () => {
    const { sessionId } = await sitting(20);
    const [deputy] = await sql<{ id: number }>(
      server,
      "INSERT INTO person (full_name) VALUES ('Jan Zastępca') RETURNING id",
    );
    await sql(
      server,
      `UPDATE attendance_record SET capacity = 'DEPUTY', on_behalf_of_id = person_id, person_id = $3
       WHERE session_id = $1 AND seat_id = $2`,
      [keyOf(sessionId), keyOf(seats[3]!), deputy!.id],
    );
    const vote = await openVote(sessionId);
    expect(vote.ballots[3]).toMatchObject({ capacity: 'DEPUTY', person: { fullName: 'Jan Zastępca' } });
    const cast4 = (await cast(vote.id, 3, 'ABSTAIN')).data!.castBallot;
    expect(cast4.ballots[3]).toMatchObject({
      seat: { id: seats[3] },
      capacity: 'DEPUTY',
      person: { id: gid('Person', deputy!.id), fullName: 'Jan Zastępca' },
      option: 'ABSTAIN',
    });
    expect(cast4.ballots[2]).toMatchObject({ capacity: 'HOLDER', option: null });
  });
});

describe('recordVoteCounts', () => {
  it("records the tellers' counts of a SECRET vote, which may be corrected until the close", async () => {
    const { sessionId } = await sitting(20);
    const vote = await openVote(sessionId, { secrecy: 'SECRET' });
    await refused(
      () => post(server.url, CloseVoteDocument, { id: vote.id }, as()),
      'CONFLICT',
      /record the tellers' counts first/,
    );
    const first = await query(
      server.url,
      RecordVoteCountsDocument,
      { input: { voteId: vote.id, for: 9, against: 9, abstain: 2 } },
      as(),
    );
    expect(first.recordVoteCounts.counts).toEqual({ for: 9, against: 9, abstain: 2, notVoting: 0 });
    await query(
      server.url,
      RecordVoteCountsDocument,
      { input: { voteId: vote.id, for: 10, against: 8, abstain: 1 } },
      as(),
    );
    const closed = await closeVote(vote.id);
    expect(closed).toMatchObject({ status: 'CLOSED', result: 'PASSED', ballots: [] });
    expect(closed.counts).toEqual({ for: 10, against: 8, abstain: 1, notVoting: 1 });
  });

  it('refuses more votes than seats present, negative counts, an OPEN vote and a closed one', async () => {
    const { sessionId } = await sitting(20);
    const secret = await openVote(sessionId, { secrecy: 'SECRET' });
    const counts = (extra: { for?: number; against?: number; abstain?: number }, voteId = secret.id) =>
      post(server.url, RecordVoteCountsDocument, { input: { voteId, for: 0, against: 0, abstain: 0, ...extra } }, as());
    await refused(
      () => counts({ for: 20, against: 17 }),
      'BAD_USER_INPUT',
      /^The counts add up to 37 votes, but only 20 seats were present when voting opened\.$/,
    );
    for (const field of ['for', 'against', 'abstain'] as const) {
      const result = await refused(
        () => counts({ [field]: -1 }),
        'BAD_USER_INPUT',
        new RegExp(`^input\\.${field} must be 0 or more`),
      );
      expect(result.errors![0]!.extensions!.argumentName).toBe(`input.${field}`);
    }
    await query(
      server.url,
      RecordVoteCountsDocument,
      { input: { voteId: secret.id, for: 1, against: 0, abstain: 0 } },
      as(),
    );
    await closeVote(secret.id);
    await refused(() => counts({ for: 2 }), 'CONFLICT', /it is CLOSED, not VOTING/);
    const open = await openVote(sessionId);
    await refused(
      () => counts({ for: 2 }, open.id),
      'BAD_USER_INPUT',
      /This is an OPEN vote: its counts come from the ballots/,
    );
  });
});

describe('closeVote', () => {
  /** Ballots: so many for, against and abstaining, in seat order. */
  const ballots = (f: number, a: number, s: number): VoteOption[] => [
    ...times(f, 'FOR'),
    ...times(a, 'AGAINST'),
    ...times(s, 'ABSTAIN'),
  ];
  it.each<[MajorityRule, number, number, number, string]>([
    ['SIMPLE', 3, 2, 10, 'PASSED'],
    ['SIMPLE', 5, 5, 0, 'REJECTED'],
    ['ABSOLUTE_OF_PRESENT', 11, 0, 0, 'PASSED'],
    ['ABSOLUTE_OF_PRESENT', 10, 1, 0, 'REJECTED'],
    ['ABSOLUTE_OF_SEATS', 19, 0, 0, 'PASSED'],
    ['ABSOLUTE_OF_SEATS', 18, 0, 0, 'REJECTED'],
  ])('%s with 20 of 36 present: %i for, %i against, %i abstaining is %s', async (majority, f, a, s, result) => {
    const options = ballots(f, a, s);
    const { sessionId } = await sitting(20);
    const vote = await openVote(sessionId, { majority });
    await castAll(vote.id, options);
    const closed = await closeVote(vote.id);
    expect(closed).toMatchObject({ status: 'CLOSED', majority, result });
    expect(closed.closedAt).not.toBeNull();
  });

  it('is NO_QUORUM when the quorum was missing at the opening, even if everyone present votes for', async () => {
    const { sessionId } = await sitting(17);
    const vote = await openVote(sessionId);
    expect(vote.quorum).toEqual({ seats: 36, present: 17, required: 18, reached: false });
    await castAll(vote.id, times(17, 'FOR'));
    // Seats arriving after the opening change nothing: the quorum is the one at the opening.
    await query(
      server.url,
      RecordAttendanceDocument,
      { input: { sessionId, seatId: seats[30]!, status: 'PRESENT' } },
      as(),
    );
    expect(await closeVote(vote.id)).toMatchObject({ result: 'NO_QUORUM', counts: { for: 17, notVoting: 0 } });
  });

  it('is refused for a vote no longer VOTING', async () => {
    const { sessionId } = await sitting(20);
    const vote = await openVote(sessionId);
    await closeVote(vote.id);
    await refused(
      () => post(server.url, CloseVoteDocument, { id: vote.id }, as()),
      'CONFLICT',
      /Cannot close vote .+: it is CLOSED, not VOTING/,
    );
  });
});

describe('annulVote', () => {
  it('declares a closed vote void and keeps its counts, result and the reason on the record', async () => {
    const { sessionId } = await sitting(20);
    const vote = await openVote(sessionId);
    await castAll(vote.id, ['FOR', 'FOR', 'AGAINST']);
    const closed = await closeVote(vote.id);
    const annulled = (await query(server.url, AnnulVoteDocument, { id: vote.id, reason: '  Błąd w liczeniu  ' }, as()))
      .annulVote;
    expect(annulled).toMatchObject({ status: 'ANNULLED', result: 'PASSED', closedAt: closed.closedAt });
    expect(annulled.counts).toEqual(closed.counts);
    expect(annulled.ballots).toEqual(closed.ballots);
    expect(await readSession(sessionId)).toMatchObject({
      votes: [{ status: 'ANNULLED', annulmentReason: 'Błąd w liczeniu' }],
    });
    await refused(
      () => post(server.url, AnnulVoteDocument, { id: vote.id, reason: 'Jeszcze raz' }, as()),
      'CONFLICT',
      /is already ANNULLED/,
    );
  });

  it('ends a vote under way, with no result, and needs a reason', async () => {
    const { sessionId } = await sitting(20);
    const vote = await openVote(sessionId);
    await castAll(vote.id, ['AGAINST']);
    await refused(
      () => post(server.url, AnnulVoteDocument, { id: vote.id, reason: '' }, as()),
      'BAD_USER_INPUT',
      /^reason must not be empty\.$/,
    );
    const annulled = (await query(server.url, AnnulVoteDocument, { id: vote.id, reason: 'Awaria' }, as())).annulVote;
    expect(annulled).toMatchObject({ status: 'ANNULLED', result: null, counts: { against: 1, notVoting: 19 } });
    expect(annulled.closedAt).not.toBeNull();
    // No longer under way: another may open.
    expect((await openVote(sessionId)).status).toBe('VOTING');
  });
});

describe('the session', () => {
  it('cannot close with a vote under way; it can once the vote is closed', async () => {
    const { sessionId, itemId } = await sitting(20);
    await query(server.url, FinishAgendaItemDocument, { id: itemId, status: 'DONE' }, as());
    const vote = await openVote(sessionId);
    await refused(
      () => post(server.url, CloseSessionDocument, { id: sessionId }, as()),
      'CONFLICT',
      new RegExp(
        `Vote ${vote.id} \\("Czy Konwent opiniuje\\?"\\) is under way; close or annul it before closing the session\\.`,
      ),
    );
    await closeVote(vote.id);
    expect((await query(server.url, CloseSessionDocument, { id: sessionId }, as())).closeSession.status).toBe('CLOSED');
  });

  it('serves the votes and the vote under way', async () => {
    const { sessionId } = await sitting(20);
    const first = await openVote(sessionId);
    await closeVote(first.id);
    const second = await openVote(sessionId);
    expect(await readSession(sessionId)).toMatchObject({
      currentVote: { id: second.id, status: 'VOTING' },
      votes: [
        { id: first.id, status: 'CLOSED' },
        { id: second.id, status: 'VOTING' },
      ],
    });
  });
});

describe('events', () => {
  it('records each change as one event, gapless, delivered live and replayed after a reconnect', async () => {
    const { sessionId } = await sitting(20);
    const start = (await readSession(sessionId)).events.length;
    const client = wsClient(server);
    try {
      const live = collect(client, SessionEventsDocument, { sessionId, after: start });
      const vote = await openVote(sessionId);
      await castAll(vote.id, ['FOR', 'AGAINST']);
      await cast(vote.id, 1, 'FOR');
      await closeVote(vote.id);
      await query(server.url, AnnulVoteDocument, { id: vote.id, reason: 'Powtórzenie' }, as());
      const secret = await openVote(sessionId, { secrecy: 'SECRET' });
      await query(
        server.url,
        RecordVoteCountsDocument,
        { input: { voteId: secret.id, for: 3, against: 0, abstain: 0 } },
        as(),
      );
      await closeVote(secret.id);
      const kinds = [
        'VOTE_OPENED',
        'BALLOT_CAST',
        'BALLOT_CAST',
        'BALLOT_CAST',
        'VOTE_CLOSED',
        'VOTE_ANNULLED',
        'VOTE_OPENED',
        'VOTE_COUNTS_RECORDED',
        'VOTE_CLOSED',
      ];

      const { events } = await readSession(sessionId);
      expect(events.map((e) => e.sequence)).toEqual(Array.from({ length: start + kinds.length }, (_, i) => i + 1));
      expect(events.slice(start).map((e) => e.kind)).toEqual(kinds);
      expect(events.slice(start).map((e) => [e.vote?.status, e.vote?.counts.for, e.vote?.counts.against])).toEqual([
        ['VOTING', 0, 0],
        ['VOTING', 1, 0],
        ['VOTING', 1, 1],
        ['VOTING', 2, 0],
        ['CLOSED', 2, 0],
        ['ANNULLED', 2, 0],
        ['VOTING', 0, 0],
        ['VOTING', 3, 0],
        ['CLOSED', 3, 0],
      ]);

      await waitFor(() => live.items.length >= kinds.length, 'the vote events, live');
      expect(live.items.map((i) => i.sessionEvents.kind)).toEqual(kinds);
      expect(live.items.map((i) => i.sessionEvents.sequence)).toEqual(events.slice(start).map((e) => e.sequence));
      expect(live.items[3]!.sessionEvents.vote).toEqual({
        id: vote.id,
        status: 'VOTING',
        counts: { for: 2, against: 0, abstain: 0, notVoting: 18 },
      });
      live.stop();

      const replay = collect(client, SessionEventsDocument, { sessionId, after: start + 4 });
      await waitFor(() => replay.items.length >= kinds.length - 4, 'the replay');
      expect(replay.items.map((i) => [i.sessionEvents.sequence, i.sessionEvents.kind])).toEqual(
        kinds.slice(4).map((kind, i) => [start + 5 + i, kind]),
      );
      replay.stop();
    } finally {
      await client.dispose();
    }
  });
});
