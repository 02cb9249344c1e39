import { connect } from 'node:net';
import { SecuritySessionRecordDocument } from '../generated/graphql';
import { councilOf, post, scheduleSession, startTestServer, token } from '../support';
import type { TestServer } from '../support';

/**
 * The Authorization header over HTTP: absent is the public; present, it must
 * be one well-formed "Bearer <token>", else 401 UNAUTHENTICATED, never the
 * public (the same rule as connectionParams over WebSocket).
 */
let server: TestServer;
let sessionId: string;
let admin: string;
beforeAll(async () => {
  server = await startTestServer();
  admin = await token('ADMIN');
  sessionId = await scheduleSession(server, admin, (await councilOf(server, 5)).bodyGid);
});
afterAll(() => server?.stop());

const record = (headers: Record<string, string>) =>
  post(server.url, SecuritySessionRecordDocument, { id: sessionId }, headers);

/**
 * A POST asking who scheduled the session (shown to admins only), with the given raw header lines, over a bare
 * socket: fetch would merge repeated headers.
 */
function rawPost(headerLines: string[]): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({
    query: 'query($id: ID!) { session(id: $id) { events { changedBy } } }',
    variables: { id: sessionId },
  });
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let response = '';
    socket.on('data', (chunk) => (response += chunk.toString()));
    socket.on('error', reject);
    socket.on('end', () =>
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(response)?.[1]), body: response.split('\r\n\r\n')[1] ?? '' }),
    );
    socket.write(
      [
        `POST ${url.pathname} HTTP/1.1`,
        `Host: ${url.host}`,
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Connection: close',
        ...headerLines,
        '',
        body,
      ].join('\r\n'),
    );
  });
}

describe('the Authorization header', () => {
  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['a scheme without a token', 'Bearer'],
    ['two words after Bearer', 'Bearer two tokens'],
    ['another scheme', 'Token abc'],
    ['two tokens joined by a comma', 'Bearer abc, Bearer def'],
  ])('is refused with 401 UNAUTHENTICATED when %s', async (_case, authorization) => {
    const result = await record({ authorization });
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.errors?.[0]?.message).toMatch(/Bearer <token>/);
    expect(result.data ?? null).toBeNull();
  });

  it('is refused with 401 when sent twice, even with the same valid token', async () => {
    const twice = await rawPost([`Authorization: Bearer ${admin}`, `authorization: Bearer ${admin}`]);
    expect(twice.status).toBe(401);
    expect(twice.body).toMatch(/UNAUTHENTICATED/);
    // The same request with one header is served, to the admin.
    expect((await rawPost([`Authorization: Bearer ${admin}`])).body).toContain(
      '"changedBy":"ADMIN admin-of-the-suite"',
    );
  });

  it('is read whatever the case of its name and of the scheme', async () => {
    for (const [name, scheme] of [
      ['Authorization', 'Bearer'],
      ['AUTHORIZATION', 'bearer'],
    ] as const) {
      const served = await rawPost([`${name}: ${scheme} ${admin}`]);
      expect(served.status).toBe(200);
      expect(served.body).toContain('"changedBy":"ADMIN admin-of-the-suite"');
    }
  });

  it('absent, is the public', async () => {
    const result = await record({});
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
  });
});
