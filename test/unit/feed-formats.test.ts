import { BodyKind } from '../../src/entities/body.entity';
import { SessionStatus } from '../../src/entities/session.entity';
import { bodySlug, uniqueSlugs } from '../../src/services/body-slug.rules';
import type { FeedScope, PublishedSession } from '../../src/services/published-sessions.service';
import { renderCalendar } from '../../src/transport/http/calendar.format';
import { FEED_ITEMS, renderFeed } from '../../src/transport/http/feed.format';
import { sessionHeadline } from '../../src/transport/http/session-text';
import { stableUuid } from '../../src/transport/http/stable-id';

const scope: FeedScope = {
  key: 'body:3',
  title: 'Rada Dzielnicy I Stare Miasto',
  bodies: [
    {
      id: 3,
      gid: 'Qm9keToz',
      slug: 'rada-dzielnicy-stare-miasto',
      name: 'Rada Dzielnicy I Stare Miasto',
      kind: BodyKind.DISTRICT_COUNCIL,
    },
  ],
};

function session(id: number, scheduledAt: string, extra: Partial<PublishedSession> = {}): PublishedSession {
  return {
    id,
    gid: `U2Vzc2lvbjo${id}`,
    bodyName: scope.title,
    number: id,
    title: `Sesja ${id}`,
    status: SessionStatus.SCHEDULED,
    scheduledAt: new Date(scheduledAt),
    endedAt: null,
    venueName: null,
    venueAddress: null,
    description: null,
    cancellationReason: null,
    createdAt: new Date('2030-01-01T00:00:00Z'),
    revision: 0,
    changedAt: new Date(Date.UTC(2030, 0, 1, 0, 0, id)),
    ...extra,
  };
}

/** The wall-clock time of an instant in Kraków, as iCalendar writes a local DATE-TIME. */
function warsawLocal(instant: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Warsaw',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}${parts.month}${parts.day}T${parts.hour}${parts.minute}${parts.second}`;
}

describe('stableUuid', () => {
  it("gives RFC 9562's version 5 example for www.example.com in the DNS namespace", () => {
    expect(stableUuid('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });
});

describe('body slugs', () => {
  it('names each kind of body from its district', () => {
    expect(bodySlug(BodyKind.DISTRICT_COUNCIL, 'nowa-huta')).toBe('rada-dzielnicy-nowa-huta');
    expect(bodySlug(BodyKind.DISTRICT_BOARD, 'nowa-huta')).toBe('zarzad-dzielnicy-nowa-huta');
    expect(bodySlug(BodyKind.CONVENTION, null)).toBe('konwent');
    expect(bodySlug(BodyKind.CITY_COUNCIL, null)).toBe('rada-miasta');
    expect(bodySlug(BodyKind.DISTRICT_COUNCIL, null)).toBeNull();
  });

  it('answers to no slug two bodies share', () => {
    const slugs = uniqueSlugs([
      { id: 1, kind: BodyKind.CITY_COUNCIL, districtSlug: null },
      { id: 2, kind: BodyKind.CITY_COUNCIL, districtSlug: null },
      { id: 3, kind: BodyKind.CONVENTION, districtSlug: null },
    ]);
    expect([...slugs.keys()]).toEqual(['konwent']);
  });
});

describe('calendar', () => {
  const winter = session(1, '2031-01-15T17:00:00Z');
  const summer = session(2, '2031-07-15T16:00:00Z', { status: SessionStatus.CANCELLED, revision: 1 });
  const ics = renderCalendar(scope, [winter, summer], 'https://obrady.test', 'Europe/Warsaw');

  it('writes starts in the city zone, on either side of the change of time', () => {
    for (const one of [winter, summer]) {
      expect(ics).toContain(`DTSTART;TZID=Europe/Warsaw:${warsawLocal(one.scheduledAt)}\r\n`);
    }
  });

  it('writes DTSTAMP and LAST-MODIFIED in UTC, from the data, so the same data gives the same bytes', () => {
    expect(ics).toMatch(/DTSTAMP:\d{8}T\d{6}Z\r\n/);
    expect(ics).toMatch(/LAST-MODIFIED:\d{8}T\d{6}Z\r\n/);
    expect(renderCalendar(scope, [winter, summer], 'https://obrady.test', 'Europe/Warsaw')).toBe(ics);
  });

  it('prefixes a cancelled session and marks it CANCELLED', () => {
    expect(sessionHeadline(summer)).toBe('ODWOŁANA: Sesja 2');
    expect(ics).toContain('SUMMARY:ODWOŁANA: Sesja 2\r\n');
    expect(ics).toContain('STATUS:CANCELLED\r\n');
  });
});

describe('feeds', () => {
  const many = Array.from({ length: FEED_ITEMS + 5 }, (_, index) => session(index + 1, '2031-01-15T17:00:00Z'));
  const links = {
    base: 'https://obrady.test',
    self: (format: string) => `https://obrady.test/feeds/bodies/x.${format}`,
  };

  it('states its language in Atom and JSON Feed, and lists the newest changes up to its limit', () => {
    const atom = renderFeed('atom', scope, many, links, 'Europe/Warsaw');
    expect(atom).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="pl">');
    expect(atom.match(/<entry>/g)).toHaveLength(FEED_ITEMS);
    const json = JSON.parse(renderFeed('json', scope, many, links, 'Europe/Warsaw')) as {
      language: string;
      items: { title: string }[];
    };
    expect(json.language).toBe('pl');
    expect(json.items[0]!.title).toBe(`Sesja ${many.length}`);
    expect(renderFeed('rss', scope, many, links, 'Europe/Warsaw')).toContain('<language>pl</language>');
  });
});
