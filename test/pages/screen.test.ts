/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { bodySlug } from '../../src/services/body-slug.rules';
import type { BodyKind } from '../../src/entities/body.entity';
import {
  AddAgendaItemDocument,
  CastBallotDocument,
  CloseSessionDocument,
  CloseVoteDocument,
  EndSpeechDocument,
  FinishAgendaItemDocument,
  GrantFloorDocument,
  OpenSessionDocument,
  OpenVoteDocument,
  RecordAttendanceDocument,
  RecordVoteCountsDocument,
  RequestFloorDocument,
  ScreenStateDocument,
  StartAgendaItemDocument,
  WithdrawSpeechRequestDocument,
} from '../generated/graphql';
import type { ScreenStateQuery } from '../generated/graphql';
import {
  CHROMIUM_PATH,
  bearer,
  conventionOf,
  councilOf,
  cuttableProxy,
  gid,
  launchBrowser,
  query,
  scheduleSession,
  sql,
  startTestServer,
  token,
  waitFor,
} from '../support';
import type { CuttableProxy, TestServer } from '../support';

/**
 * The meeting-room screen in a real Chromium, against a real server, while a clerk runs the meeting through the
 * mutations. The browser reaches the server through a proxy the tests can cut, so a dropped connection is a
 * real one. In CI a missing Chromium fails the suite; elsewhere it is skipped, saying why.
 */
const inCi = process.env.CI === 'true';
const haveChromium = existsSync(CHROMIUM_PATH);
if (!haveChromium && !inCi) {
  process.stderr.write(
    `test/pages/screen.test.ts skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)\n`,
  );
}
const suite = haveChromium || inCi ? describe : describe.skip;

/** "Each change within a second": from the mutation's answer to the DOM. */
const WITHIN = 1000;
type State = NonNullable<ScreenStateQuery['session']>;
type Quorum = State['quorum'];

let server: TestServer;
let proxy: CuttableProxy;
let browser: Browser;
let admin: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  proxy = await cuttableProxy(server.server.port);
  browser = await launchBrowser();
  admin = await token('ADMIN');
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await server?.stop();
});
afterEach(() => {
  // No script error and no CSP violation on any page (Chromium reports both as page errors or console errors).
  expect(pageErrors).toEqual([]);
});

async function screenPage(urlPath: string): Promise<Page> {
  // A context of its own (axe-core needs one), closed with the page.
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  page.on('close', () => void context.close().catch(() => undefined));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/WebSocket|Failed to load resource|ERR_CONNECTION/.test(message.text()))
      pageErrors.push(message.text());
  });
  const response = await page.goto(proxy.origin + urlPath);
  expect(response?.status()).toBe(200);
  return page;
}

/** Waits until an element's text is the expected one (or matches), failing with what it shows instead. */
async function shows(page: Page, id: string, expected: string | RegExp, timeout = WITHIN): Promise<void> {
  const want = typeof expected === 'string' ? { text: expected } : { pattern: expected.source };
  try {
    await page.waitForFunction(
      ({ id, text, pattern }) => {
        const shown = document.getElementById(id)?.textContent ?? '';
        return text !== undefined ? shown === text : new RegExp(pattern!).test(shown);
      },
      { id, ...want },
      { timeout, polling: 20 },
    );
  } catch {
    const actual = await page.evaluate((id) => document.getElementById(id)?.textContent, id);
    throw new Error(`#${id} did not show ${String(expected)} within ${timeout} ms; it shows ${JSON.stringify(actual)}`);
  }
}

const texts = (page: Page, selector: string) =>
  page.$$eval(selector, (elements) => elements.map((element) => element.textContent ?? ''));

const quorumText = (q: Quorum, seats: number) =>
  `Kworum: ${q.reached ? 'jest' : 'brak'} — ${q.present} z ${seats}, wymagane ${q.required}`;
const countsText = (c: { for: number; against: number; abstain: number; notVoting: number }) => [
  `Za: ${c.for}`,
  `Przeciw: ${c.against}`,
  `Wstrzymało się: ${c.abstain}`,
  `Nie głosowało: ${c.notVoting}`,
];

async function stateOf(sessionId: string): Promise<State> {
  return (await query(server.url, ScreenStateDocument, { id: sessionId })).session!;
}

