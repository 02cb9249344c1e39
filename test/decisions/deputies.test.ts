import {
  FloorStateDocument,
  InviteGuestDocument,
  RequestFloorDocument,
  OpenSessionDocument,
  RecordAttendanceDocument,
  SeatOccupantsDocument,
} from '../generated/graphql';
import type { RecordAttendanceInput } from '../generated/graphql';
import {
  bearer,
  codes,
  conventionOf,
  councilOf,
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
} from '../support';
import type { TestServer } from '../support';

/**
 * Deputies (zastępcy): a member of the Convention may send a designated
 * deputy, who takes the seat's record; district councils and boards admit none.
 */
let server: TestServer;
let admin: string;
let convention: Awaited<ReturnType<typeof conventionOf>>;
/** The holder of the Convention's first member seat, set up for these tests (the reference data knows none). */
let holder: { id: number; gid: string };

beforeAll(async () => {
  server = await startTestServer();
  admin = await token('ADMIN');
  convention = await conventionOf(server);
  const [person] = await sql<{ id: number }>(
    server,
    `INSERT INTO person (full_name) VALUES ('Przewodnicząca Testowa') RETURNING id`,
  );
  await sql(
    server,
    `INSERT INTO mandate (person_id, seat_id, term_id, title)
     VALUES ($1, $2, (SELECT id FROM term WHERE number = 9), 'Przewodnicząca Rady Dzielnicy')`,
    [person!.id, convention.seatIds[0]],
  );
  holder = { id: person!.id, gid: gid('Person', person!.id) };
});
afterAll(() => server?.stop());

async function conventionSession(): Promise<string> {
  const id = await scheduleSession(server, admin, convention.bodyGid, 'Posiedzenie Konwentu');
  ok(await post(server.url, OpenSessionDocument, { id }, bearer(admin)));
  return id;
}

const record = (input: RecordAttendanceInput, caller = admin) =>
  post(server.url, RecordAttendanceDocument, { input }, bearer(caller));
const occupants = async (id: string) => (await query(server.url, SeatOccupantsDocument, { id })).session!;
const seat = (index: number) => gid('Seat', convention.seatIds[index]!);

describe('a deputy at the Convention', () => {
  it('takes the seat: capacity DEPUTY on behalf of the holder, the seat counted once toward the quorum', async () => {
    const sessionId = await conventionSession();
    const before = await occupants(sessionId);
    const result = ok(
      await record({ sessionId, seatId: seat(0), status: 'PRESENT', deputy: { fullName: 'Jan Zastępca' } }),
    ).recordAttendance;
    expect(result).toMatchObject({
      status: 'PRESENT',
      capacity: 'DEPUTY',
      countsTowardQuorum: true,
      person: { fullName: 'Jan Zastępca', email: null, phone: null },
      onBehalfOf: { id: holder.gid, fullName: 'Przewodnicząca Testowa' },
    });
    const after = await occupants(sessionId);
    expect(after.quorum).toEqual({ ...before.quorum, present: before.quorum.present + 1 });
    expect(after.attendance.filter((r) => r.seat?.id === seat(0))).toHaveLength(1);
    // The same seat again, now by its holder: still one seat present.
    ok(await record({ sessionId, seatId: seat(0), status: 'LEFT' }));
    const back = ok(await record({ sessionId, seatId: seat(0), status: 'PRESENT' })).recordAttendance;
    expect(back).toMatchObject({ capacity: 'HOLDER', person: { id: holder.gid }, onBehalfOf: null });
    expect((await occupants(sessionId)).quorum.present).toBe(before.quorum.present + 1);
  });

  it('keeps nothing about a new deputy but the public name, and marks them as no synthetic person', async () => {
    const sessionId = await conventionSession();
    const { person } = ok(
      await record({ sessionId, seatId: seat(1), status: 'PRESENT', deputy: { fullName: 'Anna Nowa-Zastępczyni' } }),
    ).recordAttendance;
    const [row] = await sql(server, 'SELECT * FROM person WHERE id = $1', [keyOf(person!.id)]);
    expect(row).toEqual({
      id: keyOf(person!.id),
      full_name: 'Anna Nowa-Zastępczyni',
      email: null,
      phone: null,
      synthetic: false,
      // What search matches (issue 14), made from the public name alone.
      search_vector: expect.any(String),
      // When the public record of the person last changed (Person.updatedAt): a time, not about the person.
      updated_at: expect.any(Date),
    });
    const [vector] = await sql(
      server,
      'SELECT search_vector = public.obrady_search_vector(full_name, NULL) AS same FROM person WHERE id = $1',
      [keyOf(person!.id)],
    );
    expect(vector).toEqual({ same: true });
    const mandates = await sql(server, 'SELECT id FROM mandate WHERE person_id = $1', [keyOf(person!.id)]);
    expect(mandates).toEqual([]);
  });

  it('may be an existing person; the holder stays unknown (null) where the record has none', async () => {
    const sessionId = await conventionSession();
    const [existing] = await sql<{ id: number }>(
      server,
      `INSERT INTO person (full_name) VALUES ('Piotr Znany') RETURNING id`,
    );
    const result = ok(
      await record({
        sessionId,
        seatId: seat(2),
        status: 'CONFIRMED',
        deputy: { personId: gid('Person', existing!.id) },
      }),
    ).recordAttendance;
    expect(result).toMatchObject({ capacity: 'DEPUTY', person: { id: gid('Person', existing!.id) }, onBehalfOf: null });
    // Arriving later without naming the deputy again: each arrival says who arrived, so this is the holder.
    const arrived = ok(await record({ sessionId, seatId: seat(2), status: 'PRESENT' })).recordAttendance;
    expect(arrived).toMatchObject({ capacity: 'HOLDER', person: null, onBehalfOf: null });
  });

  it('carries the capacity in the event of every change', async () => {
    const sessionId = await conventionSession();
    const deputy = ok(
      await record({ sessionId, seatId: seat(3), status: 'PRESENT', deputy: { fullName: 'Ewa Zastępczyni' } }),
    ).recordAttendance;
    ok(await record({ sessionId, seatId: seat(3), status: 'LEFT' }));
    const { events } = await occupants(sessionId);
    const changes = events.filter((event) => event.kind === 'ATTENDANCE_RECORDED').map((event) => event.attendance);
    const asDeputy = { id: deputy.id, capacity: 'DEPUTY', person: { id: deputy.person!.id }, onBehalfOf: null };
    expect(changes).toEqual([asDeputy, asDeputy]);
  });
});

