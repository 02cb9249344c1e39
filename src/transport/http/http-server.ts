import http from 'node:http';
import type { HttpTimeouts } from '../../config';

/**
 * An http.Server with the timeouts set, not left to Node's defaults (60 s for
 * the headers, checked only every 30 s). Node checks the headers and request
 * timeouts on a timer: every quarter of the headers timeout, at most once a
 * second, so a slow client is cut within about a second of its time; the check
 * walks only connections still sending a request, never upgraded sockets.
 */
export function createHttpServer(timeouts: HttpTimeouts, listener?: http.RequestListener): http.Server {
  const server = http.createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(timeouts.headersTimeoutMs / 4))),
    },
    listener,
  );
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  return server;
}
