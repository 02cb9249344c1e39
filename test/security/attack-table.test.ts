import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import type { Client } from 'graphql-ws';
import { SignJWT } from 'jose';
import {
  AddAgendaItemDocument,
  CancelSessionDocument,
  SecurityDistrictBySlugDocument,
  InviteGuestDocument,
  OpenSessionDocument,
  SecurityPeopleSearchDocument,
  SecurityPersonContactDocument,
  RecordAttendanceDocument,
  ScheduleSessionDocument,
  SessionEventsDocument,
  SecuritySessionRecordDocument,
  SecuritySessionSearchDocument,
  UpdateAgendaItemDocument,
  UpdateSessionDocument,
} from '../generated/graphql';
import type { SessionEventsSubscription } from '../generated/graphql';
import {
  bearer,
  codes,
  collect,
  councilOf,
  createSeatHolder,
  encode,
  fingerprint,
  gid,
  OTHER_SECRET,
  post,
  query,
  RawSocket,
  scheduleSession,
  SECRET,
  send,
  sql,
  startTestServer,
  token,
  unchangedBy,
  UpgradeRefused,
  waitFor,
  wsClient,
} from '../support';
import type { Collected, GraphQLResponse, SeatHolder, TestServer } from '../support';

/**
 * The attack table, row by row: each row sends the real thing through the
 * real transports and checks both the outcome and that no data changed
 * (a fingerprint of every table, before and after). Operation-shape limits
 * (depth, aliases, tokens, rows, body size, batch size) are in
 * operation-limits.test.ts; the protocol's close codes and the socket limits
 * in websocket-protocol.test.ts.
 */

let server: TestServer;
let admin: string;
/** A session of the council of district V, with one agenda item. */
let target: { sessionId: string; itemId: string; seatGid: string; bodyGid: string };

beforeAll(async () => {
  server = await startTestServer({
    env: {
      // Room for a 1 MB argument to reach the resolvers, which must refuse it themselves.
      BODY_LIMIT_BYTES: String(4 * 1024 * 1024),
      WS_INIT_TIMEOUT_MS: '300',
    },
  });
  admin = await token('ADMIN');
  const council = await councilOf(server, 5);
  const sessionId = await scheduleSession(server, admin, council.bodyGid, 'Sesja Rady Dzielnicy V');
  const item = await query(
    server.url,
    AddAgendaItemDocument,
    { input: { sessionId, title: 'Zaopiniowanie projektu uchwały' } },
    bearer(admin),
  );
  target = {
    sessionId,
    itemId: item.addAgendaItem.id,
    seatGid: gid('Seat', council.seatIds[2]!),
    bodyGid: council.bodyGid,
  };
});
afterAll(() => server?.stop());

/** Runs an attack and checks that every table is exactly as it was. */
const unchanged = <T>(attack: () => Promise<T>): Promise<T> => unchangedBy(server, attack);

