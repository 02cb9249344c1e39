import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  AddAgendaItemDocument,
  BodiesOfDistrictDocument,
  CancelSessionDocument,
  CloseSessionDocument,
  FinishAgendaItemDocument,
  InviteGuestDocument,
  MeetingStateDocument,
  MoveAgendaItemDocument,
  OpenSessionDocument,
  RecordAttendanceDocument,
  RemoveAgendaItemDocument,
  ResumeSessionDocument,
  ScheduleSessionDocument,
  StartAgendaItemDocument,
  SuspendSessionDocument,
  UpdateAgendaItemDocument,
} from '../generated/graphql';
import type { ScheduleSessionInput } from '../generated/graphql';
import { bearer, codes, ok, post, query, startTestServer, token } from '../support';
import type { TestServer } from '../support';

type TransitionDocument = TypedDocumentNode<unknown, { id: string }>;

/** The rules of a real meeting, each through the mutations a clerk sends, and each refusal changing nothing. */
let server: TestServer;
let admin: string;
let councilId: string;
let councilSeats: string[];
let boardId: string;

beforeAll(async () => {
  server = await startTestServer();
  admin = await token('ADMIN');
  const { bodies } = await query(server.url, BodiesOfDistrictDocument, { districtNumber: 12 });
  const council = bodies.find((b) => b.kind === 'DISTRICT_COUNCIL')!;
  councilId = council.id;
  councilSeats = council.seats.map((s) => s.id);
  boardId = bodies.find((b) => b.kind === 'DISTRICT_BOARD')!.id;
});
afterAll(() => server?.stop());

let counter = 0;
async function schedule(extra: Partial<ScheduleSessionInput> = {}, caller = admin) {
  counter += 1;
  return post(
    server.url,
    ScheduleSessionDocument,
    {
      input: {
        bodyId: councilId,
        termNumber: 9,
        title: `Sesja ${counter}`,
        scheduledAt: '2026-12-01T18:00:00+01:00',
        ...extra,
      },
    },
    caller ? bearer(caller) : {},
  );
}
const state = async (id: string) => (await query(server.url, MeetingStateDocument, { id })).session!;

