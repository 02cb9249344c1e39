import type http from 'node:http';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import { clientAddress } from '../../security/client-address';
import type { RateLimiter } from '../../security/rate-limiter';
import type { MetricsEndpoint } from './metrics-endpoint';
import type { PageHandler, PageRoutes } from './pages/pages.router';

/**
 * Every HTTP path but the WebSocket upgrade: CORS, /graphql, /feeds/, /export/ and the
 * pages (pages/pages.router.ts) behind the per-address rate limit, the probes,
 * /metrics (unless it has a port of its own), and 404 for the rest.
 */
export function httpRouter(deps: {
  readonly config: Config;
  readonly log: Logger;
  readonly graphql: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
  /** /feeds/: calendars and feeds of sessions (feeds.route.ts). */
  readonly feeds: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
  readonly pages: PageRoutes;
  /** GET /export/…: the bulk exports (export-route.ts). */
  readonly exports: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
  readonly httpRate: RateLimiter;
  /** Null when /metrics is served on METRICS_PORT instead. */
  readonly metrics: MetricsEndpoint | null;
  readonly readiness: () => Promise<string | null>;
  /** The meeting-room screens under /screen/ (screen.routes.ts). */
  readonly screen: (req: http.IncomingMessage, res: http.ServerResponse, path: string) => void;
}): http.RequestListener {
  const { config, log } = deps;
  /** Runs a handler behind the per-address rate limit; a failure is a 500 without internals. */
  const limited = (req: http.IncomingMessage, res: http.ServerResponse, handler: PageHandler) => {
    deps.httpRate
      .take(clientAddress(req, config.trustProxy))
      .then((verdict) => (verdict.allowed ? handler(req, res) : tooManyRequests(res, verdict.retryAfterSeconds)))
      .catch((error: unknown) => {
        log.error({ err: error instanceof Error ? error.message : String(error) }, 'request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
          }),
        );
      });
  };
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (applyCors(config, req, res)) return;
    // Probes are not rate-limited; GraphQL, calendars, feeds, exports and the pages are, per client address (and scrapes, by their own limit).
    const page = deps.pages.match(req, path);
    if (page) return limited(req, res, page);
    if (path === '/graphql') return limited(req, res, deps.graphql);
    if (path.startsWith('/feeds/')) return limited(req, res, deps.feeds);
    if (path.startsWith('/export/')) return limited(req, res, deps.exports);
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
      return;
    }
    if (path === '/readyz') {
      void deps.readiness().then((problem) => {
        res.writeHead(problem ? 503 : 200, { 'content-type': 'text/plain' });
        res.end(problem ? `not ready: ${problem}\n` : 'ready\n');
      });
      return;
    }
    if (path === '/metrics' && deps.metrics) {
      deps.metrics.serve(req, res);
      return;
    }
    if (path.startsWith('/screen/')) {
      deps.screen(req, res, path);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not found: GraphQL is served at /graphql, the front page at /\n');
  };
}

/** The listener of METRICS_PORT: /metrics only. */
export function metricsOnlyRouter(metrics: MetricsEndpoint): http.RequestListener {
  return (req, res) => {
    if ((req.url ?? '/').split('?')[0] === '/metrics') return metrics.serve(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not found: metrics are served at /metrics\n');
  };
}

/** 429 for a client address past HTTP_RATE_LIMIT. */
function tooManyRequests(res: http.ServerResponse, retryAfterSeconds: number): void {
  res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfterSeconds) });
  res.end(
    JSON.stringify({
      errors: [
        { message: 'Too many requests from this address; retry shortly.', extensions: { code: 'RATE_LIMITED' } },
      ],
    }),
  );
}

/** CORS for browser dashboards; returns true when it answered a preflight. */
function applyCors(config: Config, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const origin = req.headers.origin;
  if (origin && (config.corsOrigins.includes('*') || config.corsOrigins.includes(origin))) {
    res.setHeader('access-control-allow-origin', config.corsOrigins.includes('*') ? '*' : origin);
    res.setHeader('vary', 'origin');
  }
  if (req.method === 'OPTIONS') {
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.setHeader(
      'access-control-allow-headers',
      'content-type, authorization, apollo-require-preflight, x-apollo-operation-name',
    );
    res.setHeader('access-control-max-age', '600');
    res.writeHead(204);
    res.end();
    return true;
  }
  return false;
}
