import { SessionStatus } from '../../entities/session.entity';
import type { PublishedSession } from '../../services/published-sessions.service';

/** A session's status as a Polish reader of a calendar or feed reads it. */
const STATUS_PL: Record<SessionStatus, string> = {
  [SessionStatus.SCHEDULED]: 'zaplanowane',
  [SessionStatus.IN_PROGRESS]: 'w toku',
  [SessionStatus.SUSPENDED]: 'przerwane',
  [SessionStatus.CLOSED]: 'zakończone',
  [SessionStatus.CANCELLED]: 'odwołane',
};

/** The meeting-room screen of a session, the page calendars and feeds link to. */
export const sessionPageUrl = (base: string, session: Pick<PublishedSession, 'gid'>): string =>
  `${base}/screen/sessions/${session.gid}`;

/**
 * The title a calendar or feed shows. A cancelled session keeps its place with the title prefixed: Google
 * Calendar drops cancelled events and Outlook ignores STATUS, so the title is what tells their users.
 */
export const sessionHeadline = (session: Pick<PublishedSession, 'title' | 'status'>): string =>
  session.status === SessionStatus.CANCELLED ? `ODWOŁANA: ${session.title}` : session.title;

/** Where a session meets, as one line, or null when the record does not say. */
export const sessionLocation = (session: Pick<PublishedSession, 'venueName' | 'venueAddress'>): string | null =>
  [session.venueName, session.venueAddress].filter((part) => part !== null && part !== '').join(', ') || null;

/**
 * The description's paragraphs: the page link first (calendar clients ignore URL, and show the first
 * lines), then the body, number and status, the reason of a cancellation and the session's own description.
 */
export function sessionDetails(session: PublishedSession, pageUrl: string, timeZone: string): string[] {
  const when = new Intl.DateTimeFormat('pl-PL', { dateStyle: 'long', timeStyle: 'short', timeZone }).format(
    session.scheduledAt,
  );
  const location = sessionLocation(session);
  return [
    `Strona posiedzenia: ${pageUrl}`,
    `${session.bodyName}, posiedzenie nr ${session.number} (${STATUS_PL[session.status]}), ${when}${location ? `, ${location}` : ''}.`,
    session.cancellationReason ? `Powód odwołania: ${session.cancellationReason}` : null,
    session.description,
  ].filter((line): line is string => line !== null && line !== '');
}

/** The paragraphs as HTML, for feed readers (Atom's summary and JSON Feed's content are HTML here). */
export const asHtml = (paragraphs: readonly string[]): string =>
  paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('');

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