describe('session lifecycle', () => {
  it('schedules with an EXPECTED record for every seat of the body and the next number', async () => {
    const first = ok(await schedule()).scheduleSession;
    const second = ok(await schedule()).scheduleSession;
    expect(second.number).toBe(first.number + 1);
    expect(first.status).toBe('SCHEDULED');
    expect(first.attendance).toHaveLength(21);
    expect(first.attendance.every((r) => r.status === 'EXPECTED')).toBe(true);
    expect(new Set(first.attendance.map((r) => r.seat!.id))).toEqual(new Set(councilSeats));
    expect(first.lastSequence).toBe(1);
  });

  it('refuses a number the body already used in the term, changing nothing', async () => {
    const first = ok(await schedule()).scheduleSession;
    const again = await schedule({ number: first.number });
    expect(codes(again)[0]).toBe('CONFLICT');
    expect((await state(first.id)).lastSequence).toBe(1);
  });

  it('opens, suspends, resumes and closes, setting the times from the server clock', async () => {
    const { id } = ok(await schedule()).scheduleSession;
    const before = Date.now();
    const opened = (await query(server.url, OpenSessionDocument, { id }, bearer(admin))).openSession;
    expect(opened.status).toBe('IN_PROGRESS');
    expect(new Date(opened.startedAt!).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect((await query(server.url, SuspendSessionDocument, { id }, bearer(admin))).suspendSession.status).toBe(
      'SUSPENDED',
    );
    expect((await query(server.url, ResumeSessionDocument, { id }, bearer(admin))).resumeSession.status).toBe(
      'IN_PROGRESS',
    );
    const closed = (await query(server.url, CloseSessionDocument, { id }, bearer(admin))).closeSession;
    expect(closed.status).toBe('CLOSED');
    expect(closed.endedAt).not.toBeNull();
    expect((await state(id)).events.map((e) => e.kind)).toEqual([
      'SESSION_SCHEDULED',
      'SESSION_OPENED',
      'SESSION_SUSPENDED',
      'SESSION_RESUMED',
      'SESSION_CLOSED',
    ]);
  });

  it('cancels a scheduled session with its reason', async () => {
    const { id } = ok(await schedule()).scheduleSession;
    const cancelled = (await query(server.url, CancelSessionDocument, { id, reason: 'Brak sali' }, bearer(admin)))
      .cancelSession;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellationReason: 'Brak sali' });
  });

  it('refuses every other transition with CONFLICT naming both states, changing nothing', async () => {
    const { id } = ok(await schedule()).scheduleSession;
    for (const document of [
      SuspendSessionDocument,
      ResumeSessionDocument,
      CloseSessionDocument,
    ] as TransitionDocument[]) {
      const refused = await post(server.url, document, { id }, bearer(admin));
      expect(codes(refused)[0]).toBe('CONFLICT');
      expect(refused.errors![0]!.message).toMatch(/SCHEDULED/);
    }
    await query(server.url, OpenSessionDocument, { id }, bearer(admin));
    const reopen = await post(server.url, OpenSessionDocument, { id }, bearer(admin));
    expect(reopen.errors![0]!.message).toMatch(/IN_PROGRESS.*SCHEDULED|SCHEDULED.*IN_PROGRESS/);
    expect(codes(await post(server.url, CancelSessionDocument, { id }, bearer(admin)))[0]).toBe('CONFLICT');
    await query(server.url, CloseSessionDocument, { id }, bearer(admin));
    for (const document of [
      OpenSessionDocument,
      SuspendSessionDocument,
      ResumeSessionDocument,
      CloseSessionDocument,
      CancelSessionDocument,
    ] as TransitionDocument[]) {
      expect(codes(await post(server.url, document, { id }, bearer(admin)))[0]).toBe('CONFLICT');
    }
    const after = await state(id);
    expect(after.status).toBe('CLOSED');
    expect(after.lastSequence).toBe(3);
  });

  it('refuses bad input with BAD_USER_INPUT or NOT_FOUND', async () => {
    expect(codes(await schedule({ title: '   ' }))[0]).toBe('BAD_USER_INPUT');
    expect(codes(await schedule({ title: 'x'.repeat(501) }))[0]).toBe('BAD_USER_INPUT');
    expect(codes(await schedule({ termNumber: 42 }))[0]).toBe('BAD_USER_INPUT');
    expect(codes(await schedule({ bodyId: 'not-an-id' }))[0]).toBe('BAD_USER_INPUT');
    expect(codes(await schedule({ bodyId: Buffer.from('Body:99999').toString('base64url') }))[0]).toBe('NOT_FOUND');
    expect(
      codes(
        await post(
          server.url,
          OpenSessionDocument,
          { id: Buffer.from('Session:99999').toString('base64url') },
          bearer(admin),
        ),
      )[0],
    ).toBe('NOT_FOUND');
  });
});

describe('who may write', () => {
  it('needs a token, and a clerk writes only the bodies the token names', async () => {
    expect(codes(await schedule({}, ''))[0]).toBe('UNAUTHENTICATED');
    const boardClerk = await token('CLERK', { bodyIds: [boardId] });
    expect(codes(await schedule({}, boardClerk))[0]).toBe('FORBIDDEN');
    const councilClerk = await token('CLERK', { bodyIds: [councilId] });
    const { id } = ok(await schedule({}, councilClerk)).scheduleSession;
    expect(codes(await post(server.url, OpenSessionDocument, { id }, bearer(boardClerk)))[0]).toBe('FORBIDDEN');
    expect(codes(await post(server.url, OpenSessionDocument, { id }))[0]).toBe('UNAUTHENTICATED');
    expect((await state(id)).status).toBe('SCHEDULED');
    expect((await query(server.url, OpenSessionDocument, { id }, bearer(councilClerk))).openSession.status).toBe(
      'IN_PROGRESS',
    );
  });

  it('refuses an expired token saying so, and a forged one', async () => {
    const expired = await token('ADMIN', { ttlSeconds: -10 });
    const refused = await schedule({}, expired);
    expect(codes(refused)[0]).toBe('UNAUTHENTICATED');
    expect(refused.errors![0]!.message).toMatch(/expired/);
    const forged = `${admin.slice(0, -4)}AAAA`;
    expect(codes(await schedule({}, forged))[0]).toBe('UNAUTHENTICATED');
  });
});

