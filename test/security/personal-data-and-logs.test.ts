import { Writable } from 'node:stream';
import pino from 'pino';
import {
  AddAgendaItemDocument,
  CloseSessionDocument,
  FinishAgendaItemDocument,
  OpenSessionDocument,
  SecurityPersonContactDocument,
  RecordAttendanceDocument,
  ResumeSessionDocument,
  SessionEventsDocument,
  SecuritySessionRecordDocument,
  StartAgendaItemDocument,
  SuspendSessionDocument,
  UpdateSessionDocument,
} from '../generated/graphql';
import type { SessionEventsSubscription } from '../generated/graphql';
import {
  bearer,
  collect,
  createSeatHolder,
  OTHER_SECRET,
  post,
  query,
  RawSocket,
  scheduleSession,
  SECRET,
  startTestServer,
  token,
  waitFor,
  wsClient,
} from '../support';
import type { Collected, SeatHolder, TestServer } from '../support';

/**
 * A whole session run with an admin's token while a member's contact
 * details are on file, with everything the server logs captured (at trace,
 * its most verbose, and without the production logger's redaction, so that
 * what is checked is what the call sites write): neither the token nor the
 * contact details appear in it. And who made each change (changedBy) is
 * shown to admins only.
 */

const lines: string[] = [];
const capture = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(chunk.toString());
    done();
  },
});

let server: TestServer;
let holder: SeatHolder;
let admin: string;
let clerk: string;
let sessionId: string;
const ADMIN_SUBJECT = 'anna.nowak@um.krakow.pl';
const CLERK_SUBJECT = 'clerk-district-13';
const streams: Record<'admin' | 'clerk' | 'public', Collected<SessionEventsSubscription>> = {} as never;
const clients: ReturnType<typeof wsClient>[] = [];

beforeAll(async () => {
  server = await startTestServer({
    env: { LOG_LEVEL: 'trace' },
    log: pino({ level: 'trace' }, capture),
  });
  holder = await createSeatHolder(server, 13, 4, {
    email: 'maria.wisniewska.radna@example.org',
    phone: '+48 600 700 800',
    fullName: 'Maria Wiśniewska',
  });
  admin = await token('ADMIN', { subject: ADMIN_SUBJECT });
  clerk = await token('CLERK', { subject: CLERK_SUBJECT, bodyIds: [holder.bodyGid] });
});
afterAll(async () => {
  for (const client of clients) await client.dispose();
  await server?.stop();
});

describe('a session run while contact details are on file', () => {
  it('runs from scheduling to closing, with every watcher getting every event', async () => {
    sessionId = await scheduleSession(server, admin, holder.bodyGid, 'XII sesja Rady Dzielnicy XIII');
    for (const [who, bearerToken] of [
      ['admin', admin],
      ['clerk', clerk],
      ['public', undefined],
    ] as const) {
      const client = wsClient(server, bearerToken);
      clients.push(client);
      streams[who] = collect(client, SessionEventsDocument, { sessionId, after: 0 });
    }
    const as = bearer(admin);
    const first = await query(server.url, AddAgendaItemDocument, { input: { sessionId, title: 'Otwarcie sesji' } }, as);
    // One change by the clerk, whose accountability the admin must see too.
    await query(
      server.url,
      AddAgendaItemDocument,
      { input: { sessionId, title: 'Sprawozdanie z prac Zarządu', presenter: 'Przewodniczący Zarządu' } },
      bearer(clerk),
    );
    await query(server.url, UpdateSessionDocument, { input: { id: sessionId, description: 'Porządek przyjęty' } }, as);
    await query(server.url, OpenSessionDocument, { id: sessionId }, as);
    const present = await query(
      server.url,
      RecordAttendanceDocument,
      { input: { sessionId, seatId: holder.seatGid, status: 'PRESENT' } },
      as,
    );
    expect(present.recordAttendance.person).toEqual({
      id: holder.personGid,
      fullName: 'Maria Wiśniewska',
      email: holder.email,
      phone: holder.phone,
    });
    await query(server.url, StartAgendaItemDocument, { id: first.addAgendaItem.id }, as);
    await query(server.url, FinishAgendaItemDocument, { id: first.addAgendaItem.id }, as);
    await query(server.url, SuspendSessionDocument, { id: sessionId }, as);
    await query(server.url, ResumeSessionDocument, { id: sessionId }, as);
    const closed = await query(server.url, CloseSessionDocument, { id: sessionId }, as);
    expect(closed.closeSession).toMatchObject({ status: 'CLOSED', lastSequence: 11 });

    for (const who of ['admin', 'clerk', 'public'] as const) {
      await waitFor(() => streams[who].results.length === 11, `all eleven events to reach the ${who} subscriber`);
      expect(streams[who].results.map((r) => r.data?.sessionEvents.sequence)).toEqual(
        Array.from({ length: 11 }, (_, i) => i + 1),
      );
      expect(streams[who].errors).toEqual([]);
    }
  });

  it('gives the admin the contact details, over HTTP and in the event', async () => {
    const contact = await query(server.url, SecurityPersonContactDocument, { id: holder.personGid }, bearer(admin));
    expect(contact.person).toMatchObject({ email: holder.email, phone: holder.phone });
    const record = await query(server.url, SecuritySessionRecordDocument, { id: sessionId }, bearer(admin));
    expect(record.session?.attendance.find((row) => row.person?.id === holder.personGid)?.person).toMatchObject({
      email: holder.email,
      phone: holder.phone,
    });
    const attendance = streams.admin.results.find((r) => r.data?.sessionEvents.kind === 'ATTENDANCE_RECORDED');
    expect(attendance?.data?.sessionEvents.attendance?.person).toMatchObject({
      email: holder.email,
      phone: holder.phone,
    });
  });

  it('gives them to a clerk of the body, and not to the public', async () => {
    const byClerk = streams.clerk.results.find((r) => r.data?.sessionEvents.kind === 'ATTENDANCE_RECORDED');
    expect(byClerk?.data?.sessionEvents.attendance?.person).toMatchObject({ email: holder.email, phone: holder.phone });
    const byPublic = streams.public.results.find((r) => r.data?.sessionEvents.kind === 'ATTENDANCE_RECORDED');
    expect(byPublic?.data?.sessionEvents.attendance?.person).toMatchObject({ email: null, phone: null });
    const contact = await query(server.url, SecurityPersonContactDocument, { id: holder.personGid });
    expect(contact.person).toMatchObject({ email: null, phone: null });
  });
});

