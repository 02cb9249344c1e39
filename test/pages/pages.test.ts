import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OpenSessionDocument } from '../generated/graphql';
import { bearer, councilOf, query, scheduleSession, startTestServer, token } from '../support';
import type { TestServer } from '../support';

const ROOT = path.join(__dirname, '..', '..');

/** The pages over plain HTTP: what is served where, with which headers, and what stays the API's. */
describe('pages over HTTP', () => {
  let server: TestServer;
  let origin: string;

  beforeAll(async () => {
    server = await startTestServer();
    origin = new URL(server.url).origin;
  });

  afterAll(() => server?.stop());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(origin + path, { headers });

  /** The directives of a Content-Security-Policy header, by name. */
  const directives = (header: string | null): Map<string, string[]> =>
    new Map(
      (header ?? '').split(';').map((part) => {
        const [name = '', ...sources] = part.trim().split(/\s+/);
        return [name, sources];
      }),
    );

  it('serves the front page with a strict policy: scripts by a fresh nonce only, nothing from another host', async () => {
    const [first, second] = [await get('/'), await get('/')];
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    const policy = directives(first.headers.get('content-security-policy'));
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual([expect.stringMatching(/^'nonce-[A-Za-z0-9+/=]{24}'$/)]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    for (const sources of policy.values())
      expect(sources.filter((source) => /[a-z]+:\/\/|^\*$/.test(source))).toEqual([]);
    expect(first.headers.get('content-security-policy')).not.toBe(second.headers.get('content-security-policy'));
    const page = await first.text();
    expect(page).toContain('lang="pl"');
    expect(page).toContain('href="/explorer"');
    expect(page).toContain('href="/schema.graphql"');
    expect(page).toContain('href="/export/index.json"');
    expect(page).toContain('href="/feeds/convention.ics"');
    expect(page).toContain('href="/feeds/districts/18.ics"');
  });

  it('links the screen of each session in progress, and escapes its title', async () => {
    const admin = await token('ADMIN');
    const council = await councilOf(server, 12);
    const title = 'Sesja <b>"nadzwyczajna"</b> & <script>alert(1)</script>';
    const sessionId = await scheduleSession(server, admin, council.bodyGid, title);
    const before = await (await get('/')).text();
    expect(before).not.toContain(`/screen/sessions/${sessionId}`);
    await query(server.url, OpenSessionDocument, { id: sessionId }, bearer(admin));
    const page = await (await get('/')).text();
    expect(page).toContain(`href="/screen/sessions/${sessionId}"`);
    expect(page).toContain(
      'Sesja &lt;b&gt;&quot;nadzwyczajna&quot;&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;',
    );
    expect(page).not.toContain('<script>alert(1)');
  });

  it('gives a browser that GETs /graphql the explorer, and a client the API', async () => {
    const page = await get('/graphql', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(page.status).toBe(200);
    const html = await page.text();
    const nonce = /'nonce-([^']+)'/.exec(page.headers.get('content-security-policy') ?? '')?.[1];
    expect(html).toContain(`<script defer src="/assets/explorer/explorer.js" nonce="${nonce}"></script>`);
    expect((await get('/explorer')).status).toBe(200);

    const answer = await get('/graphql?query=%7B__typename%7D', {
      accept: 'text/html, application/json;q=0.9',
      'apollo-require-preflight': 'y',
    });
    expect(answer.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
    expect(await answer.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('bundles the README examples into the explorer, one tab each', async () => {
    const bundle = await (await get('/assets/explorer/explorer.js')).text();
    // Read here as test/read/same-answers.test.ts reads them, independently of web/readme-examples.mjs.
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!.trimEnd());
    expect(examples.length).toBeGreaterThan(0);
    // esbuild writes each as a string literal of its choosing (quotes, backticks): compared without whitespace,
    // quotes' escapes and the like.
    const bare = (text: string) => text.replace(/[\s\\]/g, '');
    const bundled = bare(bundle);
    expect(
      examples.filter((example) => !bundled.includes(bare(example))).map((example) => example.slice(0, 80)),
    ).toEqual([]);
  });

  it('serves the built files with their types, revalidates entry files and keeps hashed ones for good', async () => {
    const script = await get('/assets/explorer/explorer.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('no-cache');
    const etag = script.headers.get('etag')!;
    expect((await get('/assets/explorer/explorer.js', { 'if-none-match': etag })).status).toBe(304);

    const css = await (await get('/assets/pages/pages.css')).text();
    const font = /url\("?\.\/([^")]+\.woff2)"?\)/.exec(css)?.[1];
    const fontResponse = await get(`/assets/pages/${font}`);
    expect(fontResponse.status).toBe(200);
    expect(fontResponse.headers.get('content-type')).toBe('font/woff2');
    expect(fontResponse.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('serves nothing outside the build: unknown files, other folders and escapes are 404', async () => {
    for (const asset of [
      '/assets/explorer/nothing.js',
      '/assets/../package.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/explorer/..%2f..%2f..%2fpackage.json',
      '/assets/',
      '/README.md',
      '/dist/web/explorer/explorer.js',
    ]) {
      const response = await get(asset);
      expect([asset, response.status]).toEqual([asset, 404]);
    }
  });

  it('serves the schema the API introspects, as committed', async () => {
    const response = await get('/schema.graphql');
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe(readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8'));
  });
});

describe('EXPLORER=off', () => {
  let server: TestServer;
  let origin: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { EXPLORER: 'off' } });
    origin = new URL(server.url).origin;
  });

  afterAll(() => server?.stop());

  it('leaves /graphql to the API and /explorer unserved, and the front page does not link it', async () => {
    expect((await fetch(`${origin}/explorer`)).status).toBe(404);
    const page = await fetch(`${origin}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).not.toContain('text/html');
    expect(page.status).toBe(400);
    const front = await (await fetch(`${origin}/`)).text();
    expect(front).not.toContain('href="/explorer"');
  });
});