describe('agenda', () => {
  it('adds at the end or at a position, keeping positions 1..n', async () => {
    const { id } = ok(await schedule()).scheduleSession;
    for (const title of ['A', 'B', 'C'])
      await query(server.url, AddAgendaItemDocument, { input: { sessionId: id, title } }, bearer(admin));
    await query(
      server.url,
      AddAgendaItemDocument,
      { input: { sessionId: id, title: 'First', position: 1 } },
      bearer(admin),
    );
    expect((await state(id)).agenda.map((i) => [i.position, i.title])).toEqual([
      [1, 'First'],
      [2, 'A'],
      [3, 'B'],
      [4, 'C'],
    ]);
    expect(
      codes(
        await post(
          server.url,
          AddAgendaItemDocument,
          { input: { sessionId: id, title: 'X', position: 6 } },
          bearer(admin),
        ),
      )[0],
    ).toBe('BAD_USER_INPUT');
    expect(
      codes(await post(server.url, AddAgendaItemDocument, { input: { sessionId: id, title: '' } }, bearer(admin)))[0],
    ).toBe('BAD_USER_INPUT');
  });

  it('updates with expectedVersion, and refuses a stale one changing nothing', async () => {
    const { id } = ok(await schedule()).scheduleSession;
    const item = (
      await query(server.url, AddAgendaItemDocument, { input: { sessionId: id, title: 'Old' } }, bearer(admin))
    ).addAgendaItem;
    const updated = (
      await query(
        server.url,
        UpdateAgendaItemDocument,
        {
          input: { id: item.id, expectedVersion: item.version, title: 'New' },
        },
        bearer(admin),
      )
    ).updateAgendaItem;
    expect(updated).toMatchObject({ title: 'New', version: item.version + 1 });
    const stale = await post(
      server.url,
      UpdateAgendaItemDocument,
      {
        input: { id: item.id, expectedVersion: item.version, title: 'Lost' },
      },
      bearer(admin),
    );
    expect(codes(stale)[0]).toBe('CONFLICT');
    const after = await state(id);
    expect(after.agenda[0]!.title).toBe('New');
    expect(after.lastSequence).toBe(3);
  });

  it('moves items with positions staying gapless, even under 50 concurrent moves', async () => {
    const { id } = ok(await schedule()).scheduleSession;
    for (let i = 1; i <= 6; i += 1)
      await query(server.url, AddAgendaItemDocument, { input: { sessionId: id, title: `P${i}` } }, bearer(admin));
    const items = (await state(id)).agenda;
    const moved = (await query(server.url, MoveAgendaItemDocument, { id: items[5]!.id, position: 1 }, bearer(admin)))
      .moveAgendaItem;
    expect(moved.position).toBe(1);
    expect((await state(id)).agenda.map((i) => i.title)).toEqual(['P6', 'P1', 'P2', 'P3', 'P4', 'P5']);
    expect(
      codes(await post(server.url, MoveAgendaItemDocument, { id: items[0]!.id, position: 7 }, bearer(admin)))[0],
    ).toBe('BAD_USER_INPUT');

    const before = (await state(id)).lastSequence;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        post(server.url, MoveAgendaItemDocument, { id: items[n % 6]!.id, position: ((n * 7) % 6) + 1 }, bearer(admin)),
      ),
    );
    expect(results.every((r) => !r.errors)).toBe(true);
    const after = await state(id);
    expect(after.agenda.map((i) => i.position)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(after.agenda.map((i) => i.title)).size).toBe(6);
    expect(after.lastSequence).toBe(before + 50);
    expect(after.events.map((e) => e.sequence)).toEqual(Array.from({ length: after.lastSequence }, (_, i) => i + 1));
  });

  it('starts one item at a time, only while the session sits, and finishes DONE only from in progress', async () => {
    const { id } = ok(await schedule()).scheduleSession;
    const a = (await query(server.url, AddAgendaItemDocument, { input: { sessionId: id, title: 'A' } }, bearer(admin)))
      .addAgendaItem;
    const b = (await query(server.url, AddAgendaItemDocument, { input: { sessionId: id, title: 'B' } }, bearer(admin)))
      .addAgendaItem;
    expect(codes(await post(server.url, StartAgendaItemDocument, { id: a.id }, bearer(admin)))[0]).toBe('CONFLICT');
    expect(
      codes(await post(server.url, FinishAgendaItemDocument, { id: a.id, status: 'DONE' }, bearer(admin)))[0],
    ).toBe('CONFLICT');
    await query(server.url, OpenSessionDocument, { id }, bearer(admin));
    expect((await query(server.url, StartAgendaItemDocument, { id: a.id }, bearer(admin))).startAgendaItem.status).toBe(
      'IN_PROGRESS',
    );
    expect(codes(await post(server.url, StartAgendaItemDocument, { id: b.id }, bearer(admin)))[0]).toBe('CONFLICT');
    expect(codes(await post(server.url, CloseSessionDocument, { id }, bearer(admin)))[0]).toBe('CONFLICT');
    const done = (await query(server.url, FinishAgendaItemDocument, { id: a.id }, bearer(admin))).finishAgendaItem;
    expect(done.status).toBe('DONE');
    expect(done.endedAt).not.toBeNull();
    expect(
      (await query(server.url, FinishAgendaItemDocument, { id: b.id, status: 'POSTPONED' }, bearer(admin)))
        .finishAgendaItem.status,
    ).toBe('POSTPONED');
    expect(
      codes(await post(server.url, FinishAgendaItemDocument, { id: b.id, status: 'WITHDRAWN' }, bearer(admin)))[0],
    ).toBe('BAD_USER_INPUT');
  });

  it('removes items before the session opens, and withdraws them afterwards, on the record', async () => {
    const { id } = ok(await schedule()).scheduleSession;
    const items = [];
    for (const title of ['A', 'B', 'C']) {
      items.push(
        (await query(server.url, AddAgendaItemDocument, { input: { sessionId: id, title } }, bearer(admin)))
          .addAgendaItem,
      );
    }
    expect(
      (await query(server.url, RemoveAgendaItemDocument, { id: items[0]!.id }, bearer(admin))).removeAgendaItem,
    ).toBe(items[0]!.id);
    expect((await state(id)).agenda.map((i) => [i.position, i.title])).toEqual([
      [1, 'B'],
      [2, 'C'],
    ]);
    await query(server.url, OpenSessionDocument, { id }, bearer(admin));
    await query(server.url, RemoveAgendaItemDocument, { id: items[1]!.id }, bearer(admin));
    expect((await state(id)).agenda.map((i) => [i.position, i.title, i.status])).toEqual([
      [1, 'B', 'WITHDRAWN'],
      [2, 'C', 'PENDING'],
    ]);
  });
});