describe('a seat handed over', () => {
  it("withdraws the holder's waiting request for the floor when a deputy takes the seat, in the same change", async () => {
    const sessionId = await conventionSession();
    const { id: recordId } = ok(await record({ sessionId, seatId: seat(6), status: 'PRESENT' })).recordAttendance;
    const { requestFloor } = ok(
      await post(
        server.url,
        RequestFloorDocument,
        { input: { sessionId, attendanceRecordId: recordId } },
        bearer(admin),
      ),
    );
    ok(await record({ sessionId, seatId: seat(6), status: 'PRESENT', deputy: { fullName: 'Zastępca Zmiennik' } }));
    const floor = (await query(server.url, FloorStateDocument, { id: sessionId })).session!;
    expect(floor.speakers.map((request) => [request.id, request.status])).toEqual([[requestFloor.id, 'WITHDRAWN']]);
    expect(floor.events.at(-1)!.kind).toBe('ATTENDANCE_RECORDED');
  });
});

describe('refusals, each changing nothing', () => {
  it('a district council admits no deputy: BAD_USER_INPUT saying so', async () => {
    const council = await councilOf(server, 4);
    const sessionId = await scheduleSession(server, admin, council.bodyGid);
    const result = await unchangedBy(server, () =>
      record({ sessionId, seatId: gid('Seat', council.seatIds[0]!), status: 'PRESENT', deputy: { fullName: 'Ktoś' } }),
    );
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.message).toMatch(/does not admit deputies/);
    expect(result.errors![0]!.extensions!.argumentName).toBe('input.deputy');
  });

  it('refuses an unclear, misplaced or impossible deputy', async () => {
    const sessionId = await conventionSession();
    const guest = ok(
      await post(server.url, InviteGuestDocument, { input: { sessionId, fullName: 'Gość' } }, bearer(admin)),
    ).inviteGuest;
    expect(guest.capacity).toBe('GUEST');
    const cases: [RecordAttendanceInput, string, RegExp][] = [
      [{ sessionId, seatId: seat(4), status: 'PRESENT', deputy: {} }, 'BAD_USER_INPUT', /exactly one of/],
      [
        { sessionId, seatId: seat(4), status: 'PRESENT', deputy: { fullName: 'A', personId: holder.gid } },
        'BAD_USER_INPUT',
        /exactly one of/,
      ],
      [{ sessionId, seatId: seat(0), status: 'PRESENT', deputy: { personId: holder.gid } }, 'BAD_USER_INPUT', /holder/],
      [
        { sessionId, seatId: seat(4), status: 'PRESENT', deputy: { personId: gid('Person', 999_999) } },
        'NOT_FOUND',
        /No person/,
      ],
      [{ sessionId, seatId: seat(4), status: 'ABSENT', deputy: { fullName: 'A' } }, 'BAD_USER_INPUT', /not as ABSENT/],
      [{ sessionId, recordId: guest.id, status: 'PRESENT', deputy: { fullName: 'A' } }, 'BAD_USER_INPUT', /guest/],
      [{ sessionId, seatId: seat(4), status: 'PRESENT', deputy: { fullName: '\u200b' } }, 'BAD_USER_INPUT', /fullName/],
    ];
    for (const [input, code, message] of cases) {
      const result = await unchangedBy(server, () => record(input));
      expect([input.deputy, codes(result)]).toEqual([input.deputy, [code]]);
      expect(result.errors![0]!.message).toMatch(message);
    }
  });

  it('checks the caller before the deputy: a clerk of a council is FORBIDDEN at the Convention', async () => {
    const sessionId = await conventionSession();
    const council = await councilOf(server, 4);
    const clerk = await token('CLERK', { bodyIds: [council.bodyGid] });
    const result = await unchangedBy(server, () =>
      record({ sessionId, seatId: seat(5), status: 'PRESENT', deputy: { personId: 'nie-ma-takiego' } }, clerk),
    );
    expect(codes(result)).toEqual(['FORBIDDEN']);
  });
});
