import type { IncomingMessage } from 'node:http';

/**
 * The caller's address, for rate limits, socket counts and the /metrics
 * allow-list: the socket's, or behind a trusted proxy (TRUST_PROXY) the last
 * entry of X-Forwarded-For, the one the proxy itself wrote. The earlier
 * entries are whatever the client sent: trusting the first would let a client
 * pick a new address for every request, past every per-address limit, or
 * claim to be 127.0.0.1.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.at(-1) : forwarded)?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