describe('attendance', () => {
  it('records arrival and departure from the server clock, by seat or by record', async () => {
    const session = ok(await schedule()).scheduleSession;
    const before = Date.now();
    const present = (
      await query(
        server.url,
        RecordAttendanceDocument,
        {
          input: { sessionId: session.id, seatId: councilSeats[0], status: 'PRESENT' },
        },
        bearer(admin),
      )
    ).recordAttendance;
    expect(present.mode).toBe('IN_PERSON');
    expect(new Date(present.arrivedAt!).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(new Date(present.arrivedAt!).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    const left = (
      await query(
        server.url,
        RecordAttendanceDocument,
        {
          input: { sessionId: session.id, recordId: present.id, status: 'LEFT', expectedVersion: present.version },
        },
        bearer(admin),
      )
    ).recordAttendance;
    expect(left.leftAt).not.toBeNull();
    const stale = await post(
      server.url,
      RecordAttendanceDocument,
      {
        input: { sessionId: session.id, recordId: present.id, status: 'PRESENT', expectedVersion: present.version },
      },
      bearer(admin),
    );
    expect(codes(stale)[0]).toBe('CONFLICT');
    const second = session.attendance.find((r) => r.seat!.id === councilSeats[1])!;
    expect(
      codes(
        await post(
          server.url,
          RecordAttendanceDocument,
          {
            input: { sessionId: session.id, recordId: second.id, status: 'LEFT' },
          },
          bearer(admin),
        ),
      )[0],
    ).toBe('CONFLICT');
    expect(
      codes(
        await post(
          server.url,
          RecordAttendanceDocument,
          {
            input: { sessionId: session.id, seatId: councilSeats[0], recordId: present.id, status: 'ABSENT' },
          },
          bearer(admin),
        ),
      )[0],
    ).toBe('BAD_USER_INPUT');
  });

  it('reaches the quorum at 11 of 21 present, and guests never count', async () => {
    const { id } = ok(await schedule()).scheduleSession;
    await query(
      server.url,
      InviteGuestDocument,
      {
        input: { sessionId: id, fullName: 'Gość', affiliation: 'Wydział' },
      },
      bearer(admin),
    );
    for (let i = 0; i < 10; i += 1) {
      await query(
        server.url,
        RecordAttendanceDocument,
        {
          input: { sessionId: id, seatId: councilSeats[i], status: 'PRESENT' },
        },
        bearer(admin),
      );
    }
    expect((await state(id)).quorum).toEqual({ seats: 21, present: 10, required: 11, reached: false });
    await query(
      server.url,
      RecordAttendanceDocument,
      {
        input: { sessionId: id, seatId: councilSeats[10], status: 'PRESENT' },
      },
      bearer(admin),
    );
    expect((await state(id)).quorum).toEqual({ seats: 21, present: 11, required: 11, reached: true });
  });
});
