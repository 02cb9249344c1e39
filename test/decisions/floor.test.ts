import {
  AddAgendaItemDocument,
  CloseSessionDocument,
  EndSpeechDocument,
  FloorDeepDocument,
  FloorStateDocument,
  GrantFloorDocument,
  InviteGuestDocument,
  OpenSessionDocument,
  RecordAttendanceDocument,
  RequestFloorDocument,
  SessionEventsDocument,
  StartAgendaItemDocument,
  SuspendSessionDocument,
  WithdrawSpeechRequestDocument,
} from '../generated/graphql';
import type { RequestFloorInput, SpeechKind } from '../generated/graphql';
import {
  bearer,
  codes,
  collect,
  councilOf,
  createSeatHolder,
  gid,
  keyOf,
  ok,
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
import type { GraphQLResponse, SeatHolder, TestServer } from '../support';

/**
 * The floor (issue 12, item 4): those present ask, the chair gives the floor one speaker at a time,
 * and every change is one event of the session's log, live and replayed.
 */
let server: TestServer;
let admin: string;
let council: { bodyId: number; bodyGid: string; seatIds: number[] };
let holder: SeatHolder;

const DISTRICT = 7;

beforeAll(async () => {
  [server, admin] = await Promise.all([startTestServer(), token('ADMIN')]);
  council = await councilOf(server, DISTRICT);
  // Seat 1 has a holder, so that its record has a person a deputy can stand in for.
  holder = await createSeatHolder(server, DISTRICT, 1);
});
afterAll(() => server?.stop());

const as = bearer;
/** A session of the council, open, with the first `present` records PRESENT; the ids of all its records. */
async function sitting(present = 6): Promise<{ sessionId: string; records: string[] }> {
  const sessionId = await scheduleSession(server, admin, council.bodyGid, 'Sesja z dyskusją');
  const opened = (await query(server.url, OpenSessionDocument, { id: sessionId }, as(admin))).openSession;
  const records = opened.attendance.map((record) => record.id);
  for (const recordId of records.slice(0, present)) await attend(sessionId, recordId, 'PRESENT');
  return { sessionId, records };
}
const attend = async (
  sessionId: string,
  recordId: string,
  status: 'PRESENT' | 'LEFT' | 'ABSENT' | 'EXCUSED',
  mode?: 'IN_PERSON' | 'REMOTE',
) =>
  ok(await post(server.url, RecordAttendanceDocument, { input: { sessionId, recordId, status, mode } }, as(admin)))
    .recordAttendance;

const ask = (sessionId: string, attendanceRecordId: string, extra: Partial<RequestFloorInput> = {}) =>
  post(server.url, RequestFloorDocument, { input: { sessionId, attendanceRecordId, ...extra } }, as(admin));
const asked = async (sessionId: string, recordId: string, kind?: SpeechKind) =>
  ok(await ask(sessionId, recordId, kind ? { kind } : {})).requestFloor;
const grant = (id: string, timeLimitSeconds?: number | null) =>
  post(server.url, GrantFloorDocument, { id, timeLimitSeconds }, as(admin));
const end = (id: string) => post(server.url, EndSpeechDocument, { id }, as(admin));
const withdraw = (id: string) => post(server.url, WithdrawSpeechRequestDocument, { id }, as(admin));
const floor = async (id: string) => (await query(server.url, FloorStateDocument, { id })).session!;

/** The payload of one event of the log, as stored. */
async function logged(sessionId: string, sequence: number) {
  const [row] = await sql<{ kind: string; payload: { speech?: Speech; speeches?: Speech[] } }>(
    server,
    'SELECT kind, payload FROM session_event WHERE session_id = $1 AND sequence = $2',
    [keyOf(sessionId), sequence],
  );
  return row!;
}
interface Speech {
  id: number;
  status: string;
  endedAt: string | null;
  startedAt: string | null;
}

/** A refusal with its code and a message matching, changing nothing anywhere. */
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

describe('the queue', () => {
  it('shows the speaker first, then formal motions, ad vocem and regular by request time, the finished last', async () => {
    const { sessionId, records } = await sitting(7);
    const first = await asked(sessionId, records[0]!);
    const reply = await asked(sessionId, records[1]!, 'AD_VOCEM');
    const second = await asked(sessionId, records[2]!, 'REGULAR');
    const motion = await asked(sessionId, records[3]!, 'FORMAL_MOTION');
    const third = await asked(sessionId, records[4]!);
    const laterReply = await asked(sessionId, records[5]!, 'AD_VOCEM');
    const gone = await asked(sessionId, records[6]!);
    ok(await withdraw(gone.id));
    // The chair may take anyone waiting: the order is advice.
    ok(await grant(second.id));
    const state = await floor(sessionId);
    expect(state.speakers.map((s) => [s.id, s.status])).toEqual([
      [second.id, 'SPEAKING'],
      [motion.id, 'WAITING'],
      [reply.id, 'WAITING'],
      [laterReply.id, 'WAITING'],
      [first.id, 'WAITING'],
      [third.id, 'WAITING'],
      [gone.id, 'WITHDRAWN'],
    ]);
    expect(state.currentSpeaker).toMatchObject({ id: second.id, status: 'SPEAKING', kind: 'REGULAR' });
    expect(first).toMatchObject({ kind: 'REGULAR', status: 'WAITING', startedAt: null, endedAt: null });
    expect(first.speaker).toMatchObject({ id: records[0], capacity: 'HOLDER' });
  });

  it('records each request with the server clock and the item under discussion, or the one named', async () => {
    const { sessionId, records } = await sitting(3);
    const add = async (title: string) =>
      (await query(server.url, AddAgendaItemDocument, { input: { sessionId, title } }, as(admin))).addAgendaItem;
    const [one, two] = [await add('Budżet'), await add('Wolne wnioski')];
    const before = Date.now();
    expect((await asked(sessionId, records[0]!)).agendaItem).toBeNull();
    await query(server.url, StartAgendaItemDocument, { id: one.id }, as(admin));
    const during = await asked(sessionId, records[1]!);
    expect(during.agendaItem).toEqual({ id: one.id });
    expect(new Date(during.requestedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(ok(await ask(sessionId, records[2]!, { agendaItemId: two.id })).requestFloor.agendaItem).toEqual({
      id: two.id,
    });
  });
});

describe('giving the floor', () => {
  it('ends the current speech in the same one event, both in it, and keeps the time limit', async () => {
    const { sessionId, records } = await sitting(3);
    const a = await asked(sessionId, records[0]!);
    const b = await asked(sessionId, records[1]!);
    const granted = ok(await grant(a.id, 180)).grantFloor;
    expect(granted).toMatchObject({ id: a.id, status: 'SPEAKING', timeLimitSeconds: 180, endedAt: null });
    expect(granted.startedAt).not.toBeNull();
    const before = (await floor(sessionId)).lastSequence;
    const next = ok(await grant(b.id)).grantFloor;
    expect(next).toMatchObject({ id: b.id, status: 'SPEAKING', timeLimitSeconds: null });
    const state = await floor(sessionId);
    expect(state.lastSequence).toBe(before + 1);
    const ended = state.speakers.find((s) => s.id === a.id)!;
    expect(ended).toMatchObject({ status: 'DONE', timeLimitSeconds: 180, endedAt: next.startedAt });
    expect(state.currentSpeaker!.id).toBe(b.id);
    expect(state.events.at(-1)).toEqual({
      sequence: before + 1,
      kind: 'SPEECH_STARTED',
      speech: { id: b.id, status: 'SPEAKING', kind: 'REGULAR' },
    });
    const event = await logged(sessionId, before + 1);
    expect(event.payload.speech).toMatchObject({ id: keyOf(b.id), status: 'SPEAKING' });
    expect(event.payload.speeches).toEqual([expect.objectContaining({ id: keyOf(a.id), status: 'DONE' })]);
    // A grant with none speaking ends nothing.
    expect((await logged(sessionId, before)).payload.speeches).toBeUndefined();
  });

  it('accepts a time limit of 1 to 14400 seconds', async () => {
    const { sessionId, records } = await sitting(2);
    const a = await asked(sessionId, records[0]!);
    const b = await asked(sessionId, records[1]!);
    expect(ok(await grant(a.id, 1)).grantFloor.timeLimitSeconds).toBe(1);
    expect(ok(await grant(b.id, 14_400)).grantFloor.timeLimitSeconds).toBe(14_400);
  });

  it('ends a speech, leaving nobody with the floor, in a SPEECH_ENDED event', async () => {
    const { sessionId, records } = await sitting(1);
    const a = await asked(sessionId, records[0]!);
    ok(await grant(a.id, 300));
    const done = ok(await end(a.id)).endSpeech;
    expect(done).toMatchObject({ id: a.id, status: 'DONE', timeLimitSeconds: 300 });
    expect(new Date(done.endedAt!).getTime()).toBeGreaterThanOrEqual(new Date(done.startedAt!).getTime());
    const state = await floor(sessionId);
    expect(state.currentSpeaker).toBeNull();
    expect(state.events.at(-1)).toMatchObject({ kind: 'SPEECH_ENDED', speech: { id: a.id, status: 'DONE' } });
  });

  it('withdraws a waiting request in a SPEECH_WITHDRAWN event; the same record may then ask again', async () => {
    const { sessionId, records } = await sitting(1);
    const a = await asked(sessionId, records[0]!);
    const gone = ok(await withdraw(a.id)).withdrawSpeechRequest;
    expect(gone).toMatchObject({ id: a.id, status: 'WITHDRAWN', startedAt: null });
    expect(gone.endedAt).not.toBeNull();
    const state = await floor(sessionId);
    expect(state.events.at(-1)).toMatchObject({
      kind: 'SPEECH_WITHDRAWN',
      speech: { id: a.id, status: 'WITHDRAWN' },
    });
    expect((await asked(sessionId, records[0]!)).status).toBe('WAITING');
  });
});

describe('refusals, each changing nothing', () => {
  it('asks only while the session sits or is suspended', async () => {
    const sessionId = await scheduleSession(server, admin, council.bodyGid, 'Sesja zaplanowana');
    const [record] = await sql<{ id: number }>(
      server,
      'SELECT id FROM attendance_record WHERE session_id = $1 ORDER BY id LIMIT 1',
      [keyOf(sessionId)],
    );
    await refused(
      () => ask(sessionId, gid('AttendanceRecord', record!.id)),
      'CONFLICT',
      /only while the session is IN_PROGRESS or SUSPENDED; it is SCHEDULED/,
    );
    const open = await sitting(2);
    await query(server.url, SuspendSessionDocument, { id: open.sessionId }, as(admin));
    const waiting = await asked(open.sessionId, open.records[0]!);
    await refused(() => grant(waiting.id), 'CONFLICT', /only while the session is IN_PROGRESS; it is SUSPENDED/);
  });

  it('refuses someone not present, a record of another session, an unknown record or item', async () => {
    const { sessionId, records } = await sitting(2);
    const other = await sitting(1);
    await refused(() => ask(sessionId, records[5]!), 'CONFLICT', /Only someone present .* this record is EXPECTED/);
    await attend(sessionId, records[1]!, 'LEFT');
    await refused(() => ask(sessionId, records[1]!), 'CONFLICT', /Only someone present .* this record is LEFT/);
    await refused(() => ask(sessionId, other.records[0]!), 'NOT_FOUND', /No attendance record in this session/);
    await refused(() => ask(sessionId, gid('AttendanceRecord', 2_000_000)), 'NOT_FOUND', /No attendance record/);
    await refused(() => ask(sessionId, sessionId), 'NOT_FOUND', /No attendance record/);
    await refused(() => ask(gid('Session', 2_000_000), records[0]!), 'NOT_FOUND', /No session/);
    const item = (
      await query(
        server.url,
        AddAgendaItemDocument,
        { input: { sessionId: other.sessionId, title: 'Obcy' } },
        as(admin),
      )
    ).addAgendaItem;
    const wrongItem = await refused(
      () => ask(sessionId, records[0]!, { agendaItemId: item.id }),
      'BAD_USER_INPUT',
      /input\.agendaItemId: .* is not an item of this session's agenda/,
    );
    expect(wrongItem.errors![0]!.extensions!.argumentName).toBe('input.agendaItemId');
    await refused(
      () => ask(sessionId, records[0]!, { agendaItemId: 'nie-ma' }),
      'BAD_USER_INPUT',
      /input\.agendaItemId: "nie-ma" is not a valid id/,
    );
  });

  it('refuses a second waiting request of the same kind from the same record, not one of another kind', async () => {
    const { sessionId, records } = await sitting(1);
    await asked(sessionId, records[0]!);
    await refused(
      () => ask(sessionId, records[0]!, { kind: 'REGULAR' }),
      'CONFLICT',
      /already waits for the floor with a REGULAR request/,
    );
    expect((await asked(sessionId, records[0]!, 'FORMAL_MOTION')).kind).toBe('FORMAL_MOTION');
  });

  it('gives the floor only to a waiting request, of someone present, within the time limits', async () => {
    const { sessionId, records } = await sitting(3);
    const a = await asked(sessionId, records[0]!);
    const b = await asked(sessionId, records[1]!);
    for (const limit of [0, -5, 14_401]) {
      const result = await refused(
        () => grant(b.id, limit),
        'BAD_USER_INPUT',
        /timeLimitSeconds must be between 1 and 14400/,
      );
      expect(result.errors![0]!.extensions!.argumentName).toBe('timeLimitSeconds');
    }
    ok(await grant(a.id));
    await refused(() => grant(a.id), 'CONFLICT', /Only a WAITING request can be given the floor; this one is SPEAKING/);
    ok(await end(a.id));
    await refused(() => grant(a.id), 'CONFLICT', /this one is DONE/);
    // Made by hand: the API withdraws the requests of whoever leaves.
    await sql(server, "UPDATE attendance_record SET status = 'LEFT' WHERE id = $1", [keyOf(records[1]!)]);
    await refused(() => grant(b.id), 'CONFLICT', /only to someone present; this request's record is LEFT/);
  });

  it('ends only a speech under way and withdraws only a waiting request', async () => {
    const { sessionId, records } = await sitting(2);
    const a = await asked(sessionId, records[0]!);
    await refused(
      () => end(a.id),
      'CONFLICT',
      /Only the speech under way \(SPEAKING\) can be ended; this request is WAITING/,
    );
    ok(await grant(a.id));
    await refused(() => withdraw(a.id), 'CONFLICT', /under way: end it \(endSpeech\)/);
    ok(await end(a.id));
    await refused(() => end(a.id), 'CONFLICT', /this request is DONE/);
    await refused(() => withdraw(a.id), 'CONFLICT', /Only a WAITING request can be withdrawn; this one is DONE/);
  });

  it('answers NOT_FOUND for a request that does not exist, BAD_USER_INPUT for a malformed id', async () => {
    const { sessionId } = await sitting(0);
    for (const send of [grant, end, withdraw]) {
      await refused(() => send(gid('SpeechRequest', 2_000_000)), 'NOT_FOUND', /No request for the floor with id/);
      await refused(() => send(sessionId), 'NOT_FOUND', /No request for the floor with id/);
      await refused(() => send('nie-ma-takiego'), 'BAD_USER_INPUT', /is not a valid id/);
    }
  });

  it('lets the clerk of the council write, not a clerk of another body or someone without a token', async () => {
    const { sessionId, records } = await sitting(1);
    const own = await token('CLERK', { bodyIds: [council.bodyGid] });
    const other = await token('CLERK', { bodyIds: [(await councilOf(server, DISTRICT + 1)).bodyGid] });
    const input = { sessionId, attendanceRecordId: records[0]! };
    await refused(() => post(server.url, RequestFloorDocument, { input }, as(other)), 'FORBIDDEN', /./);
    await refused(() => post(server.url, RequestFloorDocument, { input }), 'UNAUTHENTICATED', /./);
    const mine = ok(await post(server.url, RequestFloorDocument, { input }, as(own))).requestFloor;
    await refused(() => post(server.url, GrantFloorDocument, { id: mine.id }, as(other)), 'FORBIDDEN', /./);
    expect(ok(await post(server.url, GrantFloorDocument, { id: mine.id }, as(own))).grantFloor.status).toBe('SPEAKING');
  });
});

describe('who may ask', () => {
  it('a guest, a member attending remotely and a deputy, once present', async () => {
    const { sessionId, records } = await sitting(0);
    const guest = ok(
      await post(
        server.url,
        InviteGuestDocument,
        { input: { sessionId, fullName: 'Gość z Urzędu', affiliation: 'Zarząd Dróg' } },
        as(admin),
      ),
    ).inviteGuest;
    await refused(() => ask(sessionId, guest.id), 'CONFLICT', /this record is EXPECTED/);
    await attend(sessionId, guest.id, 'PRESENT');
    const remote = records[0]!;
    expect((await attend(sessionId, remote, 'PRESENT', 'REMOTE')).mode).toBe('REMOTE');
    // Seat 1's record, held by `holder`, becomes a deputy's.
    const deputyRecord = records[1]!;
    const [deputy] = await sql<{ id: number }>(
      server,
      "INSERT INTO person (full_name) VALUES ('Zastępca Testowy') RETURNING id",
    );
    const made = await sql<{ id: number }>(
      server,
      `UPDATE attendance_record SET capacity = 'DEPUTY', on_behalf_of_id = person_id, person_id = $2,
              status = 'PRESENT', arrived_at = now()
       WHERE id = $1 AND person_id = $3 RETURNING id`,
      [keyOf(deputyRecord), deputy!.id, holder.personId],
    );
    // TypeORM answers an UPDATE with [rows, count].
    expect(made[0]).toEqual([{ id: keyOf(deputyRecord) }]);
    // (Through the API, an arrival without input.deputy is the holder's: the deputy arrives in the SQL above.)
    expect((await asked(sessionId, guest.id)).speaker).toEqual({
      id: guest.id,
      label: 'Gość z Urzędu',
      capacity: 'GUEST',
    });
    expect((await asked(sessionId, remote)).speaker).toMatchObject({ id: remote, capacity: 'HOLDER' });
    expect((await asked(sessionId, deputyRecord, 'AD_VOCEM')).speaker).toMatchObject({
      id: deputyRecord,
      capacity: 'DEPUTY',
    });
    expect((await floor(sessionId)).speakers.map((s) => s.speaker.capacity)).toEqual(['DEPUTY', 'GUEST', 'HOLDER']);
  });
});

describe('leaving and closing', () => {
  it('withdraws the waiting requests and ends the speech of whoever leaves, in the ATTENDANCE_RECORDED event', async () => {
    const { sessionId, records } = await sitting(4);
    const [leaver, speaker, stayer, absent] = records as [string, string, string, string];
    const regular = await asked(sessionId, leaver);
    const motion = await asked(sessionId, leaver, 'FORMAL_MOTION');
    const speech = await asked(sessionId, speaker);
    const kept = await asked(sessionId, stayer);
    const absentOne = await asked(sessionId, absent);
    ok(await grant(speech.id));
    // Changing how someone attends is not leaving.
    await attend(sessionId, stayer, 'PRESENT', 'REMOTE');

    const before = (await floor(sessionId)).lastSequence;
    await attend(sessionId, leaver, 'LEFT');
    const left = await logged(sessionId, before + 1);
    expect(left.kind).toBe('ATTENDANCE_RECORDED');
    expect(left.payload.speeches!.map((s) => [s.id, s.status])).toEqual([
      [keyOf(regular.id), 'WITHDRAWN'],
      [keyOf(motion.id), 'WITHDRAWN'],
    ]);
    await attend(sessionId, speaker, 'LEFT');
    const ended = await logged(sessionId, before + 2);
    expect(ended.payload.speeches!.map((s) => [s.id, s.status])).toEqual([[keyOf(speech.id), 'DONE']]);
    expect(ended.payload.speeches![0]!.endedAt).not.toBeNull();
    await attend(sessionId, absent, 'ABSENT');
    expect((await logged(sessionId, before + 3)).payload.speeches!.map((s) => s.status)).toEqual(['WITHDRAWN']);

    const state = await floor(sessionId);
    expect(state.lastSequence).toBe(before + 3);
    expect(state.currentSpeaker).toBeNull();
    expect(state.speakers.map((s) => [s.id, s.status])).toEqual([
      [kept.id, 'WAITING'],
      [regular.id, 'WITHDRAWN'],
      [motion.id, 'WITHDRAWN'],
      [speech.id, 'DONE'],
      [absentOne.id, 'WITHDRAWN'],
    ]);
  });

  it('closing the session ends the speech and withdraws the waiting, in the SESSION_CLOSED event', async () => {
    const { sessionId, records } = await sitting(3);
    const a = await asked(sessionId, records[0]!);
    const b = await asked(sessionId, records[1]!);
    const c = await asked(sessionId, records[2]!, 'AD_VOCEM');
    ok(await grant(a.id));
    await query(server.url, CloseSessionDocument, { id: sessionId }, as(admin));
    const state = await floor(sessionId);
    expect(state.status).toBe('CLOSED');
    expect(state.currentSpeaker).toBeNull();
    expect(new Map(state.speakers.map((s) => [s.id, s.status]))).toEqual(
      new Map([
        [a.id, 'DONE'],
        [b.id, 'WITHDRAWN'],
        [c.id, 'WITHDRAWN'],
      ]),
    );
    const closed = await logged(sessionId, state.lastSequence);
    expect(closed.kind).toBe('SESSION_CLOSED');
    expect(closed.payload.speeches!.map((s) => [s.id, s.status])).toEqual([
      [keyOf(a.id), 'DONE'],
      [keyOf(b.id), 'WITHDRAWN'],
      [keyOf(c.id), 'WITHDRAWN'],
    ]);
    await refused(() => ask(sessionId, records[0]!), 'CONFLICT', /it is CLOSED/);
  });
});

describe('live', () => {
  it('delivers SPEECH_* events over sessionEvents, and replays them after a reconnect with no loss or repeat', async () => {
    const { sessionId, records } = await sitting(2);
    const start = (await floor(sessionId)).lastSequence;
    const client = wsClient(server, admin);
    try {
      const feed = collect(client, SessionEventsDocument, { sessionId, after: start });
      const a = await asked(sessionId, records[0]!);
      const b = await asked(sessionId, records[1]!, 'FORMAL_MOTION');
      ok(await grant(b.id, 60));
      ok(await grant(a.id));
      ok(await end(a.id));
      const c = await asked(sessionId, records[1]!);
      ok(await withdraw(c.id));
      const expected = [
        ['SPEECH_REQUESTED', a.id, 'WAITING'],
        ['SPEECH_REQUESTED', b.id, 'WAITING'],
        ['SPEECH_STARTED', b.id, 'SPEAKING'],
        ['SPEECH_STARTED', a.id, 'SPEAKING'],
        ['SPEECH_ENDED', a.id, 'DONE'],
        ['SPEECH_REQUESTED', c.id, 'WAITING'],
        ['SPEECH_WITHDRAWN', c.id, 'WITHDRAWN'],
      ];
      await waitFor(() => feed.items.length >= expected.length, 'seven SPEECH_* events');
      const seen = feed.items.map((i) => i.sessionEvents);
      expect(seen.map((e) => [e.kind, e.speech?.id, e.speech?.status])).toEqual(expected);
      expect(seen.map((e) => e.sequence)).toEqual(expected.map((_, i) => start + 1 + i));
      feed.stop();

      // Back after the third event: the rest, once each, in order.
      const replay = collect(client, SessionEventsDocument, { sessionId, after: start + 3 });
      const d = await asked(sessionId, records[0]!, 'AD_VOCEM');
      await waitFor(() => replay.items.length >= 5, 'the replayed events and the live one');
      const again = replay.items.map((i) => i.sessionEvents);
      expect(again.map((e) => e.sequence)).toEqual([4, 5, 6, 7, 8].map((n) => start + n));
      expect(again.map((e) => [e.kind, e.speech?.id])).toEqual([
        ...expected.slice(3).map(([kind, id]) => [kind, id]),
        ['SPEECH_REQUESTED', d.id],
      ]);
      expect([...replay.errors, ...replay.resultErrors]).toEqual([]);
      replay.stop();
    } finally {
      await client.dispose();
    }
  });
});

describe('reads', () => {
  it('serve the speakers with their records, people, seats and items with no statement per request', async () => {
    const statementsOf = async (sessionId: string, requests: number) => {
      const before = server.statements();
      const { session } = await query(server.url, FloorDeepDocument, { id: sessionId });
      expect(session!.speakers).toHaveLength(requests);
      expect(session!.speakers.every((s) => s.speaker.person !== null && s.agendaItem !== null)).toBe(true);
      expect(session!.currentSpeaker).not.toBeNull();
      return server.statements() - before;
    };
    const queue = async (requests: number) => {
      const { sessionId, records } = await sitting(0);
      const item = (
        await query(server.url, AddAgendaItemDocument, { input: { sessionId, title: 'Dyskusja' } }, as(admin))
      ).addAgendaItem;
      await query(server.url, StartAgendaItemDocument, { id: item.id }, as(admin));
      // People for every record, present: made by hand, as the statements counted are the read's.
      await sql(
        server,
        `WITH people AS (
           INSERT INTO person (full_name) SELECT 'Radny ' || n FROM generate_series(1, $2::int) n RETURNING id
         ), numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM people),
         targets AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM unnest($1::int[]) AS t(id))
         UPDATE attendance_record r SET status = 'PRESENT', mode = 'IN_PERSON', person_id = numbered.id
         FROM targets JOIN numbered USING (n) WHERE r.id = targets.id`,
        [records.slice(0, requests).map(keyOf), requests],
      );
      const asks = [];
      for (const record of records.slice(0, requests)) asks.push(await asked(sessionId, record));
      ok(await grant(asks[0]!.id));
      return sessionId;
    };
    const one = await statementsOf(await queue(1), 1);
    const twenty = await statementsOf(await queue(20), 20);
    expect(twenty).toBe(one);
  });
});
