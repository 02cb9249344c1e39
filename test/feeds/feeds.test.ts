import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type ICALModule from 'ical.js' with { 'resolution-mode': 'import' };
import {
  CancelSessionDocument,
  CloseSessionDocument,
  OpenSessionDocument,
  RecordAttendanceDocument,
  UpdateSessionDocument,
} from '../generated/graphql';
import {
  bearer,
  conventionOf,
  councilOf,
  createSeatHolder,
  gid,
  keyOf,
  ok,
  post,
  scheduleSession,
  sql,
  startTestServer,
  token,
} from '../support';
import type { TestServer } from '../support';

// ical.js ships CommonJS beside its ES module, but its types are declared for the module only.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ICAL = require('ical.js') as typeof ICALModule;

/**
 * Calendars (RFC 5545) and feeds (Atom, RSS, JSON Feed) of sessions, read over HTTP from a real server and
 * parsed by independent parsers: ical.js for iCalendar, fast-xml-parser for Atom and RSS, JSON.parse.
 */
let server: TestServer;
let admin: string;
let base: string;
let council: Awaited<ReturnType<typeof councilOf>>;

beforeAll(async () => {
  server = await startTestServer();
  admin = await token('ADMIN');
  base = new URL(server.url).origin;
  council = await councilOf(server, 3);
});
afterAll(() => server?.stop());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });

async function text(path: string): Promise<string> {
  const response = await get(path);
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.text();
}

/** The calendar's events by UID, with the VTIMEZONEs registered so that times convert as a client would. */
async function calendar(path: string) {
  const root = new ICAL.Component(ICAL.parse(await text(path)));
  const zones = root.getAllSubcomponents('vtimezone');
  for (const zone of zones) ICAL.TimezoneService.register(zone);
  const events = new Map(
    root.getAllSubcomponents('vevent').map((vevent) => {
      const event = new ICAL.Event(vevent);
      return [
        event.uid,
        {
          event,
          sequence: event.sequence,
          summary: event.summary,
          description: event.description,
          location: event.location,
          status: vevent.getFirstPropertyValue('status'),
          start: event.startDate,
          lastModified: (vevent.getFirstPropertyValue('last-modified') as InstanceType<typeof ICAL.Time>).toJSDate(),
        },
      ] as const;
    }),
  );
  return { root, zones, events };
}

const uidOf = (sessionGid: string): string => `${sessionGid}@obrady`;
const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  isArray: (name) => name === 'entry' || name === 'item',
});

/** The time of the session's latest lifecycle event (to the millisecond; `seconds` to the second, as iCalendar writes it). */
async function lastChange(session: string, seconds = false): Promise<number> {
  const [row] = await sql<{ at: Date }>(
    server,
    `SELECT max(occurred_at) AS at FROM session_event WHERE session_id = $1 AND kind LIKE 'SESSION\\_%'`,
    [keyOf(session)],
  );
  return seconds ? Math.floor(row!.at.getTime() / 1000) * 1000 : row!.at.getTime();
}

async function updateSession(input: Record<string, unknown>): Promise<void> {
  ok(await post(server.url, UpdateSessionDocument, { input: input as never }, bearer(admin)));
}

