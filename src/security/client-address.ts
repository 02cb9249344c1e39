import type { IncomingMessage } from 'node:http';

/** The caller's address: the socket's, or behind a trusted proxy the first of X-Forwarded-For. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/**
 * The address that reached us, for decisions that grant access: the socket's,
 * or behind a trusted proxy the last entry of X-Forwarded-For, the one the
 * proxy itself wrote. The earlier entries are whatever the client sent, so a
 * client could otherwise claim to be 127.0.0.1.
 */
export function peerAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.at(-1) : forwarded)?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
