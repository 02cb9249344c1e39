import { Feed } from 'feed';
import type { FeedScope, PublishedSession } from '../../services/published-sessions.service';
import { asHtml, sessionDetails, sessionHeadline, sessionPageUrl } from './session-text';
import { stableUuid } from './stable-id';

export type FeedFormat = 'atom' | 'rss' | 'json';

/** The newest changes a feed lists: a reader polls for what is new, the calendar holds the whole record. */
export const FEED_ITEMS = 100;

/**
 * A scope's sessions as a web feed (npm `feed`): one item per session, updated when the session's own row
 * changes (scheduled, rescheduled, opened, closed, cancelled), never per attendance, vote or speech, which
 * leave the row as it was. Ids are name-based UUIDs of the session's key, so they hold across hosts.
 */
export function renderFeed(
  format: FeedFormat,
  scope: FeedScope,
  sessions: readonly PublishedSession[],
  links: { readonly base: string; readonly self: (format: FeedFormat) => string },
  timeZone: string,
): string {
  const newest = [...sessions]
    .sort((a, b) => b.changedAt.getTime() - a.changedAt.getTime() || b.id - a.id)
    .slice(0, FEED_ITEMS);
  const feed = new Feed({
    id: `urn:uuid:${stableUuid(`feed:${scope.key}`)}`,
    title: scope.title,
    description: `Posiedzenia: ${scope.title}`,
    link: links.self(format),
    language: 'pl',
    // From the data, not the clock, so one data version gives one set of bytes; the epoch for an empty feed.
    updated: newest[0]?.changedAt ?? new Date(0),
    generator: 'Obrady',
    feedLinks: { atom: links.self('atom'), rss: links.self('rss'), json: links.self('json') },
    // The feed package's type requires it; empty, it is left out: the record's licence is not ours to state.
    copyright: '',
  });
  for (const session of newest) {
    const page = sessionPageUrl(links.base, session);
    feed.addItem({
      id: `urn:uuid:${stableUuid(`session:${session.id}`)}`,
      title: sessionHeadline(session),
      link: page,
      date: session.changedAt,
      published: session.createdAt,
      description: asHtml(sessionDetails(session, page, timeZone)),
    });
  }
  switch (format) {
    case 'atom':
      // feed 5 writes no xml:lang; Atom states a feed's language there (RFC 4287 §2).
      return feed
        .atom1()
        .replace(
          '<feed xmlns="http://www.w3.org/2005/Atom">',
          '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="pl">',
        );
    case 'rss':
      return feed.rss2();
    case 'json':
      // feed 5 writes JSON Feed 1 without a language; 1.1 adds the field, which readers of 1 ignore.
      return JSON.stringify(
        { ...(JSON.parse(feed.json1()) as object), version: 'https://jsonfeed.org/version/1.1', language: 'pl' },
        null,
        2,
      );
  }
}
