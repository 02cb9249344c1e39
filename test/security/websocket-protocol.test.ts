import { CloseCode } from 'graphql-ws';
import { AddAgendaItemDocument, SessionEventsDocument, UpdateAgendaItemDocument } from '../generated/graphql';
import type { SessionEventsSubscription } from '../generated/graphql';
import {
  bearer,
  collect,
  councilOf,
  keyOf,
  OTHER_SECRET,
  post,
  query,
  RawSocket,
  scheduleSession,
  sql,
  startTestServer,
  token,
  UpgradeRefused,
  waitFor,
  wsClient,
} from '../support';
import type { TestServer } from '../support';

/**
 * GraphQL over WebSocket (graphql-transport-ws) at the protocol level: each
 * close code of the protocol, provoked with raw messages, and the limits the
 * server adds to it (payload size, subscriptions per socket, sockets per
 * address, subscribe rate, slow consumers), plus the HTTP rate limit.
 */

const SESSION_EVENTS = 'subscription($id: ID!) { sessionEvents(sessionId: $id) { sequence kind } }';

describe('the graphql-transport-ws close codes', () => {
  let server: TestServer;
  let sessionId: string;
  let admin: string;
  const sockets: RawSocket[] = [];
  const open = async (): Promise<RawSocket> => {
    const socket = await RawSocket.open(server.wsUrl);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    server = await startTestServer({
      env: { WS_INIT_TIMEOUT_MS: '300', WS_MAX_SUBSCRIPTIONS: '3' },
    });
    admin = await token('ADMIN');
    sessionId = await scheduleSession(server, admin, (await councilOf(server, 3)).bodyGid);
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });
  afterAll(() => server?.stop());

  it('closes with 4400 on a message that is not JSON', async () => {
    const socket = await open();
    socket.send('{ "type": "connection_init", oops');
    expect(await socket.closed).toEqual({ code: CloseCode.BadRequest, reason: 'Invalid message received' });
  });

  it('closes with 4400 on a message of an unknown type', async () => {
    const socket = await open();
    await socket.init();
    socket.send({ type: 'give_me_everything', id: '1' });
    expect((await socket.closed).code).toBe(CloseCode.BadRequest);
  });

  it('closes with 4401 on a subscribe before connection_ack', async () => {
    const socket = await open();
    socket.subscribe('1', '{ terms { number } }');
    expect(await socket.closed).toEqual({ code: CloseCode.Unauthorized, reason: 'Unauthorized' });
  });

  it('closes with 4403 on a connection_init with a bad token', async () => {
    for (const authorization of [
      'Bearer not-a-jwt',
      `Bearer ${await token('ADMIN', { secret: OTHER_SECRET })}`,
      `Bearer ${await token('ADMIN', { ttlSeconds: -60 })}`,
      'Basic YWRtaW46YWRtaW4=',
    ]) {
      const socket = await open();
      socket.send({ type: 'connection_init', payload: { authorization } });
      expect(await socket.closed).toEqual({ code: CloseCode.Forbidden, reason: 'Forbidden' });
      expect(socket.received).toEqual([]);
    }
  });

  it('closes with 4403 on connection params whose authorization is present but not a bearer string', async () => {
    const valid = `Bearer ${await token('ADMIN')}`;
    for (const payload of [
      { authorization: ['Bearer abc'] },
      { authorization: [valid] },
      { authorization: 12345 },
      { authorization: { token: 'abc' } },
      { authorization: null },
      { authorization: '' },
      { authorization: 'Bearer' },
      { authorization: 'Bearer two tokens' },
      { Authorization: 'Bearer abc' },
      { AUTHORIZATION: 12345 },
      // Two spellings of the key: which one counts would be a guess.
      { authorization: valid, Authorization: valid },
    ]) {
      const socket = await open();
      socket.send({ type: 'connection_init', payload });
      const outcome = await Promise.race([
        socket.closed,
        socket.next((message) => message.type === 'connection_ack', 'connection_ack').then(() => 'acknowledged'),
      ]);
      expect({ payload, outcome }).toEqual({ payload, outcome: { code: CloseCode.Forbidden, reason: 'Forbidden' } });
      expect(socket.received).toEqual([]);
    }
  });

  it('takes the token from the authorization key in any case', async () => {
    const changedBy = 'query($id: ID!) { session(id: $id) { events { changedBy } } }';
    for (const key of ['authorization', 'Authorization', 'AUTHORIZATION']) {
      const socket = await open();
      await socket.init({ [key]: `Bearer ${admin}` });
      socket.subscribe(key, changedBy, { id: sessionId });
      const answer = await socket.next((message) => message.id === key, `the answer with ${key}`);
      // changedBy is shown to admins only: the token was read.
      expect(answer).toMatchObject({
        type: 'next',
        payload: { data: { session: { events: [{ changedBy: 'ADMIN admin-of-the-suite' }] } } },
      });
    }
  });

  it('closes with 4408 a socket that sends no connection_init within WS_INIT_TIMEOUT_MS', async () => {
    const socket = await open();
    expect(await socket.closed).toEqual({
      code: CloseCode.ConnectionInitialisationTimeout,
      reason: 'Connection initialisation timeout',
    });
  });

  it('closes with 4409 on a second subscribe with an id still in use', async () => {
    const socket = await open();
    await socket.init();
    socket.subscribe('same', SESSION_EVENTS, { id: sessionId });
    socket.subscribe('same', SESSION_EVENTS, { id: sessionId });
    expect(await socket.closed).toEqual({
      code: CloseCode.SubscriberAlreadyExists,
      reason: 'Subscriber for same already exists',
    });
  });

  it('closes with 4429 on a second connection_init', async () => {
    const socket = await open();
    await socket.init();
    socket.send({ type: 'connection_init' });
    expect(await socket.closed).toEqual({
      code: CloseCode.TooManyInitialisationRequests,
      reason: 'Too many initialisation requests',
    });
  });

  it('closes with 4403 a socket whose token expires while it is open', async () => {
    const socket = await open();
    await socket.init({ authorization: `Bearer ${await token('ADMIN', { ttlSeconds: 2 })}` });
    socket.subscribe('live', SESSION_EVENTS, { id: sessionId });
    const { code, reason } = await socket.closed;
    expect(code).toBe(CloseCode.Forbidden);
    expect(reason).toMatch(/expired/);
  });

  it.each([
    ['25 days', 25 * 86_400],
    ['365 days', 365 * 86_400],
  ])('keeps open a socket whose token has %s left (beyond the longest setTimeout)', async (_name, ttlSeconds) => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): number => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const socket = await open();
      await socket.init({ authorization: `Bearer ${await token('ADMIN', { ttlSeconds })}` });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(socket.ws.readyState).toBe(socket.ws.OPEN);
      socket.subscribe('replay', 'subscription($id: ID!) { sessionEvents(sessionId: $id, after: 0) { sequence } }', {
        id: sessionId,
      });
      const replayed = await socket.next((message) => message.id === 'replay', 'the replay of the first event');
      expect(replayed).toMatchObject({ type: 'next', payload: { data: { sessionEvents: { sequence: 1 } } } });
      expect(socket.ws.readyState).toBe(socket.ws.OPEN);
      expect(warnings.map((warning) => warning.name)).not.toContain('TimeoutOverflowWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('closes with 1009 a socket that sends a message larger than WS_MAX_PAYLOAD', async () => {
    const socket = await open();
    await socket.init();
    socket.subscribe('big', `{ terms { number } } # ${'x'.repeat(70 * 1024)}`);
    expect((await socket.closed).code).toBe(1009);
    expect(socket.received.filter((message) => message.id === 'big')).toEqual([]);
  });

  it('answers the subscribe past WS_MAX_SUBSCRIPTIONS with an error, and keeps the others live', async () => {
    const socket = await open();
    await socket.init();
    // From after 0: a subscription that is accepted answers at once with the session's first event.
    const fromStart = 'subscription($id: ID!) { sessionEvents(sessionId: $id, after: 0) { sequence kind } }';
    for (const id of ['1', '2', '3', '4']) socket.subscribe(id, fromStart, { id: sessionId });
    const refused = await socket.next((message) => message.id === '4', 'the answer to the fourth subscribe');
    expect(refused.type).toBe('error');
    expect(refused.payload).toEqual([
      expect.objectContaining({
        message: 'At most 3 operations at once on one socket.',
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
    for (const id of ['1', '2', '3']) {
      const replayed = await socket.next((message) => message.id === id, `the replay on subscription ${id}`);
      expect(replayed).toMatchObject({ type: 'next', payload: { data: { sessionEvents: { sequence: 1 } } } });
    }
    // And they stay live: the next change reaches each of them.
    await query(server.url, AddAgendaItemDocument, { input: { sessionId, title: 'Sprawy bieżące' } }, bearer(admin));
    for (const id of ['1', '2', '3']) {
      const delivered = await socket.next(
        (message) =>
          message.id === id && message.type === 'next' && JSON.stringify(message.payload).includes('AGENDA_ITEM_ADDED'),
        `the change on subscription ${id}`,
      );
      expect(delivered).toMatchObject({ payload: { data: { sessionEvents: { kind: 'AGENDA_ITEM_ADDED' } } } });
    }
    expect(socket.received.filter((message) => message.type === 'error')).toHaveLength(1);
  });
});

describe('limits per client address', () => {
  it('refuses the upgrade past WS_MAX_SOCKETS_PER_ADDRESS with HTTP 429', async () => {
    const server = await startTestServer({ env: { WS_MAX_SOCKETS_PER_ADDRESS: '3' } });
    const sockets: RawSocket[] = [];
    try {
      for (let i = 0; i < 3; i += 1) sockets.push(await RawSocket.open(server.wsUrl));
      const fourth = new RawSocket(server.wsUrl);
      const refusal = await fourth.opened.then(
        () => null,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(UpgradeRefused);
      expect((refusal as UpgradeRefused).status).toBe(429);
      // A socket that closes makes room for another.
      sockets.shift()!.close();
      await waitFor(async () => {
        const next = new RawSocket(server.wsUrl);
        const ok = await next.opened.then(
          () => true,
          () => false,
        );
        if (ok) sockets.push(next);
        return ok;
      }, 'a socket to be accepted again');
    } finally {
      for (const socket of sockets) socket.close();
      await server.stop();
    }
  });

  it('answers subscribes past WS_SUBSCRIBE_RATE_LIMIT with RATE_LIMITED errors', async () => {
    const server = await startTestServer({ env: { WS_SUBSCRIBE_RATE_LIMIT: '5' } });
    const socket = await RawSocket.open(server.wsUrl);
    try {
      await socket.init();
      const ids = Array.from({ length: 9 }, (_, i) => String(i + 1));
      for (const id of ids) socket.subscribe(id, '{ terms { number } }');
      const outcomes = new Map<string, string>();
      for (const id of ids) {
        const message = await socket.next(
          (m) => m.id === id && (m.type === 'complete' || m.type === 'error'),
          `the end of operation ${id}`,
        );
        outcomes.set(id, message.type);
        if (message.type === 'error') {
          expect(message.payload).toEqual([
            expect.objectContaining({
              extensions: { code: 'RATE_LIMITED' },
              message: expect.stringMatching(/slow down/),
            }),
          ]);
        }
      }
      expect([...outcomes.values()]).toEqual([
        ...Array.from({ length: 5 }, () => 'complete'),
        ...Array.from({ length: 4 }, () => 'error'),
      ]);
      // The socket itself stays open: only the surplus is refused.
      expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    } finally {
      socket.close();
      await server.stop();
    }
  });

  it('answers HTTP requests past HTTP_RATE_LIMIT with 429, Retry-After and RATE_LIMITED', async () => {
    const server = await startTestServer({ env: { HTTP_RATE_LIMIT: '5' } });
    try {
      const responses = [];
      for (let i = 0; i < 8; i += 1) {
        const response = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ terms { number } }' }),
        });
        responses.push({
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          body: (await response.json()) as { errors?: { extensions?: { code?: string } }[] },
        });
      }
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
      for (const refused of responses.slice(5)) {
        expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      }
      // Probes are not rate-limited: an orchestrator can still see the instance is alive.
      expect((await fetch(server.url.replace('/graphql', '/healthz'))).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

describe('a slow consumer', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { WS_MAX_BUFFERED_BYTES: '2048' } });
  });
  afterAll(() => server?.stop());

  const openSockets = async (): Promise<number> => {
    const text = await (await fetch(server.url.replace('/graphql', '/metrics'))).text();
    return Number(/^obrady_websocket_connections (\d+)$/m.exec(text)?.[1]);
  };

  it('is cut off when its unsent data passes WS_MAX_BUFFERED_BYTES, and others on the session get everything', async () => {
    const admin = await token('ADMIN');
    const sessionId = await scheduleSession(server, admin, (await councilOf(server, 4)).bodyGid);
    const item = await query(
      server.url,
      AddAgendaItemDocument,
      { input: { sessionId, title: 'Opinia w sprawie budżetu', description: 'x' } },
      bearer(admin),
    );
    const itemId = item.addAgendaItem.id;

    // From the sequence the log stands at: the normal subscriber misses nothing, however soon the changes come.
    const [{ lastSequence: start }] = await sql<{ lastSequence: number }>(
      server,
      'SELECT last_sequence AS "lastSequence" FROM session WHERE id = $1',
      [keyOf(sessionId)],
    );
    const client = wsClient(server);
    const normal = collect(client, SessionEventsDocument, { sessionId, after: start });
    // Fifteen copies of a 10,000-character description: about 150 kB per event for the slow reader.
    const copies = Array.from({ length: 15 }, (_, i) => `d${i}: description`).join(' ');
    const slow = await RawSocket.open(server.wsUrl);
    await slow.init();
    slow.subscribe(
      'slow',
      `subscription($id: ID!, $after: Int) { sessionEvents(sessionId: $id, after: $after) { sequence agendaItem { ${copies} } } }`,
      { id: sessionId, after: start },
    );
    await waitFor(async () => (await openSockets()) === 2, 'both subscribers to be connected');
    // The first change proves the slow subscription is live before its reader stops reading.
    let version = item.addAgendaItem.version;
    const change = async (n: number): Promise<void> => {
      const result = await post(
        server.url,
        UpdateAgendaItemDocument,
        { input: { id: itemId, expectedVersion: version, description: `${n} ${'y'.repeat(9990)}` } },
        bearer(admin),
      );
      if (!result.data) throw new Error(JSON.stringify(result.errors));
      version = result.data.updateAgendaItem.version;
    };
    await change(0);
    await slow.next(
      (message) => message.id === 'slow' && message.type === 'next',
      'the first event on the slow socket',
    );
    (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();

    let changes = 1;
    while ((await openSockets()) === 2) {
      if (changes >= 400) throw new Error('the slow consumer was never cut off');
      await change(changes);
      changes += 1;
    }
    expect(await openSockets()).toBe(1);

    // Everyone else on the session got every change, in order.
    const [{ lastSequence }] = await sql<{ lastSequence: number }>(
      server,
      'SELECT last_sequence AS "lastSequence" FROM session WHERE id = $1',
      [keyOf(sessionId)],
    );
    await waitFor(
      () => normal.results.at(-1)?.data?.sessionEvents.sequence === lastSequence,
      'the normal subscriber to receive the last change',
    );
    const sequences = normal.results.map((r) => (r.data as SessionEventsSubscription).sessionEvents.sequence);
    expect(lastSequence).toBe(start + changes);
    expect(sequences).toEqual(Array.from({ length: changes }, (_, i) => start + 1 + i));
    expect(normal.errors).toEqual([]);

    // The slow reader, once it reads again, finds its connection cut without a close frame.
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect((await slow.closed).code).toBe(1006);
    normal.stop();
    await client.dispose();
  });
});
