import {
  AddAgendaItemDocument,
  CastBallotDocument,
  CloseSessionDocument,
  CloseVoteDocument,
  EndSpeechDocument,
  FinishAgendaItemDocument,
  GrantFloorDocument,
  OpenSessionDocument,
  OpenVoteDocument,
  RecordAttendanceDocument,
  RecordVoteCountsDocument,
  RequestFloorDocument,
  ScreenEventsDocument,
  ScreenStateDocument,
  StartAgendaItemDocument,
  WithdrawSpeechRequestDocument,
} from '../generated/graphql';
import type { ScreenEventsSubscription, ScreenStateQuery } from '../generated/graphql';
import {
  bearer,
  collect,
  conventionOf,
  gid,
  query,
  scheduleSession,
  startTestServer,
  token,
  waitFor,
  wsClient,
} from '../support';
import type { Collected, TestServer } from '../support';

/**
 * A whole Convention meeting through the API, as its clerk runs it, with two
 * meeting-room screens subscribed: one stays, one drops in the middle of a
 * vote and comes back with `after`. 20 of the 36 members are present, 3 of
 * them by deputy; an open vote passes 15–3–2, a secret one is counted by the
 * tellers, one opened without quorum ends NO_QUORUM, and a formal motion
 * jumps the queue for the floor. At the end, what each screen built from the
 * events alone equals a fresh query.
 */
type Event = ScreenEventsSubscription['sessionEvents'];
type State = NonNullable<ScreenStateQuery['session']>;

let server: TestServer;
let clerk: string;
let seats: string[];
let conventionGid: string;

beforeAll(async () => {
  server = await startTestServer();
  const convention = await conventionOf(server);
  seats = convention.seatIds.map((id) => gid('Seat', id));
  clerk = await token('CLERK', { bodyIds: [convention.bodyGid], subject: 'sekretarz-konwentu' });
  conventionGid = convention.bodyGid;
});
afterAll(() => server?.stop());

/** A screen: the events it received, and the state it keeps from them alone. */
class Screen {
  readonly sequences: number[] = [];
  readonly attendance = new Map<string, { id: string; status: string; capacity: string }>();
  readonly votes = new Map<string, NonNullable<Event['vote']>>();
  readonly speeches = new Map<string, NonNullable<Event['speech']>>();
  quorum: Event['quorum'] | null = null;
  private feed: Collected<ScreenEventsSubscription> | null = null;
  private client: ReturnType<typeof wsClient> | null = null;
  private applied = 0;

  connect(sessionId: string): void {
    this.client = wsClient(server);
    this.feed = collect(this.client, ScreenEventsDocument, { sessionId, after: this.sequences.at(-1) ?? 0 });
  }

  /** Applies what has arrived so far. */
  take(): void {
    const items = this.feed?.items ?? [];
    for (; this.applied < items.length; this.applied += 1) {
      const event = items[this.applied]!.sessionEvents;
      this.sequences.push(event.sequence);
      this.quorum = event.quorum;
      if (event.attendance) this.attendance.set(event.attendance.id, event.attendance);
      if (event.vote) this.votes.set(event.vote.id, event.vote);
      for (const speech of [event.speech, ...event.endedSpeeches]) if (speech) this.speeches.set(speech.id, speech);
    }
  }

  async drop(): Promise<void> {
    this.take();
    this.feed?.stop();
    await this.client?.dispose();
    this.feed = null;
    this.applied = 0;
  }

  async caughtUp(sequence: number): Promise<void> {
    await waitFor(
      () => {
        this.take();
        return (this.sequences.at(-1) ?? 0) >= sequence;
      },
      `a screen to reach sequence ${sequence}`,
      10_000,
    );
  }
}

const as = <T, V extends Record<string, unknown>>(document: Parameters<typeof query<T, V>>[1], variables: V) =>
  query<T, V>(server.url, document, variables, bearer(clerk));