describe('huge arguments', () => {
  it('refuses a 1 MB agenda item title with BAD_USER_INPUT, writing nothing', async () => {
    const result = await unchanged(() =>
      post(
        server.url,
        AddAgendaItemDocument,
        { input: { sessionId: target.sessionId, title: 'Ż'.repeat(1024 * 1024) } },
        bearer(admin),
      ),
    );
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: 'input.title may be at most 500 characters long.',
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'input.title' },
      }),
    ]);
  });

  it('refuses 1 MB in every other string input of a write', async () => {
    const huge = 'x'.repeat(1024 * 1024);
    const attempts = () => [
      post(
        server.url,
        AddAgendaItemDocument,
        { input: { sessionId: target.sessionId, title: 't', description: huge } },
        bearer(admin),
      ),
      post(
        server.url,
        AddAgendaItemDocument,
        { input: { sessionId: target.sessionId, title: 't', presenter: huge } },
        bearer(admin),
      ),
      post(
        server.url,
        UpdateSessionDocument,
        { input: { id: target.sessionId, venue: { name: huge, address: 'a' } } },
        bearer(admin),
      ),
      post(server.url, UpdateSessionDocument, { input: { id: target.sessionId, description: huge } }, bearer(admin)),
      post(server.url, InviteGuestDocument, { input: { sessionId: target.sessionId, fullName: huge } }, bearer(admin)),
      post(
        server.url,
        InviteGuestDocument,
        { input: { sessionId: target.sessionId, fullName: 'g', affiliation: huge } },
        bearer(admin),
      ),
      post(server.url, CancelSessionDocument, { id: target.sessionId, reason: huge }, bearer(admin)),
    ];
    const results = await unchanged(() => Promise.all(attempts()));
    for (const result of results) expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a 200 kB search filter with BAD_USER_INPUT, for sessions and for people', async () => {
    const search = 'rada '.repeat(40 * 1024);
    const sessions = await unchanged(() => post(server.url, SecuritySessionSearchDocument, { search }));
    expect(sessions.errors?.[0]).toMatchObject({
      message: 'filter.search may be at most 200 characters long.',
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'filter.search' },
    });
    const people = await unchanged(() => post(server.url, SecurityPeopleSearchDocument, { search }));
    expect(people.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argumentName: 'search' });
    const slug = await unchanged(() => post(server.url, SecurityDistrictBySlugDocument, { slug: search }));
    expect(codes(slug)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('deeply nested input', () => {
  const nestObject = (depth: number): unknown => {
    let value: unknown = 'rada';
    for (let i = 0; i < depth; i += 1) value = { search: value };
    return value;
  };

  it('refuses a filter object nested 1000 levels deep in a JSON variable', async () => {
    const { status, json } = await unchanged(() =>
      send(server.url, {
        query: 'query($filter: SessionFilter) { sessions(filter: $filter) { totalCount } }',
        variables: { filter: nestObject(1000) },
      }),
    );
    expect(status).toBe(400);
    expect(codes(json)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses 100,000 levels of nesting in a write’s variables without harm to the server', async () => {
    // Written by hand: JSON.stringify itself would overflow the stack at this depth.
    const depth = 100_000;
    const body = `{"query":"mutation($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { id } }","variables":{"input":{"sessionId":"${target.sessionId}","title":"x","description":${'{"search":'.repeat(depth)}"x"${'}'.repeat(depth)}}}}`;
    const { status, json } = await unchanged(() => send(server.url, body, bearer(admin)));
    expect(status).toBe(400);
    expect(codes(json)).toEqual(['BAD_USER_INPUT']);
    // Still serving.
    expect((await post(server.url, SecuritySessionSearchDocument, { search: 'rada' })).status).toBe(200);
  });

  it('refuses a deeply nested list literal, within and beyond the token limit', async () => {
    const literal = (depth: number): string => `${'['.repeat(depth)}"x"${']'.repeat(depth)}`;
    const within = await unchanged(() =>
      send(
        server.url,
        {
          query: `mutation { addAgendaItem(input: { sessionId: "${target.sessionId}", title: ${literal(900)} }) { id } }`,
        },
        bearer(admin),
      ),
    );
    expect(codes(within.json)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const beyond = await unchanged(() =>
      send(
        server.url,
        {
          query: `mutation { addAgendaItem(input: { sessionId: "${target.sessionId}", title: ${literal(50_000)} }) { id } }`,
        },
        bearer(admin),
      ),
    );
    expect(beyond.status).toBe(400);
    expect(codes(beyond.json)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(beyond.json.errors?.[0]?.message).toMatch(/Token limit of 2000 exceeded/);
  });
});

describe('batched operations', () => {
  const add = (n: number) => ({
    query: 'mutation($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { id } }',
    variables: { input: { sessionId: target.sessionId, title: `Punkt z paczki ${n}` } },
  });

  it('refuses a batch of writes past MAX_BATCH whole, running none of them', async () => {
    const { status, json } = await unchanged(() =>
      send(
        server.url,
        Array.from({ length: 6 }, (_, n) => add(n)),
        bearer(admin),
      ),
    );
    expect(status).toBe(400);
    expect((json as unknown as GraphQLResponse<unknown>).errors?.[0]?.message).toBe(
      'A batch may hold at most 5 operations; got 6.',
    );
  });

  it('refuses a batch of 1000 anonymous writes before running any', async () => {
    const { status } = await unchanged(() =>
      send(
        server.url,
        Array.from({ length: 1000 }, (_, n) => add(n)),
      ),
    );
    expect(status).toBe(400);
  });

  it('refuses a batch whose one operation is over the token limit, running none', async () => {
    const heavy = { query: `{ districts { ${Array.from({ length: 2100 }, () => 'number').join(' ')} } }` };
    const { status, json } = await unchanged(() => send(server.url, [add(1), heavy], bearer(admin)));
    expect(status).toBe(400);
    expect(codes(json as unknown as GraphQLResponse<unknown>)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('answers each operation of an anonymous batch of writes with UNAUTHENTICATED', async () => {
    const { status, json } = await unchanged(() => send(server.url, [add(1), add(2), add(3)]));
    expect(status).toBe(200);
    expect(json.map((result) => codes(result as GraphQLResponse<unknown>))).toEqual([
      ['UNAUTHENTICATED'],
      ['UNAUTHENTICATED'],
      ['UNAUTHENTICATED'],
    ]);
  });
});

describe('writes without the right to write', () => {
  /** Every mutation of the schema, aimed at the target session. */
  const writes = (): [string, TypedDocumentNode<unknown, Record<string, unknown>>, Record<string, unknown>][] => [
    [
      'scheduleSession',
      ScheduleSessionDocument as TypedDocumentNode<unknown, Record<string, unknown>>,
      {
        input: { bodyId: target.bodyGid, termNumber: 9, title: 'Przejęta sesja', scheduledAt: '2031-01-01T10:00:00Z' },
      },
    ],
    [
      'updateSession',
      UpdateSessionDocument as TypedDocumentNode<unknown, Record<string, unknown>>,
      { input: { id: target.sessionId, title: 'Przejęta' } },
    ],
    [
      'openSession',
      OpenSessionDocument as TypedDocumentNode<unknown, Record<string, unknown>>,
      { id: target.sessionId },
    ],
    [
      'cancelSession',
      CancelSessionDocument as TypedDocumentNode<unknown, Record<string, unknown>>,
      { id: target.sessionId, reason: 'bo tak' },
    ],
    [
      'addAgendaItem',
      AddAgendaItemDocument as TypedDocumentNode<unknown, Record<string, unknown>>,
      { input: { sessionId: target.sessionId, title: 'Wrzutka' } },
    ],
    [
      'updateAgendaItem',
      UpdateAgendaItemDocument as TypedDocumentNode<unknown, Record<string, unknown>>,
      { input: { id: target.itemId, title: 'Podmieniony' } },
    ],
    [
      'inviteGuest',
      InviteGuestDocument as TypedDocumentNode<unknown, Record<string, unknown>>,
      { input: { sessionId: target.sessionId, fullName: 'Nieproszony Gość' } },
    ],
    [
      'recordAttendance',
      RecordAttendanceDocument as TypedDocumentNode<unknown, Record<string, unknown>>,
      { input: { sessionId: target.sessionId, seatId: target.seatGid, status: 'PRESENT' } },
    ],
  ];

  const callers: [string, () => Promise<Record<string, string>>, { status: number; code: string }][] = [
    ['no token', () => Promise.resolve({}), { status: 200, code: 'UNAUTHENTICATED' }],
    [
      'an expired token',
      async () => bearer(await token('ADMIN', { ttlSeconds: -60 })),
      { status: 401, code: 'UNAUTHENTICATED' },
    ],
    [
      'a forged token (another secret)',
      async () => bearer(await token('ADMIN', { secret: OTHER_SECRET })),
      { status: 401, code: 'UNAUTHENTICATED' },
    ],
    [
      'a token with alg none',
      async () => {
        const encodePart = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
        const exp = Math.floor(Date.now() / 1000) + 600;
        return bearer(`${encodePart({ alg: 'none', typ: 'JWT' })}.${encodePart({ sub: 'x', role: 'ADMIN', exp })}.`);
      },
      { status: 401, code: 'UNAUTHENTICATED' },
    ],
    [
      'a clerk token whose claims were edited to ADMIN',
      async () => {
        const [header, , signature] = (await token('CLERK', { bodyIds: [] })).split('.');
        const claims = { sub: 'clerk', role: 'ADMIN', exp: Math.floor(Date.now() / 1000) + 600 };
        return bearer(`${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`);
      },
      { status: 401, code: 'UNAUTHENTICATED' },
    ],
    [
      'a token with no role',
      async () =>
        bearer(
          await new SignJWT({})
            .setProtectedHeader({ alg: 'HS256' })
            .setSubject('nobody')
            .setExpirationTime('10m')
            .sign(encode(SECRET)),
        ),
      { status: 401, code: 'UNAUTHENTICATED' },
    ],
    [
      'a clerk token of another body',
      async () => bearer(await token('CLERK', { bodyIds: [(await councilOf(server, 6)).bodyGid] })),
      { status: 200, code: 'FORBIDDEN' },
    ],
  ];

  it.each(callers)('refuses every write with %s, changing nothing', async (_who, headers, expected) => {
    const authorization = await headers();
    for (const [name, document, variables] of writes()) {
      const result = await unchanged(() => post(server.url, document, variables, authorization));
      expect({ name, status: result.status, codes: codes(result), data: result.data ?? null }).toEqual({
        name,
        status: expected.status,
        codes: [expected.code],
        data: null,
      });
      expect(result.errors?.[0]?.message).toEqual(expect.any(String));
    }
  });

  it('refuses a write over WebSocket without a token, and a socket with a forged one', async () => {
    const client = wsClient(server);
    try {
      const result = await unchanged(
        () =>
          new Promise<GraphQLResponse<unknown>>((resolve, reject) => {
            client.subscribe(
              {
                query: print(AddAgendaItemDocument),
                variables: { input: { sessionId: target.sessionId, title: 'Przez gniazdo' } },
              },
              { next: (value) => resolve(value as GraphQLResponse<unknown>), error: reject, complete: () => {} },
            );
          }),
      );
      expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    } finally {
      await client.dispose();
    }
    const forged = await RawSocket.open(server.wsUrl);
    forged.send({
      type: 'connection_init',
      payload: { authorization: `Bearer ${await token('ADMIN', { secret: OTHER_SECRET })}` },
    });
    expect((await forged.closed).code).toBe(4403);
  });
});

describe('personal data', () => {
  let holder: SeatHolder;
  let sessionId: string;
  const as: Record<string, () => Promise<Record<string, string>>> = {
    anonymous: () => Promise.resolve({}),
    admin: async () => bearer(admin),
    'a clerk of the body': async () => bearer(await token('CLERK', { bodyIds: [holder.bodyGid] })),
    'a clerk of another body': async () =>
      bearer(await token('CLERK', { bodyIds: [(await councilOf(server, 8)).bodyGid] })),
  };
  const sees: Record<string, boolean> = {
    anonymous: false,
    admin: true,
    'a clerk of the body': true,
    'a clerk of another body': false,
  };

  beforeAll(async () => {
    holder = await createSeatHolder(server, 7);
    sessionId = await scheduleSession(server, admin, holder.bodyGid, 'Sesja Rady Dzielnicy VII');
  });

  it.each(Object.keys(as))('shows contact details over HTTP only to those allowed: %s', async (who) => {
    const headers = await as[who]!();
    const expected = sees[who] ? { email: holder.email, phone: holder.phone } : { email: null, phone: null };
    const person = await unchanged(() =>
      query(server.url, SecurityPersonContactDocument, { id: holder.personGid }, headers),
    );
    expect(person.person).toMatchObject(expected);
    const people = await query(
      server.url,
      SecurityPeopleSearchDocument,
      { search: 'Radna Testowa Dzielnicy 7' },
      headers,
    );
    expect(people.people.nodes).toEqual([expect.objectContaining(expected)]);
    const record = await query(server.url, SecuritySessionRecordDocument, { id: sessionId }, headers);
    const seat = record.session?.attendance.find((row) => row.person?.id === holder.personGid);
    expect(seat?.person).toMatchObject(expected);
  });

  it('shows contact details in a sessionEvents payload only to those allowed', async () => {
    const clients: Record<string, Client> = {};
    const streams: Record<string, Collected<SessionEventsSubscription>> = {};
    for (const who of Object.keys(as)) {
      const authorization = (await as[who]!()).authorization?.replace(/^Bearer /, '');
      clients[who] = wsClient(server, authorization);
      // From after 1 (the session was scheduled): nothing is missed however soon the change comes.
      streams[who] = collect(clients[who], SessionEventsDocument, { sessionId, after: 1 });
    }
    try {
      await query(
        server.url,
        RecordAttendanceDocument,
        { input: { sessionId, seatId: holder.seatGid, status: 'PRESENT' } },
        bearer(admin),
      );
      for (const who of Object.keys(as)) {
        await waitFor(() => streams[who]!.results.length === 1, `the event to reach ${who}`);
        const event = streams[who]!.results[0]!.data!.sessionEvents;
        expect({ who, person: event.attendance?.person }).toEqual({
          who,
          person: {
            id: holder.personGid,
            fullName: 'Radna Testowa Dzielnicy 7',
            email: sees[who] ? holder.email : null,
            phone: sees[who] ? holder.phone : null,
          },
        });
        expect(streams[who]!.errors).toEqual([]);
      }
    } finally {
      for (const client of Object.values(clients)) await client.dispose();
    }
  });
});

describe('SQL metacharacters', () => {
  const NASTY = [
    "'; DROP TABLE session; --",
    "Robert'); DROP TABLE person;--",
    "' OR '1'='1",
    '%',
    '_',
    '\\',
    '"',
    '$1',
    '%_\\%',
    '$$ SELECT pg_sleep(10) $$',
    '/**/ UNION SELECT email, phone FROM person--',
    // Eight words at most: a longer search is refused before it reaches the database.
    'Zażółć gęślą jaźń „cytat”—«» 𝄞🏛️ ﬁ עברית 東京',
  ];

  it('stores every string input verbatim, and reads it back the same', async () => {
    const before = await fingerprint(server);
    const body = (await councilOf(server, 9)).bodyGid;
    for (const text of NASTY) {
      const scheduled = await query(
        server.url,
        ScheduleSessionDocument,
        {
          input: {
            bodyId: body,
            termNumber: 9,
            title: text,
            description: text,
            scheduledAt: '2031-06-01T17:00:00+02:00',
            venue: { name: text, address: text },
          },
        },
        bearer(admin),
      );
      const id = scheduled.scheduleSession.id;
      const updated = await query(
        server.url,
        UpdateSessionDocument,
        {
          input: {
            id,
            title: `${text} (2)`,
            description: `${text} (2)`,
            venue: { name: `${text} (2)`, address: text },
          },
        },
        bearer(admin),
      );
      expect(updated.updateSession).toMatchObject({
        title: `${text} (2)`,
        description: `${text} (2)`,
        venue: { name: `${text} (2)`, address: text },
      });
      const item = await query(
        server.url,
        AddAgendaItemDocument,
        { input: { sessionId: id, title: text, description: text, presenter: text } },
        bearer(admin),
      );
      expect(item.addAgendaItem).toMatchObject({ title: text, description: text, presenter: text });
      await query(server.url, AddAgendaItemDocument, { input: { sessionId: id, title: 'drugi punkt' } }, bearer(admin));
      const second = await query(
        server.url,
        UpdateAgendaItemDocument,
        { input: { id: item.addAgendaItem.id, title: text, description: text, presenter: text } },
        bearer(admin),
      );
      expect(second.updateAgendaItem).toMatchObject({ title: text, description: text, presenter: text });
      const guest = await query(
        server.url,
        InviteGuestDocument,
        { input: { sessionId: id, fullName: text, affiliation: text } },
        bearer(admin),
      );
      expect(guest.inviteGuest).toMatchObject({ label: text, affiliation: text });
      const cancelled = await query(server.url, CancelSessionDocument, { id, reason: text }, bearer(admin));
      expect(cancelled.cancelSession.cancellationReason).toBe(text);

      const record = (await query(server.url, SecuritySessionRecordDocument, { id }, bearer(admin))).session!;
      expect(record).toMatchObject({
        title: `${text} (2)`,
        description: `${text} (2)`,
        cancellationReason: text,
        venue: { name: `${text} (2)`, address: text },
      });
      expect(record.agenda[0]).toMatchObject({ title: text, description: text, presenter: text });
      expect(record.attendance.find((row) => row.affiliation !== null)).toMatchObject({
        label: text,
        affiliation: text,
      });
      // And in the database itself, not only in what the server echoes.
      const [row] = await sql<{ reason: string; venue: string; presenter: string }>(
        server,
        `SELECT s.cancellation_reason AS reason, s.venue_address AS venue, a.presenter
         FROM session s JOIN agenda_item a ON a.session_id = s.id AND a.position = 1 WHERE s.title = $1`,
        [`${text} (2)`],
      );
      expect(row).toEqual({ reason: text, venue: text, presenter: text });
    }
    // Nothing was dropped or rewritten beyond the rows written above.
    const after = await fingerprint(server);
    expect(after.tables).toBe(before.tables);
    for (const table of ['district', 'body', 'term', 'seat', 'person', 'mandate'])
      expect(after[table]).toBe(before[table]);
  });

  it('treats every string filter as data: finds what holds its words, and only that', async () => {
    const before = await fingerprint(server);
    for (const text of NASTY) {
      // Search matches words (issue 14): what holds no letter or digit is no word, and a text of none finds nothing.
      const words = text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word));
      const has = (column: string, i: number): string => `strpos(lower(${column}), lower($${i + 1})) > 0`;
      // Each word's letters and digits, without diacritics: what any match must at least hold.
      const core = (column: string, i: number): string =>
        `strpos(lower(public.obrady_unaccent(${column})), lower(public.obrady_unaccent(regexp_replace($${i + 1}, '^[^[:alnum:]]+|[^[:alnum:]]+$', '', 'g')))) > 0`;
      const sessionsWhere = (test: (column: string, i: number) => string): string =>
        words.length === 0
          ? 'false'
          : words
              .map(
                (_, i) =>
                  `(${test('s.title', i)} OR ${test("coalesce(s.description, '')", i)}
                   OR EXISTS (SELECT 1 FROM agenda_item a WHERE a.session_id = s.id
                                AND (${test('a.title', i)} OR ${test("coalesce(a.description, '')", i)})))`,
              )
              .join(' AND ');
      const ids = async (where: string): Promise<string[]> =>
        (await sql<{ id: number }>(server, `SELECT s.id FROM session s WHERE ${where}`, words))
          .map((row) => gid('Session', row.id))
          .sort();
      // The oracles: plain substring tests in SQL, no pattern, no text search.
      const holding = await ids(sessionsWhere(has));
      const possible = await ids(sessionsWhere(core));
      const sessions = await query(server.url, SecuritySessionSearchDocument, { search: text });
      const found = sessions.sessions.nodes.map((node) => node.id).sort();
      expect({ text, missing: holding.filter((id) => !found.includes(id)) }).toEqual({ text, missing: [] });
      expect({ text, unfounded: found.filter((id) => !possible.includes(id)) }).toEqual({ text, unfounded: [] });
      // The stored metacharacters are there to be found: the search is not simply finding nothing.
      if (words.length > 0) expect(sessions.sessions.totalCount).toBeGreaterThan(0);
      else expect(sessions.sessions.totalCount).toBe(0);

      const expectedPeople = await sql<{ id: number }>(
        server,
        `SELECT id FROM person WHERE ${words.length === 0 ? 'false' : words.map((_, i) => has('full_name', i)).join(' AND ')}`,
        words,
      );
      const people = await query(server.url, SecurityPeopleSearchDocument, { search: text });
      const foundPeople = people.people.nodes.map((node) => node.id);
      expect({
        text,
        missing: expectedPeople.map((row) => gid('Person', row.id)).filter((id) => !foundPeople.includes(id)),
      }).toEqual({
        text,
        missing: [],
      });

      const district = await query(server.url, SecurityDistrictBySlugDocument, { slug: text });
      expect(district.district).toBeNull();
    }
    expect(await fingerprint(server)).toEqual(before);
  });
});

describe('values the database cannot hold', () => {
  const cursor = (parts: unknown[]): string => Buffer.from(JSON.stringify(parts)).toString('base64url');
  const id = (text: string): string => Buffer.from(text).toString('base64url');

  it('refuses a NUL character in any string input or filter with BAD_USER_INPUT, never an internal error', async () => {
    const nul = 'przed\u0000po';
    const results = await unchanged(() =>
      Promise.all([
        post(server.url, AddAgendaItemDocument, { input: { sessionId: target.sessionId, title: nul } }, bearer(admin)),
        post(
          server.url,
          AddAgendaItemDocument,
          { input: { sessionId: target.sessionId, title: 't', presenter: nul } },
          bearer(admin),
        ),
        post(server.url, UpdateSessionDocument, { input: { id: target.sessionId, description: nul } }, bearer(admin)),
        post(server.url, InviteGuestDocument, { input: { sessionId: target.sessionId, fullName: nul } }, bearer(admin)),
        post(server.url, CancelSessionDocument, { id: target.sessionId, reason: nul }, bearer(admin)),
        post(server.url, SecuritySessionSearchDocument, { search: nul }),
        post(server.url, SecurityPeopleSearchDocument, { search: nul }),
        post(server.url, SecurityDistrictBySlugDocument, { slug: nul }),
      ]),
    );
    for (const result of results) {
      expect(result.errors?.[0]?.message).toMatch(/must not contain the NUL character/);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('refuses ids and cursors the server never issued with BAD_USER_INPUT, never an internal error', async () => {
    const attempts: [string, Record<string, unknown>][] = [
      ['query($id: ID!) { node(id: $id) { id } }', { id: id('Session:999999999999999') }],
      ['query($id: ID!) { session(id: $id) { id } }', { id: id('Session:2147483648') }],
      ['query($a: String) { people(after: $a) { totalCount } }', { a: cursor(['p', 'a\u0000', 1]) }],
      ['query($a: String) { people(after: $a) { totalCount } }', { a: cursor(['p', 'Kowalski', 1e15]) }],
      ['query($a: String) { sessions(after: $a) { totalCount } }', { a: cursor(['sd', Date.now(), 4294967296]) }],
      ['query($a: String) { sessions(after: $a) { totalCount } }', { a: cursor(['sd', -8.64e15, 1]) }],
    ];
    for (const [query, variables] of attempts) {
      const { json } = await unchanged(() => send(server.url, { query, variables }));
      expect({ query, variables, codes: codes(json) }).toEqual({ query, variables, codes: ['BAD_USER_INPUT'] });
    }
  });

  it('answers the largest Int as an event sequence with an empty page, not an internal error', async () => {
    const { json } = await unchanged(() =>
      send(server.url, {
        query: 'query($id: ID!, $after: Int) { session(id: $id) { events(after: $after, first: 1000) { sequence } } }',
        variables: { id: target.sessionId, after: 2147483647 },
      }),
    );
    expect(json).toEqual({ data: { session: { events: [] } } });
  });
});

describe('subscription flood from one address', () => {
  it('is refused past the socket, subscription and subscribe-rate limits, and changes nothing', async () => {
    const flood = await startTestServer({
      env: {
        WS_MAX_SOCKETS_PER_ADDRESS: '4',
        WS_MAX_SUBSCRIPTIONS: '5',
        WS_SUBSCRIBE_RATE_LIMIT: '30',
      },
    });
    const sockets: RawSocket[] = [];
    try {
      // A session with one event: a live subscription from after 0 answers with it at once.
      const sessionId = await scheduleSession(flood, admin, (await councilOf(flood, 10)).bodyGid);
      const before = await fingerprint(flood);
      let refusedUpgrades = 0;
      for (let i = 0; i < 10; i += 1) {
        const socket = new RawSocket(flood.wsUrl);
        const opened = await socket.opened.then(
          () => true,
          (error: unknown) => {
            expect(error).toBeInstanceOf(UpgradeRefused);
            expect((error as UpgradeRefused).status).toBe(429);
            return false;
          },
        );
        if (opened) sockets.push(socket);
        else refusedUpgrades += 1;
      }
      expect(sockets).toHaveLength(4);
      expect(refusedUpgrades).toBe(6);

      for (const socket of sockets) await socket.init();
      const ids = Array.from({ length: 12 }, (_, n) => `s${n}`);
      for (const socket of sockets) {
        for (const id of ids) {
          socket.subscribe(id, 'subscription($id: ID!) { sessionEvents(sessionId: $id, after: 0) { sequence } }', {
            id: sessionId,
          });
        }
      }
      // Every subscribe is answered: the replayed event (live), or an error (refused).
      const outcomes = await Promise.all(
        sockets.flatMap((socket) =>
          ids.map(async (id) => {
            const answer = await socket.next(
              (message) => message.id === id && (message.type === 'next' || message.type === 'error'),
              `the answer to ${id}`,
            );
            if (answer.type === 'next') return 'live';
            const [error] = answer.payload as { extensions?: { code?: string } }[];
            return error?.extensions?.code ?? 'no code';
          }),
        ),
      );
      const count = (outcome: string): number => outcomes.filter((o) => o === outcome).length;
      // 48 subscribes; 30 a minute from one address, at most 5 live per socket.
      expect(count('live') + count('BAD_USER_INPUT') + count('RATE_LIMITED')).toBe(48);
      expect(count('live')).toBeLessThanOrEqual(20);
      expect(count('live') + count('BAD_USER_INPUT')).toBeLessThanOrEqual(31);
      expect(count('RATE_LIMITED')).toBeGreaterThanOrEqual(17);
      const metrics = await (await fetch(flood.url.replace('/graphql', '/metrics'))).text();
      expect(Number(/^obrady_subscriptions_active (\d+)$/m.exec(metrics)?.[1])).toBe(count('live'));
      expect(await fingerprint(flood)).toEqual(before);
    } finally {
      for (const socket of sockets) socket.close();
      await flood.stop();
    }
  });

  it('closes with 4408 a socket that never sends connection_init', async () => {
    const socket = await RawSocket.open(server.wsUrl);
    expect((await unchanged(() => socket.closed)).code).toBe(4408);
  });
});
