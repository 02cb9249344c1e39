import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { SessionStatus } from '../../entities/session.entity';
import type { FeedScope, PublishedSession } from '../../services/published-sessions.service';
import { sessionDetails, sessionHeadline, sessionLocation, sessionPageUrl } from './session-text';

/** How often a subscribed client should fetch the calendar again (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
const REFRESH_SECONDS = 3600;

/**
 * A scope's sessions as an iCalendar file (RFC 5545), one VEVENT per session, times in the city's zone with
 * its VTIMEZONE (from @touch4it/ical-timezones, bundled, so nothing is fetched). Everything in it comes from
 * the data: DTSTAMP is the session's last change, not the time of the request, so the same data version
 * gives the same bytes (and the same ETag) on every instance.
 */
export function renderCalendar(
  scope: FeedScope,
  sessions: readonly PublishedSession[],
  base: string,
  timeZone: string,
): string {
  const calendar = ical({
    name: scope.title,
    description: `Posiedzenia: ${scope.title}`,
    prodId: { company: 'Obrady', product: 'calendar', language: 'PL' },
    ttl: REFRESH_SECONDS,
    // The calendar's own zone stays unset: ical-generator would then write DTSTAMP and LAST-MODIFIED in local
    // time, which RFC 5545 requires in UTC. Each event names the zone, and the generator adds its VTIMEZONE.
    timezone: { name: null, generator: getVtimezoneComponent },
  });
  for (const session of sessions) {
    const page = sessionPageUrl(base, session);
    calendar.createEvent({
      // The session's global id: the same whatever the host or the order of the feed.
      id: `${session.gid}@obrady`,
      sequence: session.revision,
      stamp: session.changedAt,
      lastModified: session.changedAt,
      created: session.createdAt,
      timezone: timeZone,
      // A native Date would be written in the process's zone; luxon's carries the city's.
      start: DateTime.fromJSDate(session.scheduledAt, { zone: timeZone }),
      // The record holds no planned end; only a closed session's end is known (never invented).
      end:
        session.endedAt && session.endedAt > session.scheduledAt
          ? DateTime.fromJSDate(session.endedAt, { zone: timeZone })
          : null,
      summary: sessionHeadline(session),
      description: sessionDetails(session, page, timeZone).join('\n\n'),
      location: sessionLocation(session),
      url: page,
      status: session.status === SessionStatus.CANCELLED ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