it('runs a Convention meeting with deputies, votes and speeches, live on two screens and whole after a drop', async () => {
  const admin = await token('ADMIN');
  const sessionId = await scheduleSession(server, admin, conventionGid, 'Posiedzenie Konwentu');
  const items: string[] = [];
  for (const title of ['Opinia w sprawie projektu budżetu', 'Wybór wiceprzewodniczącego Konwentu', 'Wolne wnioski']) {
    items.push((await as(AddAgendaItemDocument, { input: { sessionId, title } })).addAgendaItem.id);
  }
  const stays = new Screen();
  const drops = new Screen();
  stays.connect(sessionId);
  drops.connect(sessionId);

  await as(OpenSessionDocument, { id: sessionId });
  const records: string[] = [];
  for (let i = 0; i < 20; i += 1) {
    const deputy = i >= 17 ? { fullName: `Zastępca Przewodniczącego ${i - 16}` } : undefined;
    const { recordAttendance } = await as(RecordAttendanceDocument, {
      input: { sessionId, seatId: seats[i]!, status: 'PRESENT', deputy },
    });
    records.push(recordAttendance.id);
  }
  await as(StartAgendaItemDocument, { id: items[0]! });

  // The floor: two in turn, then a formal motion, which goes before them.
  const ask = async (record: string, kind: 'REGULAR' | 'FORMAL_MOTION') =>
    (await as(RequestFloorDocument, { input: { sessionId, attendanceRecordId: record, kind } })).requestFloor.id;
  const first = await ask(records[5]!, 'REGULAR');
  const second = await ask(records[6]!, 'REGULAR');
  const motion = await ask(records[7]!, 'FORMAL_MOTION');
  const queue = (await query(server.url, ScreenStateDocument, { id: sessionId })).session!.speakers;
  expect(queue.map((request) => request.id)).toEqual([motion, first, second]);
  await as(GrantFloorDocument, { id: motion, timeLimitSeconds: 60 });
  await as(GrantFloorDocument, { id: first, timeLimitSeconds: 180 });
  await as(EndSpeechDocument, { id: first });
  await as(WithdrawSpeechRequestDocument, { id: second });

  // An open vote, passed 15–3–2; the three deputies vote for. The second screen drops in the middle of it.
  const motionVote = (
    await as(OpenVoteDocument, {
      input: { sessionId, subject: 'Przyjęcie opinii Konwentu w sprawie projektu budżetu' },
    })
  ).openVote.id;
  const options = [...Array(15).fill('FOR'), ...Array(3).fill('AGAINST'), ...Array(2).fill('ABSTAIN')] as (
    'FOR' | 'AGAINST' | 'ABSTAIN'
  )[];
  // Seats 17–19 (the deputies) are among the first 15.
  const order = [17, 18, 19, ...Array.from({ length: 17 }, (_, i) => i)];
  for (const [n, seat] of order.entries()) {
    if (n === 10) await drops.drop();
    await as(CastBallotDocument, { input: { voteId: motionVote, seatId: seats[seat]!, option: options[n]! } });
  }
  const passed = (await as(CloseVoteDocument, { id: motionVote })).closeVote;
  expect(passed).toMatchObject({
    status: 'CLOSED',
    result: 'PASSED',
    counts: { for: 15, against: 3, abstain: 2, notVoting: 0 },
  });
  await as(FinishAgendaItemDocument, { id: items[0]! });

  // A secret vote: the tellers' counts only.
  await as(StartAgendaItemDocument, { id: items[1]! });
  const election = (
    await as(OpenVoteDocument, {
      input: {
        sessionId,
        subject: 'Wybór wiceprzewodniczącego Konwentu',
        secrecy: 'SECRET',
        majority: 'ABSOLUTE_OF_PRESENT',
      },
    })
  ).openVote.id;
  await as(RecordVoteCountsDocument, { input: { voteId: election, for: 12, against: 6, abstain: 2 } });
  expect((await as(CloseVoteDocument, { id: election })).closeVote).toMatchObject({ result: 'PASSED', ballots: [] });
  await as(FinishAgendaItemDocument, { id: items[1]! });
  drops.connect(sessionId);

  // Three members leave: 17 of 36 present, below the 18 required. A vote opened now decides nothing.
  for (const seat of [14, 15, 16]) {
    await as(RecordAttendanceDocument, { input: { sessionId, seatId: seats[seat]!, status: 'LEFT' } });
  }
  await as(StartAgendaItemDocument, { id: items[2]! });
  const inquorate = (await as(OpenVoteDocument, { input: { sessionId, subject: 'Wniosek o zmianę regulaminu' } }))
    .openVote.id;
  await as(CastBallotDocument, { input: { voteId: inquorate, seatId: seats[0]!, option: 'FOR' } });
  expect((await as(CloseVoteDocument, { id: inquorate })).closeVote).toMatchObject({
    result: 'NO_QUORUM',
    quorum: { present: 17, required: 18, reached: false },
  });
  await as(FinishAgendaItemDocument, { id: items[2]! });
  await as(CloseSessionDocument, { id: sessionId });

  const state: State = (await query(server.url, ScreenStateDocument, { id: sessionId })).session!;
  await stays.caughtUp(state.lastSequence);
  await drops.caughtUp(state.lastSequence);
  const everySequence = Array.from({ length: state.lastSequence }, (_, i) => i + 1);
  for (const screen of [stays, drops]) {
    expect(screen.sequences).toEqual(everySequence);
    expect(screen.quorum).toEqual(state.quorum);
    const seatRecords = state.attendance.map(({ id, status, capacity }) => ({ id, status, capacity }));
    // The screen knows every record that changed; the others are still as scheduled.
    for (const record of seatRecords.filter((r) => screen.attendance.has(r.id))) {
      expect(screen.attendance.get(record.id)).toEqual(record);
    }
    expect(screen.attendance.size).toBe(20);
    expect([...screen.votes.values()]).toEqual(state.votes.map(({ ballots: _, ...vote }) => vote));
    expect(new Map(state.speakers.map((speech) => [speech.id, speech]))).toEqual(screen.speeches);
  }
  await stays.drop();
  await drops.drop();

  // The record: the named list of the open vote, with the deputies' ballots; nothing of who voted how in secret.
  const [open, secret, none] = state.votes;
  expect(open!.ballots).toHaveLength(20);
  expect(open!.ballots.filter((ballot) => ballot.capacity === 'DEPUTY')).toEqual(
    [17, 18, 19].map((seat) => ({
      seat: { id: seats[seat] },
      capacity: 'DEPUTY',
      option: 'FOR',
      person: { fullName: `Zastępca Przewodniczącego ${seat - 16}` },
    })),
  );
  expect(secret!.ballots).toEqual([]);
  expect(none!.ballots).toHaveLength(17);
  expect(state.currentVote).toBeNull();
  expect(state.currentSpeaker).toBeNull();
  expect(state.speakers.map((speech) => [speech.id, speech.status, speech.kind])).toEqual([
    // Finished requests last, by request time.
    [first, 'DONE', 'REGULAR'],
    [second, 'WITHDRAWN', 'REGULAR'],
    [motion, 'DONE', 'FORMAL_MOTION'],
  ]);
}, 60_000);
