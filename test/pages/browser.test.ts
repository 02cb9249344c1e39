/// <reference lib="dom" />
// The functions given to page.evaluate run in the browser: they use its globals.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { OpenSessionDocument } from '../generated/graphql';
import {
  bearer,
  councilOf,
  describeInBrowser,
  launchBrowser,
  query,
  scheduleSession,
  startTestServer,
  token,
  waitFor,
} from '../support';
import type { TestServer } from '../support';

/**
 * The pages in a real Chromium against a real server: the explorer works with every request to another host
 * refused, the pages pass axe-core and their Content-Security-Policy, and the front page's font covers Polish.
 */
describeInBrowser('pages in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let origin: string;
  let admin: string;

  beforeAll(async () => {
    admin = await token('ADMIN');
    server = await startTestServer();
    origin = new URL(server.url).origin;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /**
   * A page whose requests may go to the server only (anything else is refused and remembered), with its console's
   * Content-Security-Policy reports and its uncaught errors collected.
   */
  async function openPage(path: string): Promise<{ page: Page; offServer: string[]; violations: string[] }> {
    // A context of its own per page: axe-core needs one, and nothing (storage, tabs) carries over between tests.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const offServer: string[] = [];
    const violations: string[] = [];
    await page.route('**', (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) return route.continue();
      offServer.push(url);
      return route.abort('internetdisconnected');
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    page.on('pageerror', (error) => violations.push(`uncaught: ${error.message}`));
    const response = await page.goto(origin + path);
    expect(response?.status()).toBe(200);
    return { page, offServer, violations };
  }

  /** Replaces the operation in the explorer's editor (Monaco) as a person would paste it, and runs it. */
  async function run(page: Page, operation: string): Promise<void> {
    await page.locator('.graphiql-query-editor .monaco-editor').first().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(operation);
    // Monaco closes brackets as they come: what it added after the text goes.
    await page.keyboard.press('Control+Shift+End');
    await page.keyboard.press('Delete');
    await page.locator('.graphiql-execute-button').click();
  }

  /** The result pane's text (Monaco draws spaces as no-break spaces). */
  const resultText = async (page: Page) => (await page.locator('.result-window').innerText()).replace(/\s/g, ' ');

  it('opens the explorer offline and runs a query and a subscription over graphql-ws', async () => {
    const { page, offServer, violations } = await openPage('/explorer');
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor();
    await run(page, '{ districts { number name } }');
    await waitFor(async () => (await resultText(page)).includes('Stare Miasto'), 'the query result in the explorer');

    const council = await councilOf(server, 4);
    const sessionId = await scheduleSession(server, admin, council.bodyGid, 'Sesja przeglądarki');
    // From sequence 0: the scheduled session's first event arrives at once, so the subscription is surely live
    // before the change below is made.
    await run(page, `subscription { sessionEvents(sessionId: "${sessionId}", after: 0) { sequence kind } }`);
    await waitFor(async () => (await resultText(page)).includes('SESSION_SCHEDULED'), 'the replayed event');
    await query(server.url, OpenSessionDocument, { id: sessionId }, bearer(admin));
    await waitFor(async () => (await resultText(page)).includes('SESSION_OPENED'), 'the live event in the explorer');

    expect(offServer).toEqual([]);
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('opens the explorer for a browser that GETs /graphql, with the README examples preloaded', async () => {
    const { page, violations } = await openPage('/graphql');
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor();
    const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const examples = readme.match(/```graphql\n/g)!.length;
    await waitFor(async () => (await page.locator('.graphiql-tab').count()) === examples, 'a tab per README example');
    expect(await page.locator('.graphiql-query-editor').innerText()).toContain('districts');
    // The schema came through introspection (within the operation limits): its documentation opens.
    await page.locator('button[aria-label="Show Documentation Explorer"]').click();
    const docs = page.locator('section.graphiql-doc-explorer');
    await waitFor(async () => /\bQuery\b/.test(await docs.innerText()), "the schema's documentation");
    await docs.getByText('Query', { exact: true }).first().click();
    await waitFor(async () => (await docs.innerText()).includes('districts'), 'the Query type in the documentation');
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('has no serious or critical accessibility violation on the front page or the explorer', async () => {
    for (const path of ['/', '/explorer']) {
      const { page } = await openPage(path);
      if (path === '/explorer') await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor();
      const results = await new AxeBuilder({ page }).analyze();
      const grave = results.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map(
          (violation) =>
            `${path}: ${violation.id} (${violation.impact}) ${violation.nodes.map((node) => node.html).join(' ')}`,
        );
      expect(grave).toEqual([]);
      await page.context().close();
    }
  });

  it('shows the front page in its self-hosted font, Polish letters included, within its policy', async () => {
    const { page, offServer, violations } = await openPage('/');
    const polish = 'ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ';
    const fonts = await page.evaluate(async (text) => {
      const loaded = await document.fonts.load('16px "Atkinson Hyperlegible"', text);
      return {
        loaded: loaded.map((face) => ({ family: face.family, range: face.unicodeRange, status: face.status })),
        check: document.fonts.check('16px "Atkinson Hyperlegible"', text),
        bodyFont: getComputedStyle(document.body).fontFamily,
      };
    }, polish);
    // check() is also true when no face matches at all: the faces that load for these letters must be ours.
    expect(fonts.check).toBe(true);
    expect(fonts.bodyFont).toContain('Atkinson Hyperlegible');
    expect(fonts.loaded.length).toBeGreaterThan(0);
    expect(fonts.loaded.every((face) => face.status === 'loaded')).toBe(true);
    const covered = (code: number) =>
      fonts.loaded.some((face) =>
        face.range.split(',').some((part) => {
          const [from, to = from] = part.trim().replace(/^U\+/i, '').split('-');
          return code >= parseInt(from!, 16) && code <= parseInt(to!, 16);
        }),
      );
    expect([...polish.replace(/ /g, '')].filter((letter) => !covered(letter.codePointAt(0)!))).toEqual([]);
    expect(offServer).toEqual([]);
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it('shows a session title holding a <script> as text, and runs nothing from it', async () => {
    const council = await councilOf(server, 7);
    const title = '<script>window.__pwned = true</script><img src=x onerror="window.__pwned = true">';
    const sessionId = await scheduleSession(server, admin, council.bodyGid, title);
    await query(server.url, OpenSessionDocument, { id: sessionId }, bearer(admin));
    const { page, violations } = await openPage('/');
    const link = page.locator(`a[href="/screen/sessions/${sessionId}"]`);
    expect(await link.innerText()).toBe(title);
    expect(await page.evaluate(() => (window as { __pwned?: boolean }).__pwned)).toBeUndefined();
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(violations).toEqual([]);
    await page.context().close();
  });
});
