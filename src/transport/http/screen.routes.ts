import type http from 'node:http';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import { fromGlobalId, toGlobalId } from '../../schema/global-id';
import { clientAddress } from '../../security/client-address';
import type { RateLimiter } from '../../security/rate-limiter';
import type { Services } from '../../services';
import { screenFiles } from './screen.assets';

/**
 * The meeting-room screen: `/screen/sessions/{id}` shows one session, `/screen/bodies/{id or slug}` whichever
 * session of a body is in progress. The page is plain HTML, CSS and one script over the public API (the same
 * GraphQL query and `sessionEvents` subscription anyone may send), so it shows nothing the API does not. Every
 * file it needs is served from here — the graphql-ws browser build and the font from node_modules — because a
 * meeting room may have no internet.
 */
export function screenRoutes(deps: {
  readonly config: Config;
  readonly log: Logger;
  readonly services: Pick<Services, 'screens'>;
  readonly httpRate: RateLimiter;
}): (req: http.IncomingMessage, res: http.ServerResponse, path: string) => void {
  const { config, log, services } = deps;
  const files = screenFiles();
  return (req, res, urlPath) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Metoda niedozwolona.\n');
      return;
    }
    const asset = /^\/screen\/assets\/([a-z0-9.-]+)$/.exec(urlPath);
    if (asset) {
      const file = files.assets.get(asset[1]!);
      if (!file) return notFound(res);
      // Fonts and scripts change only with a release; the page itself is never cached (PAGE_HEADERS).
      res.writeHead(200, {
        'content-type': file.type,
        'content-length': file.body.length,
        'cache-control': 'public, max-age=3600',
        'x-content-type-options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : file.body);
      return;
    }
    const page = /^\/screen\/(sessions|bodies)\/([^/]{1,120})$/.exec(urlPath);
    if (!page) return notFound(res);
    // Each page costs a statement: the same per-address limit as /graphql.
    deps.httpRate
      .take(clientAddress(req, config.trustProxy))
      .then(async (verdict) => {
        if (!verdict.allowed) {
          res.writeHead(429, { 'retry-after': String(verdict.retryAfterSeconds), 'content-type': 'text/plain' });
          res.end('Zbyt wiele żądań; spróbuj za chwilę.\n');
          return;
        }
        const target = await resolveTarget(services, page[1] as 'sessions' | 'bodies', decodeSegment(page[2]!));
        if (!target) return notFound(res);
        // Functions, not strings, as replacements: a "$&" in a value stays itself.
        const html = files.page
          .replace('{{sessionId}}', () => escapeAttribute(target.sessionId ?? ''))
          .replace('{{bodyId}}', () => escapeAttribute(target.bodyId ?? ''))
          .replace('{{timeZone}}', () => escapeAttribute(config.timeZone));
        res.writeHead(200, { ...PAGE_HEADERS, 'content-length': Buffer.byteLength(html) });
        res.end(req.method === 'HEAD' ? undefined : html);
      })
      .catch((error: unknown) => {
        log.error({ err: error instanceof Error ? error.message : String(error) }, 'screen page failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Błąd serwera.\n');
      });
  };
}

/**
 * The page runs only its own files: no inline script or style, no other origin, no frames. `connect-src 'self'`
 * covers the WebSocket of the same host and port (CSP Level 3), which is all the script talks to.
 */
export const SCREEN_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': SCREEN_CSP,
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

async function resolveTarget(
  services: Pick<Services, 'screens'>,
  kind: 'sessions' | 'bodies',
  segment: string | null,
): Promise<{ sessionId?: string; bodyId?: string } | null> {
  if (segment === null) return null;
  if (kind === 'sessions') {
    const key = keyOf(segment, 'Session');
    return key !== null && (await services.screens.sessionExists(key))
      ? { sessionId: toGlobalId('Session', key) }
      : null;
  }
  const key = keyOf(segment, 'Body');
  const body = await services.screens.body(key !== null ? { key } : { slug: segment });
  return body ? { bodyId: toGlobalId('Body', body.id) } : null;
}

/** The key of a global id of the given type; null for anything else (which, for a body, may be its slug). */
function keyOf(id: string, type: 'Session' | 'Body'): number | null {
  try {
    const decoded = fromGlobalId(id, 'id');
    return decoded.type === type ? decoded.key : null;
  } catch {
    return null;
  }
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function notFound(res: http.ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end('Nie znaleziono: ekran sesji to /screen/sessions/{id}, ekran organu to /screen/bodies/{id lub slug}.\n');
}

const ATTRIBUTE_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '"': '&quot;',
  '<': '&lt;',
  '>': '&gt;',
  "'": '&#39;',
};

function escapeAttribute(value: string): string {
  return value.replace(/[&"<>']/g, (c) => ATTRIBUTE_ESCAPES[c]!);
}
