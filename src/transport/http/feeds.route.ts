import { createHash } from 'node:crypto';
import type http from 'node:http';
import type { Config } from '../../config';
import type { FeedTarget, PublishedSessionsService } from '../../services/published-sessions.service';
import { renderCalendar } from './calendar.format';
import { renderFeed } from './feed.format';
import type { FeedFormat } from './feed.format';

type Format = 'ics' | FeedFormat;

const CONTENT_TYPES: Record<Format, string> = {
  ics: 'text/calendar; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

/** `/feeds/bodies/{id}.{format}`, `/feeds/districts/{number}.{format}`, `/feeds/convention.{format}`. */
const PATH =
  /^\/feeds\/(?:bodies\/([A-Za-z0-9_-]{1,100})|districts\/([1-9]\d{0,2})|(convention))\.(ics|atom|rss|json)$/;

/** Rendered answers kept per instance (path, variant and host); each is reused while its data version holds. */
const KEPT_ANSWERS = 64;

interface Answer {
  readonly etag: string;
  readonly body: Buffer;
  readonly lastModified: Date | null;
}

/**
 * Calendars and feeds of sessions, over PublishedSessionsService. Each answer is labelled with the data
 * version it was made from (ETag), revalidated with If-None-Match (304 without reading a session), and
 * rendered once per version, path and host on each instance. Public data only; synthetic demo sessions only
 * with `?synthetic=include`.
 */
export function feedsRoute(deps: {
  readonly config: Config;
  readonly published: PublishedSessionsService;
}): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
  const { config, published } = deps;
  const kept = new Map<string, Answer>();
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return plain(res, 405, 'Calendars and feeds are read with GET.\n', { allow: 'GET, HEAD' });
    }
    const url = new URL(req.url ?? '/', 'http://feeds.invalid');
    const match = PATH.exec(url.pathname);
    if (!match) {
      return plain(
        res,
        404,
        'Not found: calendars and feeds are /feeds/bodies/{id}, /feeds/districts/{number} and /feeds/convention, each .ics, .atom, .rss or .json\n',
      );
    }
    const [, bodyId, districtNumber, , ext] = match;
    const format = ext as Format;
    const synthetic = url.searchParams.get('synthetic');
    if (synthetic !== null && synthetic !== 'include' && synthetic !== 'exclude') {
      return plain(res, 400, `synthetic must be "include" or "exclude", got "${synthetic.slice(0, 40)}".\n`);
    }
    const base = config.publicUrl ?? requestBase(req, config.trustProxy);
    if (base === null) return plain(res, 400, 'The Host header is missing or not a host name.\n');

    const version = await published.version();
    const target: FeedTarget =
      bodyId !== undefined
        ? { body: bodyId }
        : districtNumber !== undefined
          ? { district: Number(districtNumber) }
          : { convention: true };
    const scope = await published.scope(target);
    if (!scope) {
      return plain(
        res,
        404,
        bodyId !== undefined
          ? `No body "${bodyId}": use a body's id (Body.id in GraphQL) or its slug, e.g. rada-dzielnicy-stare-miasto.\n`
          : districtNumber !== undefined
            ? `No district number ${districtNumber}: the districts are numbered 1 to 18.\n`
            : 'There is no Convention in the record.\n',
      );
    }
    const includeSynthetic = synthetic === 'include';
    // What else makes the bytes: the variant and the host the links are written with.
    const key = `${url.pathname}|${includeSynthetic}|${base}`;
    const etag = `"${version}-${createHash('sha256').update(key).digest('base64url').slice(0, 16)}"`;
    const headers = {
      etag,
      'cache-control': `public, max-age=${config.feedMaxAgeSeconds}`,
      'access-control-expose-headers': 'etag, last-modified',
    };
    if (matches(req.headers['if-none-match'], etag)) {
      const lastModified = kept.get(key)?.lastModified;
      res.writeHead(304, lastModified ? { ...headers, 'last-modified': lastModified.toUTCString() } : headers);
      res.end();
      return;
    }
    let answer = kept.get(key);
    if (answer?.etag !== etag) {
      const sessions = await published.sessions(scope, includeSynthetic);
      const self = (to: Format): string =>
        `${base}${url.pathname.replace(/\.\w+$/, `.${to}`)}${includeSynthetic ? '?synthetic=include' : ''}`;
      const text =
        format === 'ics'
          ? renderCalendar(scope, sessions, base, config.timeZone)
          : renderFeed(format, scope, sessions, { base, self }, config.timeZone);
      const newest = sessions.reduce<Date | null>((max, s) => (max && max >= s.changedAt ? max : s.changedAt), null);
      answer = { etag, body: Buffer.from(text, 'utf8'), lastModified: newest };
      kept.delete(key);
      kept.set(key, answer);
      // The oldest first: a Map iterates in insertion order, and a kept answer is re-inserted when renewed.
      if (kept.size > KEPT_ANSWERS) kept.delete(kept.keys().next().value!);
    }
    res.writeHead(200, {
      ...headers,
      'content-type': CONTENT_TYPES[format],
      'content-length': answer.body.length,
      ...(answer.lastModified ? { 'last-modified': answer.lastModified.toUTCString() } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : answer.body);
  };
}

/** If-None-Match (RFC 9110 §13.1.2): `*`, or a list of tags compared weakly. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

/**
 * The base URL of links when PUBLIC_URL is unset: the request's Host, over https when the connection is
 * (or, behind our own proxy, when it says so). A Host that is not a host name is refused rather than
 * written into links.
 */
function requestBase(req: http.IncomingMessage, trustProxy: boolean): string | null {
  const host = req.headers.host;
  if (!host || !/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)) return null;
  const forwarded = trustProxy
    ? String(req.headers['x-forwarded-proto'] ?? '')
        .split(',')[0]!
        .trim()
    : '';
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const scheme = forwarded === 'https' || forwarded === 'http' ? forwarded : encrypted ? 'https' : 'http';
  return `${scheme}://${host.toLowerCase()}`;
}

function plain(res: http.ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...extra });
  res.end(text);
}