describe('changedBy', () => {
  const expectedForAdmin = [
    `ADMIN ${ADMIN_SUBJECT}`,
    `ADMIN ${ADMIN_SUBJECT}`,
    `CLERK ${CLERK_SUBJECT}`,
    ...Array.from({ length: 8 }, () => `ADMIN ${ADMIN_SUBJECT}`),
  ];

  it('names who made each change to an admin, over HTTP and over WebSocket', async () => {
    const record = await query(server.url, SecuritySessionRecordDocument, { id: sessionId }, bearer(admin));
    expect(record.session?.events.map((event) => event.changedBy)).toEqual(expectedForAdmin);
    expect(streams.admin.results.map((r) => r.data?.sessionEvents.changedBy)).toEqual(expectedForAdmin);
  });

  it('is null for the public and for clerks, even for the clerk’s own change', async () => {
    for (const headers of [{}, bearer(clerk)]) {
      const record = await query(server.url, SecuritySessionRecordDocument, { id: sessionId }, headers);
      expect(record.session?.events.map((event) => event.changedBy)).toEqual(Array.from({ length: 11 }, () => null));
    }
    for (const who of ['clerk', 'public'] as const) {
      expect(streams[who].results.map((r) => r.data?.sessionEvents.changedBy)).toEqual(
        Array.from({ length: 11 }, () => null),
      );
    }
  });
});

describe('the log', () => {
  it('holds neither the tokens nor the contact details, from any path', async () => {
    // The failure paths too: a bad token over HTTP and over WebSocket, an expired one, and a refused write.
    const expired = await token('ADMIN', { ttlSeconds: -5, subject: ADMIN_SUBJECT });
    const forged = await token('ADMIN', { secret: OTHER_SECRET, subject: ADMIN_SUBJECT });
    expect(
      (await post(server.url, SecurityPersonContactDocument, { id: holder.personGid }, bearer(expired))).status,
    ).toBe(401);
    expect(
      (await post(server.url, SecurityPersonContactDocument, { id: holder.personGid }, bearer(forged))).status,
    ).toBe(401);
    const refused = await post(server.url, OpenSessionDocument, { id: sessionId }, bearer(admin));
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const socket = await RawSocket.open(server.wsUrl);
    socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${forged}` } });
    expect((await socket.closed).code).toBe(4403);

    await waitFor(() => lines.some((line) => line.includes('"graphql request"')), 'request log lines');
    const log = lines.join('');
    // The capture works: the requests above are in it.
    expect(lines.filter((line) => line.includes('"graphql request"')).length).toBeGreaterThanOrEqual(15);
    const secrets = {
      'admin token': admin,
      'admin token signature': admin.split('.')[2]!,
      'clerk token': clerk,
      'expired token': expired,
      'forged token': forged,
      'auth secret': SECRET,
      email: holder.email,
      'email local part': holder.email.split('@')[0]!,
      phone: holder.phone,
      'phone digits': holder.phone.replace(/\D/g, ''),
      'phone without country code': '600 700 800',
    };
    const found = Object.entries(secrets)
      .filter(([, secret]) => log.includes(secret) || log.replace(/\s/g, '').includes(secret.replace(/\s/g, '')))
      .map(([name]) => name);
    expect(found).toEqual([]);
  });
});