async function countsShown(page: Page, expected: string[]): Promise<void> {
  await page
    .waitForFunction(
      (want) => [...document.querySelectorAll('#vote-counts li')].map((li) => li.textContent).join('|') === want,
      expected.join('|'),
      { timeout: WITHIN, polling: 20 },
    )
    .catch(async () => {
      throw new Error(
        `vote counts ${expected.join(', ')} not shown; shows ${(await texts(page, '#vote-counts li')).join(', ')}`,
      );
    });
}

/** axe-core's serious and critical violations on the page (or a part of it), by rule. */
async function seriousViolations(page: Page, selector?: string): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  const { violations } = await (selector ? builder.include(selector) : builder).analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
}

/** The clerk of a body: runs its meeting through the mutations, each of which must succeed. */
async function clerkOf(bodyGid: string) {
  const clerk = await token('CLERK', { bodyIds: [bodyGid] });
  return <T, V extends Record<string, unknown>>(document: Parameters<typeof query<T, V>>[1], variables: V) =>
    query<T, V>(server.url, document, variables, bearer(clerk));
}

suite('the meeting-room screen', () => {
  it('follows a Convention meeting live, each change on screen within a second', async () => {
    const convention = await conventionOf(server);
    const seats = convention.seatIds.map((id) => gid('Seat', id));
    const as = await clerkOf(convention.bodyGid);
    const title = 'Posiedzenie Konwentu — zażółć gęślą jaźń';
    const sessionId = await scheduleSession(server, admin, convention.bodyGid, title);
    const itemTitles = ['Opinia w sprawie projektu budżetu', 'Wybór wiceprzewodniczącego', 'Wolne wnioski'];
    const items: string[] = [];
    for (const itemTitle of itemTitles) {
      items.push((await as(AddAgendaItemDocument, { input: { sessionId, title: itemTitle } })).addAgendaItem.id);
    }

    const page = await screenPage(`/screen/sessions/${sessionId}`);
    await shows(page, 'body-name', 'Konwent Przewodniczących Rad i Zarządów Dzielnic', 10_000);
    await shows(page, 'session-title', `${title} — zaplanowana`);
    await as(OpenSessionDocument, { id: sessionId });
    await shows(page, 'session-title', title);
    await shows(page, 'item-title', 'Brak punktu w toku');

    // 20 arrive: the last three by deputy, two of them follow remotely.
    const records: string[] = [];
    const remote = new Set([3, 4]);
    for (let i = 0; i < 20; i += 1) {
      const deputy = i >= 17 ? { fullName: `Zastępca Przewodniczącego ${i - 16}` } : undefined;
      const mode = remote.has(i) ? ('REMOTE' as const) : undefined;
      const { recordAttendance } = await as(RecordAttendanceDocument, {
        input: { sessionId, seatId: seats[i]!, status: 'PRESENT', deputy, mode },
      });
      records.push(recordAttendance.id);
      await shows(page, 'quorum', quorumText((await stateOf(sessionId)).quorum, seats.length));
    }
    // The issue's own example, word for word.
    await shows(page, 'quorum', 'Kworum: jest — 20 z 36, wymagane 18');
    await shows(page, 'presence', `Obecni: 20 · zdalnie: ${remote.size} · przez zastępców: 3`);

    await as(StartAgendaItemDocument, { id: items[0]! });
    await shows(page, 'item-title', itemTitles[0]!);
    await shows(page, 'item-position', /^Punkt 1 z 3 · trwa 0:0\d$/);

    // The floor: two in turn, then a formal motion, which goes before them.
    const ask = async (record: string, kind: 'REGULAR' | 'FORMAL_MOTION') =>
      (await as(RequestFloorDocument, { input: { sessionId, attendanceRecordId: record, kind } })).requestFloor;
    const first = await ask(records[5]!, 'REGULAR');
    await shows(page, 'queue', `Kolejka: 1. ${first.speaker.label}`);
    const second = await ask(records[6]!, 'REGULAR');
    const motion = await ask(records[7]!, 'FORMAL_MOTION');
    const queued = (await stateOf(sessionId)).speakers.map((s) => s.id);
    expect(queued).toEqual([motion.id, first.id, second.id]);
    await shows(
      page,
      'queue',
      `Kolejka: 1. ${motion.speaker.label} (wniosek formalny), 2. ${first.speaker.label}, 3. ${second.speaker.label}`,
    );
    await as(GrantFloorDocument, { id: motion.id, timeLimitSeconds: 60 });
    const motionSpeaking = `^Głos ma: ${motion.speaker.label} \\(wniosek formalny\\) — zostało`;
    await shows(page, 'speaker', new RegExp(`${motionSpeaking} (1:00|0:5\\d) z 1:00$`));
    await shows(page, 'queue', `Kolejka: 1. ${first.speaker.label}, 2. ${second.speaker.label}`);
    // The countdown runs from startedAt, on the page's own clock.
    const before = await page.textContent('#speaker');
    await shows(page, 'speaker', new RegExp(`${motionSpeaking} 0:5\\d z 1:00$`), 3000);
    expect(await page.textContent('#speaker')).not.toBe(before);
    await as(GrantFloorDocument, { id: first.id, timeLimitSeconds: 180 });
    await shows(page, 'speaker', new RegExp(`^Głos ma: ${first.speaker.label} — zostało (3:00|2:5\\d) z 3:00$`));
    await as(EndSpeechDocument, { id: first.id });
    await shows(page, 'speaker', 'Nikt nie ma głosu');
    await as(WithdrawSpeechRequestDocument, { id: second.id });
    await shows(page, 'queue', 'Kolejka: nikt nie czeka');

    // An open vote, passed 15–3–2, counted live; then its named list.
    const subject = 'Przyjęcie opinii Konwentu w sprawie projektu budżetu';
    const opened = (await as(OpenVoteDocument, { input: { sessionId, subject } })).openVote;
    await shows(page, 'vote-subject', `Głosowanie jawne: ${subject}`);
    await shows(page, 'vote-state', 'Głosowanie trwa');
    await countsShown(page, countsText(opened.counts));
    const options = [...Array(15).fill('FOR'), ...Array(3).fill('AGAINST'), ...Array(2).fill('ABSTAIN')] as (
      'FOR' | 'AGAINST' | 'ABSTAIN'
    )[];
    const order = [17, 18, 19, ...Array.from({ length: 17 }, (_, i) => i)];
    for (const [n, seat] of order.entries()) {
      const { castBallot } = await as(CastBallotDocument, {
        input: { voteId: opened.id, seatId: seats[seat]!, option: options[n]! },
      });
      await countsShown(page, countsText(castBallot.counts));
      if (n === 13 && process.env.SCREENS_DIR) {
        // `npm run screens` (scripts/screens-screen.mjs): the screen in the middle of a vote, for the README.
        mkdirSync(process.env.SCREENS_DIR, { recursive: true });
        await page.screenshot({ path: path.join(process.env.SCREENS_DIR, 'screen-vote.png') });
      }
    }
    const closed = (await as(CloseVoteDocument, { id: opened.id })).closeVote;
    expect(closed.result).toBe('PASSED');
    await shows(page, 'vote-state', 'Przyjęto');
    await countsShown(page, countsText(closed.counts));
    expect(await texts(page, '#vote-names h3')).toEqual(['Za (15)', 'Przeciw (3)', 'Wstrzymało się (2)']);
    // A seat whose holder the reference data does not name (unknown stays null) is shown by the seat's label.
    const labels = new Map(
      (await sql<{ id: number; label: string }>(server, 'SELECT id, label FROM seat')).map((s) => [
        gid('Seat', s.id),
        s.label,
      ]),
    );
    const named = closed.ballots.map(
      (b) => (b.person?.fullName ?? labels.get(b.seat.id)!) + (b.capacity === 'DEPUTY' ? ' (zastępca)' : ''),
    );
    expect((await texts(page, '#vote-names li')).sort()).toEqual(named.sort());
    expect(named.filter((name) => name.endsWith('(zastępca)'))).toHaveLength(3);
    if (process.env.SCREENS_DIR)
      await page.screenshot({ path: path.join(process.env.SCREENS_DIR, 'screen-result.png') });

    // A secret vote on the next item: the tellers' counts, and no names anywhere.
    await as(FinishAgendaItemDocument, { id: items[0]! });
    await as(StartAgendaItemDocument, { id: items[1]! });
    await shows(page, 'item-title', itemTitles[1]!);
    await shows(page, 'item-position', /^Punkt 2 z 3 · trwa 0:0\d$/);
    expect(await page.isHidden('#vote-panel')).toBe(true);
    const election = (
      await as(OpenVoteDocument, {
        input: { sessionId, subject: 'Wybór wiceprzewodniczącego', secrecy: 'SECRET', majority: 'ABSOLUTE_OF_PRESENT' },
      })
    ).openVote;
    await shows(page, 'vote-subject', 'Głosowanie tajne: Wybór wiceprzewodniczącego');
    await shows(page, 'vote-state', 'Głosowanie trwa');
    const counted = (
      await as(RecordVoteCountsDocument, { input: { voteId: election.id, for: 12, against: 6, abstain: 2 } })
    ).recordVoteCounts;
    await countsShown(page, countsText(counted.counts));
    const elected = (await as(CloseVoteDocument, { id: election.id })).closeVote;
    await shows(page, 'vote-state', elected.result === 'PASSED' ? 'Przyjęto' : 'Odrzucono');
    expect(await page.$$('#vote-names li')).toHaveLength(0);

    await as(FinishAgendaItemDocument, { id: items[1]! });
    await as(CloseSessionDocument, { id: sessionId });
    await shows(page, 'session-title', `${title} — zakończona`);
    expect(await page.getAttribute('#screen', 'data-last-sequence')).toBe(
      String((await stateOf(sessionId)).lastSequence),
    );
    await page.close();
  }, 120_000);

  it('shows "Brak połączenia — wznawiam…" when its connection drops, and misses nothing when it comes back', async () => {
    const council = await councilOf(server, 12);
    const seats = council.seatIds.map((id) => gid('Seat', id));
    const as = await clerkOf(council.bodyGid);
    const sessionId = await scheduleSession(server, admin, council.bodyGid, 'Sesja Rady Dzielnicy XII');
    const item = (await as(AddAgendaItemDocument, { input: { sessionId, title: 'Opinia o planie' } })).addAgendaItem.id;
    await as(OpenSessionDocument, { id: sessionId });
    const page = await screenPage(`/screen/sessions/${sessionId}`);
    const records: string[] = [];
    for (const seat of seats.slice(0, 5)) {
      records.push(
        (await as(RecordAttendanceDocument, { input: { sessionId, seatId: seat, status: 'PRESENT' } })).recordAttendance
          .id,
      );
    }
    await shows(page, 'quorum', quorumText((await stateOf(sessionId)).quorum, seats.length), 10_000);
    expect(await page.isHidden('#banner')).toBe(true);

    proxy.cut();
    await shows(page, 'banner', 'Brak połączenia — wznawiam…');
    expect(await page.isVisible('#banner')).toBe(true);
    // While the screen is cut off, the meeting goes on: arrivals, the item, the floor, a vote and its ballots.
    for (const seat of seats.slice(5, 14)) {
      records.push(
        (await as(RecordAttendanceDocument, { input: { sessionId, seatId: seat, status: 'PRESENT' } })).recordAttendance
          .id,
      );
    }
    await as(StartAgendaItemDocument, { id: item });
    const speech = (await as(RequestFloorDocument, { input: { sessionId, attendanceRecordId: records[2]! } }))
      .requestFloor;
    const vote = (await as(OpenVoteDocument, { input: { sessionId, subject: 'Opinia pozytywna' } })).openVote;
    let counts = vote.counts;
    for (const [n, seat] of seats.slice(0, 6).entries()) {
      counts = (
        await as(CastBallotDocument, { input: { voteId: vote.id, seatId: seat, option: n < 4 ? 'FOR' : 'AGAINST' } })
      ).castBallot.counts;
    }
    // Still cut off: it has retried, and still says so.
    await waitFor(
      async () => (await page.getAttribute('#screen', 'data-connected')) === 'false',
      'the screen to know it is offline',
    );
    expect(await page.isVisible('#banner')).toBe(true);
    const state = await stateOf(sessionId);

    proxy.restore();
    await page.waitForSelector('#banner', { state: 'hidden', timeout: 10_000 });
    // It replays what it missed from the sequence it showed, then shows all of it.
    await page.waitForFunction(
      (last) => document.getElementById('screen')?.dataset.lastSequence === last,
      String(state.lastSequence),
      { timeout: 5000, polling: 20 },
    );
    await shows(page, 'quorum', quorumText(state.quorum, seats.length));
    await shows(page, 'item-title', 'Opinia o planie');
    await shows(page, 'presence', 'Obecni: 14 · zdalnie: 0 · przez zastępców: 0');
    await shows(page, 'queue', `Kolejka: 1. ${speech.speaker.label}`);
    await countsShown(page, countsText(counts));

    // And it goes on live after the resume.
    const { castBallot } = await as(CastBallotDocument, {
      input: { voteId: vote.id, seatId: seats[6]!, option: 'ABSTAIN' },
    });
    await countsShown(page, countsText(castBallot.counts));

    // Everything it shows equals what a screen opened now shows.
    const fresh = await screenPage(`/screen/sessions/${sessionId}`);
    await waitFor(
      async () =>
        (await fresh.getAttribute('#screen', 'data-last-sequence')) ===
        (await page.getAttribute('#screen', 'data-last-sequence')),
      'a fresh screen to catch up',
      10_000,
    );
    const shown = (p: Page) =>
      p.$$eval(
        '#session-title, #item-title, #quorum, #presence, #vote-subject, #vote-state, #vote-counts, #speaker, #queue',
        (elements) => elements.map((element) => element.textContent),
      );
    expect(await shown(page)).toEqual(await shown(fresh));
    await fresh.close();
    await page.close();
  }, 120_000);

  it("follows a body's session that opens, and says when the next is when none is in progress", async () => {
    const council = await councilOf(server, 5);
    const [{ name, kind, districtSlug }] = await sql<{ name: string; kind: BodyKind; districtSlug: string | null }>(
      server,
      'SELECT b.name, b.kind, d.slug AS "districtSlug" FROM body b LEFT JOIN district d ON d.id = b.district_id WHERE b.id = $1',
      [council.bodyId],
    );
    const as = await clerkOf(council.bodyGid);
    const title = 'Sesja Rady Dzielnicy V';
    const sessionId = await scheduleSession(server, admin, council.bodyGid, title);
    const scheduled = await stateOf(sessionId);
    expect(scheduled.status).toBe('SCHEDULED');

    const page = await screenPage(`/screen/bodies/${bodySlug(kind!, districtSlug!)}`);
    await shows(page, 'body-name', name!, 10_000);
    await shows(page, 'waiting-title', 'Teraz nie trwa żadna sesja');
    await shows(page, 'next-session', new RegExp(`^Następna: ${title}, .*2031`));
    expect(await page.isHidden('#session')).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await as(OpenSessionDocument, { id: sessionId });
    await shows(page, 'session-title', title);
    expect(await page.isHidden('#waiting')).toBe(true);
    await as(RecordAttendanceDocument, {
      input: { sessionId, seatId: gid('Seat', council.seatIds[0]!), status: 'PRESENT' },
    });
    await shows(page, 'quorum', quorumText((await stateOf(sessionId)).quorum, council.seatIds.length));
    await as(CloseSessionDocument, { id: sessionId });
    await shows(page, 'next-session', 'Nie zaplanowano kolejnej sesji.');
    expect(await page.isVisible('#waiting')).toBe(true);
    await page.close();

    // By the body's id too; an unknown body or session is a 404, not an empty screen.
    const byId = await screenPage(`/screen/bodies/${council.bodyGid}`);
    await shows(byId, 'body-name', name!, 10_000);
    await byId.close();
    for (const wrong of [
      '/screen/bodies/no-such-body',
      `/screen/sessions/${gid('Session', 999_999)}`,
      '/screen/sessions/x',
    ]) {
      expect((await fetch(proxy.origin + wrong)).status).toBe(404);
    }
  }, 60_000);

  it('shows a title with <script> as text, under a Content-Security-Policy with no inline script', async () => {
    const council = await councilOf(server, 7);
    const hostile = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">';
    const sessionId = await scheduleSession(server, admin, council.bodyGid, hostile);
    const as = await clerkOf(council.bodyGid);
    const item = (await as(AddAgendaItemDocument, { input: { sessionId, title: `Punkt ${hostile}` } })).addAgendaItem;
    await as(OpenSessionDocument, { id: sessionId });
    await as(StartAgendaItemDocument, { id: item.id });

    const response = await fetch(`${proxy.origin}/screen/sessions/${sessionId}`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await response.text();
    // The page has no inline script at all: every <script> names a file of ours.
    expect(html.match(/<script[^>]*>/g)).toEqual([
      '<script src="/screen/assets/graphql-ws.js" defer>',
      '<script src="/screen/assets/screen.js" defer>',
    ]);

    const page = await screenPage(`/screen/sessions/${sessionId}`);
    await shows(page, 'session-title', hostile, 10_000);
    await shows(page, 'item-title', `Punkt ${hostile}`);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.$$('#screen img, #screen script')).toHaveLength(0);
    await page.close();
  }, 60_000);

  it('is readable from the back of the room and accessible: 72 px main text, 7:1 contrast, Polish glyphs, no axe violation', async () => {
    const council = await councilOf(server, 9);
    const seats = council.seatIds.map((id) => gid('Seat', id));
    const as = await clerkOf(council.bodyGid);
    const sessionId = await scheduleSession(
      server,
      admin,
      council.bodyGid,
      'Sesja Rady Dzielnicy IX Łagiewniki-Borek Fałęcki',
    );
    const item = (await as(AddAgendaItemDocument, { input: { sessionId, title: 'Zażółć gęślą jaźń — opinia' } }))
      .addAgendaItem;
    await as(OpenSessionDocument, { id: sessionId });
    const records: string[] = [];
    for (const seat of seats.slice(0, 10)) {
      records.push(
        (await as(RecordAttendanceDocument, { input: { sessionId, seatId: seat, status: 'PRESENT' } })).recordAttendance
          .id,
      );
    }
    await as(StartAgendaItemDocument, { id: item.id });
    const speech = (await as(RequestFloorDocument, { input: { sessionId, attendanceRecordId: records[0]! } }))
      .requestFloor;
    await as(RequestFloorDocument, { input: { sessionId, attendanceRecordId: records[1]! } });
    await as(GrantFloorDocument, { id: speech.id, timeLimitSeconds: 120 });
    const vote = (await as(OpenVoteDocument, { input: { sessionId, subject: 'Opinia w sprawie ścieżki rowerowej' } }))
      .openVote;
    for (const seat of seats.slice(0, 4))
      await as(CastBallotDocument, { input: { voteId: vote.id, seatId: seat, option: 'FOR' } });

    const page = await screenPage(`/screen/sessions/${sessionId}`);
    await countsShown(page, countsText((await stateOf(sessionId)).votes[0]!.counts));
    expect(await page.getAttribute('html', 'lang')).toBe('pl');

    // The font is ours, and covers every Polish letter (ó from the Latin subset, the rest from Latin Extended).
    const fonts = await page.evaluate(async () => {
      const letters = 'ąćęłńóśźżĄĆĘŁŃÓŚŹŻ';
      const loaded = await document.fonts.load('700 72px "Atkinson Hyperlegible"', letters);
      return {
        faces: loaded.map((face) => face.unicodeRange),
        check: document.fonts.check('700 72px "Atkinson Hyperlegible"', letters),
        used: getComputedStyle(document.getElementById('quorum')!).fontFamily,
      };
    });
    expect(fonts.check).toBe(true);
    expect(fonts.faces).toHaveLength(2);
    expect(fonts.used).toMatch(/^"?Atkinson Hyperlegible"?/);

    // Main text: at least 1/15 of the screen's height, and at least 7:1 against what it is drawn on.
    const measured = await page.$$eval('.main', (elements) => {
      const rgb = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
      const luminance = ([r, g, b]: number[]) => {
        const channel = (v: number) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * channel(r!) + 0.7152 * channel(g!) + 0.0722 * channel(b!);
      };
      const background = (element: Element | null): number[] => {
        for (let e = element; e; e = e.parentElement) {
          const color = rgb(getComputedStyle(e).backgroundColor);
          if (color.length === 3 || (color.length === 4 && color[3]! > 0)) return color.slice(0, 3);
        }
        return [255, 255, 255];
      };
      return elements
        .filter((element) => (element as HTMLElement).offsetParent !== null && element.textContent)
        .map((element) => {
          const style = getComputedStyle(element);
          const [a, b] = [luminance(rgb(style.color)), luminance(background(element))];
          return {
            id: element.id || element.className,
            fontSize: parseFloat(style.fontSize),
            contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
          };
        });
    });
    expect(measured.map((m) => m.id)).toEqual(
      expect.arrayContaining(['body-name', 'item-title', 'quorum', 'vote-state', 'vote-counts', 'speaker']),
    );
    for (const m of measured) {
      expect({ id: m.id, big: m.fontSize >= 1080 / 15, contrast: m.contrast >= 7 }).toEqual({
        id: m.id,
        big: true,
        contrast: true,
      });
    }

    expect(await seriousViolations(page)).toEqual([]);

    // The banner, when it shows, is as readable.
    proxy.cut();
    await shows(page, 'banner', 'Brak połączenia — wznawiam…');
    expect(await seriousViolations(page, '#banner')).toEqual([]);
    proxy.restore();
    await page.waitForSelector('#banner', { state: 'hidden', timeout: 10_000 });
    await page.close();
  }, 90_000);
});