describe('calendars', () => {
  it('serves a body calendar under its global id and its slug, the same bytes, as text/calendar', async () => {
    const session = await scheduleSession(server, admin, council.bodyGid, 'Sesja kalendarzowa');
    const byId = await get(`/feeds/bodies/${council.bodyGid}.ics`);
    const bySlug = await get('/feeds/bodies/rada-dzielnicy-pradnik-czerwony.ics');
    expect(byId.status).toBe(200);
    expect(byId.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(bySlug.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const [one, two] = [await byId.text(), await bySlug.text()];
    expect(two).toBe(one);
    expect(one).toContain(`UID:${uidOf(session)}`);
  });

  it('carries a VTIMEZONE for Europe/Warsaw and writes each start in it, at the instant the session was scheduled', async () => {
    const session = await scheduleSession(server, admin, council.bodyGid, 'Sesja w strefie');
    const { zones, events } = await calendar(`/feeds/bodies/${council.bodyGid}.ics`);
    expect(zones.map((zone) => zone.getFirstPropertyValue('tzid'))).toEqual(['Europe/Warsaw']);
    const start = events.get(uidOf(session))!.start;
    expect(start.zone?.tzid).toBe('Europe/Warsaw');
    // scheduleSession's fixture: 2031-03-05T18:00:00+01:00, winter time in Kraków.
    expect(start.toString()).toBe('2031-03-05T18:00:00');
    const [row] = await sql<{ scheduled_at: Date }>(server, 'SELECT scheduled_at FROM session WHERE id = $1', [
      keyOf(session),
    ]);
    expect(start.toJSDate().getTime()).toBe(row!.scheduled_at.getTime());
  });

  it('keeps every UID across requests, and grows SEQUENCE with each change of time or venue only', async () => {
    const session = await scheduleSession(server, admin, council.bodyGid, 'Sesja przekładana');
    const path = `/feeds/bodies/${council.bodyGid}.ics`;
    const read = async () => (await calendar(path)).events.get(uidOf(session))!;
    const first = await read();
    expect(first.sequence).toBe(0);
    expect([...(await calendar(path)).events.keys()]).toEqual([...(await calendar(path)).events.keys()]);

    await updateSession({ id: session, title: 'Sesja przekładana (nowy tytuł)' });
    const retitled = await read();
    expect(retitled.sequence).toBe(0);
    expect(retitled.summary).toBe('Sesja przekładana (nowy tytuł)');
    // LAST-MODIFIED is the latest change of the session's row, as the event log timed it (to the second).
    expect(retitled.lastModified.getTime()).toBe(await lastChange(session, true));

    await updateSession({ id: session, scheduledAt: '2031-04-09T17:30:00+02:00' });
    const moved = await read();
    expect(moved.sequence).toBe(1);
    expect(moved.start.toString()).toBe('2031-04-09T17:30:00');

    await updateSession({ id: session, venue: { name: 'Sala obrad', address: 'ul. Testowa 1, Kraków' } });
    const relocated = await read();
    expect(relocated.sequence).toBe(2);
    expect(relocated.location).toBe('Sala obrad, ul. Testowa 1, Kraków');

    // The same time again is no change of time.
    await updateSession({
      id: session,
      scheduledAt: '2031-04-09T17:30:00+02:00',
      description: 'Porządek obrad wkrótce.',
    });
    expect((await read()).sequence).toBe(2);
  });

  it('keeps a cancelled session with STATUS:CANCELLED, its title prefixed and its SEQUENCE raised', async () => {
    const session = await scheduleSession(server, admin, council.bodyGid, 'Sesja do odwołania');
    ok(await post(server.url, CancelSessionDocument, { id: session, reason: 'Brak kworum.' }, bearer(admin)));
    const event = (await calendar(`/feeds/bodies/${council.bodyGid}.ics`)).events.get(uidOf(session))!;
    expect(event.status).toBe('CANCELLED');
    expect(event.summary).toBe('ODWOŁANA: Sesja do odwołania');
    expect(event.sequence).toBe(1);
    expect(event.description).toContain('Powód odwołania: Brak kworum.');
  });

  it("links the session's page in DESCRIPTION, on the host the calendar was asked from", async () => {
    const session = await scheduleSession(server, admin, council.bodyGid, 'Sesja z linkiem');
    const event = (await calendar(`/feeds/bodies/${council.bodyGid}.ics`)).events.get(uidOf(session))!;
    expect(event.description.split('\n')[0]).toBe(`Strona posiedzenia: ${base}/screen/sessions/${session}`);
  });

  it('links to PUBLIC_URL when it is set, whatever host the calendar was asked from', async () => {
    const session = await scheduleSession(server, admin, council.bodyGid, 'Sesja pod adresem publicznym');
    const second = await startTestServer({
      database: server.database,
      env: { PUBLIC_URL: 'https://obrady.example.org/' },
    });
    try {
      const ics = await (await fetch(`${new URL(second.url).origin}/feeds/bodies/${council.bodyGid}.ics`)).text();
      const event = new ICAL.Component(ICAL.parse(ics))
        .getAllSubcomponents('vevent')
        .map((vevent) => new ICAL.Event(vevent))
        .find((one) => one.uid === uidOf(session))!;
      expect(event.description.split('\n')[0]).toBe(
        `Strona posiedzenia: https://obrady.example.org/screen/sessions/${session}`,
      );
    } finally {
      await second.stop();
    }
  });

  it("serves a district's calendar with its council's and board's sessions", async () => {
    const [board] = await sql<{ id: number }>(
      server,
      `SELECT b.id FROM body b JOIN district d ON d.id = b.district_id WHERE d.number = 3 AND b.kind = 'DISTRICT_BOARD'`,
    );
    const ofBoard = await scheduleSession(server, admin, gid('Body', board!.id), 'Posiedzenie zarządu');
    const ofCouncil = await scheduleSession(server, admin, council.bodyGid, 'Sesja rady');
    const { root, events } = await calendar('/feeds/districts/3.ics');
    expect(root.getFirstPropertyValue('x-wr-calname')).toBe('Dzielnica III Prądnik Czerwony');
    expect(events.has(uidOf(ofBoard))).toBe(true);
    expect(events.has(uidOf(ofCouncil))).toBe(true);
    const [count] = await sql<{ n: number }>(
      server,
      `SELECT count(*)::int AS n FROM session s JOIN body b ON b.id = s.body_id JOIN district d ON d.id = b.district_id
        WHERE d.number = 3 AND NOT s.synthetic`,
    );
    expect(events.size).toBe(count!.n);
  });

  it("serves the Convention's calendar, its inaugural session from the reference data in Kraków's time", async () => {
    const convention = await conventionOf(server);
    const sessions = await sql<{ id: number; scheduled_at: Date }>(
      server,
      'SELECT id, scheduled_at FROM session WHERE body_id = $1 AND NOT synthetic',
      [convention.bodyId],
    );
    const { events } = await calendar('/feeds/convention.ics');
    expect(events.size).toBe(sessions.length);
    for (const row of sessions) {
      const event = events.get(uidOf(gid('Session', row.id)))!;
      expect(event.start.toJSDate().getTime()).toBe(row.scheduled_at.getTime());
      expect(event.start.zone?.tzid).toBe('Europe/Warsaw');
    }
  });
  it('raises SEQUENCE when a session made without the API, with no earlier snapshot in its log, is rescheduled', async () => {
    const convention = await conventionOf(server);
    const [row] = await sql<{ id: number; scheduled_at: Date }>(
      server,
      `SELECT s.id, s.scheduled_at FROM session s WHERE s.body_id = $1 AND s.status = 'SCHEDULED'
          AND NOT EXISTS (SELECT 1 FROM session_event e WHERE e.session_id = s.id) ORDER BY s.id LIMIT 1`,
      [convention.bodyId],
    );
    const session = gid('Session', row!.id);
    const read = async () => (await calendar('/feeds/convention.ics')).events.get(uidOf(session))!;
    expect((await read()).sequence).toBe(0);
    const later = new Date(row!.scheduled_at.getTime() + 60 * 60 * 1000);
    await updateSession({ id: session, scheduledAt: later.toISOString() });
    const moved = await read();
    expect(moved.sequence).toBe(1);
    expect(moved.start.toJSDate().getTime()).toBe(later.getTime());
  });
});

describe('feeds', () => {
  it('lists one Atom entry per session, with stable ids, in Polish', async () => {
    const session = await scheduleSession(server, admin, council.bodyGid, 'Sesja w kanale');
    const response = await get(`/feeds/bodies/${council.bodyGid}.atom`);
    expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const first = xml.parse(await response.text()).feed;
    expect(first['@_xml:lang']).toBe('pl');
    const [count] = await sql<{ n: number }>(server, 'SELECT count(*)::int AS n FROM session WHERE body_id = $1', [
      council.bodyId,
    ]);
    expect(first.entry).toHaveLength(count!.n);
    const ids = first.entry.map((entry: { id: string }) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    const mine = first.entry.find((entry: { link: { '@_href': string } }) => entry.link['@_href'].endsWith(session));
    expect(mine.title['#text']).toBe('Sesja w kanale');
    expect(mine.id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Read again, by the slug: the same ids.
    const again = xml.parse(await text('/feeds/bodies/rada-dzielnicy-pradnik-czerwony.atom')).feed;
    expect(again.entry.map((entry: { id: string }) => entry.id).sort()).toEqual([...ids].sort());
  });

  it('updates an item when its session changes, never adds one per attendance change', async () => {
    const session = await scheduleSession(server, admin, council.bodyGid, 'Sesja z obecnością');
    const path = `/feeds/bodies/${council.bodyGid}.atom`;
    type Entry = { id: string; link: { '@_href': string }; updated: string; summary: { '#text': string } };
    const entries = async () =>
      (xml.parse(await text(path)).feed.entry as Entry[]).filter((entry) => entry.link['@_href'].endsWith(session));
    const [scheduled] = await entries();
    expect(new Date(scheduled!.updated).getTime()).toBe(await lastChange(session));
    const etag = (await get(path)).headers.get('etag')!;

    /** The session's one entry, under its first id, updated at its last change, showing its status. */
    const oneEntry = async (status: string): Promise<Entry[]> => {
      const now = await entries();
      expect(now.map((entry) => entry.id)).toEqual([scheduled!.id]);
      expect(new Date(now[0]!.updated).getTime()).toBe(await lastChange(session));
      expect(now[0]!.summary['#text']).toContain(`(${status})`);
      return now;
    };

    ok(await post(server.url, OpenSessionDocument, { id: session }, bearer(admin)));
    const opened = await oneEntry('w toku');

    const afterOpen = (await get(path)).headers.get('etag')!;
    expect(afterOpen).not.toBe(etag);
    for (const seatId of council.seatIds.slice(0, 3)) {
      ok(
        await post(
          server.url,
          RecordAttendanceDocument,
          { input: { sessionId: session, seatId: gid('Seat', seatId), status: 'PRESENT' as never } },
          bearer(admin),
        ),
      );
    }
    // Attendance leaves the session's row, the feed and its ETag as they were.
    const unchanged = await get(path, { 'if-none-match': afterOpen });
    expect(unchanged.status).toBe(304);
    expect(await entries()).toEqual(opened);

    ok(await post(server.url, CloseSessionDocument, { id: session }, bearer(admin)));
    await oneEntry('zakończone');
    // RSS lists the same session once, under the same id.
    const rss = (
      xml.parse(await text(`/feeds/bodies/${council.bodyGid}.rss`)).rss.channel.item as {
        guid: string;
        link: string;
      }[]
    ).filter((item) => item.link.endsWith(session));
    expect(rss.map((item) => item.guid)).toEqual([scheduled!.id]);
  });

  it('serves JSON Feed with one item per session, in Polish', async () => {
    const response = await get(`/feeds/bodies/${council.bodyGid}.json`);
    expect(response.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const feed = (await response.json()) as { version: string; language: string; items: { id: string; url: string }[] };
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.language).toBe('pl');
    const [count] = await sql<{ n: number }>(server, 'SELECT count(*)::int AS n FROM session WHERE body_id = $1', [
      council.bodyId,
    ]);
    expect(feed.items).toHaveLength(count!.n);
    expect(new Set(feed.items.map((item) => item.url)).size).toBe(count!.n);
  });
});

describe('HTTP', () => {
  it('answers If-None-Match with 304 until a session is rescheduled', async () => {
    const session = await scheduleSession(server, admin, council.bodyGid, 'Sesja do rewalidacji');
    const path = `/feeds/bodies/${council.bodyGid}.ics`;
    const first = await get(path);
    const etag = first.headers.get('etag')!;
    expect(first.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(first.headers.get('last-modified')).not.toBeNull();
    expect((await get(path, { 'if-none-match': etag })).status).toBe(304);
    await updateSession({ id: session, scheduledAt: '2031-06-01T10:00:00+02:00' });
    const changed = await get(path, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('leaves synthetic demo sessions out unless ?synthetic=include', async () => {
    const session = await scheduleSession(server, admin, council.bodyGid, '[demo] Sesja syntetyczna');
    await sql(server, 'UPDATE session SET synthetic = true WHERE id = $1', [keyOf(session)]);
    const path = `/feeds/bodies/${council.bodyGid}`;
    expect((await calendar(`${path}.ics`)).events.has(uidOf(session))).toBe(false);
    expect((await calendar(`${path}.ics?synthetic=include`)).events.has(uidOf(session))).toBe(true);
    expect(await text(`${path}.atom`)).not.toContain(session);
    expect(await text(`${path}.atom?synthetic=include`)).toContain(session);
  });

  it("serves every example URL of the README's table, with its format's Content-Type", async () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Calendars and feeds'), readme.indexOf('## Security'));
    const examples = [...section.matchAll(/\| `(\/feeds\/[^`]+)`[^|]*\|\s*$/gm)].map((match) => match[1]!);
    expect(examples.length).toBeGreaterThanOrEqual(6);
    const types = {
      ics: 'text/calendar',
      atom: 'application/atom+xml',
      rss: 'application/rss+xml',
      json: 'application/feed+json',
    };
    for (const example of examples) {
      const response = await get(example);
      expect([example, response.status]).toEqual([example, 200]);
      const ext = /\.(\w+)$/.exec(example)![1] as keyof typeof types;
      expect(response.headers.get('content-type')).toBe(`${types[ext]}; charset=utf-8`);
    }
  });

  it('answers an unknown body, district or path with a plain 404, and a bad parameter with 400', async () => {
    for (const path of [
      `/feeds/bodies/${gid('Body', 999_999)}.ics`,
      `/feeds/bodies/${gid('Session', 1)}.ics`,
      '/feeds/bodies/rada-dzielnicy-atlantyda.atom',
      '/feeds/districts/19.ics',
      '/feeds/bodies/x.pdf',
      '/feeds/',
    ]) {
      const response = await get(path);
      expect([path, response.status]).toEqual([path, 404]);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    }
    const bad = await get('/feeds/convention.ics?synthetic=yes');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('synthetic must be');
    const post = await fetch(`${base}/feeds/convention.ics`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('carries no email or phone of anyone, whatever the format', async () => {
    const holder = await createSeatHolder(server, 3, 2);
    const session = await scheduleSession(server, admin, council.bodyGid, 'Sesja z radną');
    ok(
      await post(
        server.url,
        RecordAttendanceDocument,
        { input: { sessionId: session, seatId: holder.seatGid, status: 'PRESENT' as never } },
        bearer(admin),
      ),
    );
    await updateSession({ id: session, chairId: holder.personGid });
    for (const path of [
      '/feeds/districts/3.ics',
      '/feeds/districts/3.atom',
      '/feeds/districts/3.rss',
      '/feeds/districts/3.json',
    ]) {
      const body = await text(path);
      expect(body).toContain(session);
      expect(body).not.toContain(holder.email);
      expect(body).not.toContain(holder.phone);
    }
  });
});
