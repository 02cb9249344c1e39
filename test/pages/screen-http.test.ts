import { gid, scheduleSession, sql, startTestServer, token } from '../support';
import type { TestServer } from '../support';

/**
 * The screen's routes over plain HTTP (no browser needed, so this runs everywhere): what is a page and what is
 * a 404, the headers that keep the page to its own files, and the files a meeting room without internet needs.
 */
let server: TestServer;
let origin: string;

beforeAll(async () => {
  server = await startTestServer();
  origin = new URL(server.url).origin;
});
afterAll(() => server?.stop());

const get = (path: string, init?: RequestInit) => fetch(origin + path, init);

it("serves a session's screen with a strict Content-Security-Policy and the session's id, and nothing else", async () => {
  const council = await sql<{ id: number }>(server, "SELECT id FROM body WHERE kind = 'DISTRICT_COUNCIL' LIMIT 1");
  const sessionId = await scheduleSession(server, await token('ADMIN'), gid('Body', council[0]!.id));
  const response = await get(`/screen/sessions/${sessionId}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  const csp = (response.headers.get('content-security-policy') ?? '').split('; ');
  expect(csp).toEqual(expect.arrayContaining(["default-src 'none'", "script-src 'self'", "style-src 'self'"]));
  expect(csp.join(' ')).not.toMatch(/unsafe|\*|https?:/);
  const html = await response.text();
  expect(html).toContain('<html lang="pl">');
  expect(html).toContain(`data-session-id="${sessionId}"`);
  expect(html).toContain('data-body-id=""');
  // Every file the page loads is one of ours, on this server.
  for (const [, src] of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
    expect(src).toMatch(/^\/screen\/assets\//);
    expect((await get(src!)).status).toBe(200);
  }
  expect((await get(`/screen/sessions/${sessionId}`, { method: 'HEAD' })).status).toBe(200);
});

it('finds a body by its id or by its slug, the same as in its calendar and feeds', async () => {
  const [body] = await sql<{ id: number }>(
    server,
    "SELECT id FROM body WHERE name = 'Rada Dzielnicy XII Bieżanów-Prokocim'",
  );
  for (const address of [gid('Body', body!.id), 'rada-dzielnicy-biezanow-prokocim']) {
    const response = await get(`/screen/bodies/${address}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`data-body-id="${gid('Body', body!.id)}"`);
  }
});

it('answers 404 for what names no session or body, and 405 for anything but GET and HEAD', async () => {
  for (const path of [
    `/screen/sessions/${gid('Session', 999_999)}`,
    `/screen/sessions/${gid('Body', 1)}`,
    '/screen/sessions/not-an-id',
    '/screen/bodies/no-such-body',
    '/screen/bodies/%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    '/screen/bodies/%E0%A4%A',
    '/screen/assets/../../package.json',
    '/screen/assets/unknown.js',
    '/screen/',
  ]) {
    const response = await get(path);
    expect({ path, status: response.status }).toEqual({ path, status: 404 });
    expect(await response.text()).not.toMatch(/<script|stack|\n\s+at /);
  }
  expect((await get('/screen/bodies/rada-miasta-krakowa', { method: 'POST' })).status).toBe(405);
});

it('serves the font for every Polish letter, and the graphql-ws browser build, from this server', async () => {
  const css = await (await get('/screen/assets/fonts.css')).text();
  const faces = [...css.matchAll(/url\(([^)]+)\).*?unicode-range: ([^;]+);/g)].map(([, url, range]) => ({
    url,
    range,
  }));
  expect(faces).toHaveLength(4);
  const covers = (range: string, letter: string) =>
    range.split(', ').some((part) => {
      const [from, to = from] = part
        .replace('U+', '')
        .split('-')
        .map((hex) => parseInt(hex, 16));
      return letter.codePointAt(0)! >= from! && letter.codePointAt(0)! <= to!;
    });
  for (const letter of 'ąćęłńóśźżĄĆĘŁŃÓŚŹŻ') {
    for (const weight of ['400', '700']) {
      expect(faces.some((face) => face.url!.includes(`-${weight}-`) && covers(face.range!, letter))).toBe(true);
    }
  }
  for (const { url } of faces) {
    const font = await get(url!);
    expect(font.headers.get('content-type')).toBe('font/woff2');
    expect(
      Buffer.from(await font.arrayBuffer())
        .subarray(0, 4)
        .toString('latin1'),
    ).toBe('wOF2');
  }
  const script = await get('/screen/assets/graphql-ws.js');
  expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  expect(await script.text()).toContain('graphql-transport-ws');
});
