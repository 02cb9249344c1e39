import type { IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Limits } from '../../config';
import type { Logger } from '../../logger';
import { clientAddress } from '../../security/client-address';
import { MEMORY_STORE, RateLimiter } from '../../security/rate-limiter';
import type { RateLimitStore } from '../../security/rate-limiter';

/**
 * Limits on sockets that graphql-ws does not set itself: sockets per client
 * address (refused at the upgrade with 429), subscribe messages per address
 * per minute, and slow consumers, whose unsent data is not allowed to grow
 * the server's memory: past the bound the socket is cut.
 */
export class SocketGuard {
  private readonly socketsPerAddress = new Map<string, number>();
  readonly subscribeRate: RateLimiter;

  constructor(
    private readonly limits: Limits,
    private readonly trustProxy: boolean,
    private readonly log: Logger,
    rateLimits: RateLimitStore = MEMORY_STORE,
  ) {
    this.subscribeRate = new RateLimiter('ws_subscribe', limits.wsSubscribeRatePerMinute, rateLimits);
  }

  /** For WebSocketServer's verifyClient. */
  verifyClient = (
    info: { req: IncomingMessage },
    callback: (ok: boolean, code?: number, message?: string) => void,
  ): void => {
    const address = clientAddress(info.req, this.trustProxy);
    if ((this.socketsPerAddress.get(address) ?? 0) >= this.limits.wsMaxSocketsPerAddress) {
      callback(false, 429, `Too many open sockets from this address (at most ${this.limits.wsMaxSocketsPerAddress}).`);
      return;
    }
    callback(true);
  };

  /** Counts the socket, and watches what it leaves unsent. */
  attach(server: WebSocketServer): void {
    server.on('connection', (socket: WebSocket, req: IncomingMessage) => {
      const address = clientAddress(req, this.trustProxy);
      this.socketsPerAddress.set(address, (this.socketsPerAddress.get(address) ?? 0) + 1);
      socket.once('close', () => {
        const left = (this.socketsPerAddress.get(address) ?? 1) - 1;
        if (left <= 0) this.socketsPerAddress.delete(address);
        else this.socketsPerAddress.set(address, left);
      });
      // A socket error is usually the client's doing (an oversized frame, a broken frame): log it
      // through our logger at warn, once, instead of graphql-ws's console.error with a stack, which a
      // client could otherwise use to flood the server's stderr.
      const onError = (error: Error): void => {
        this.log.warn({ err: error.message }, 'websocket error');
        if (socket.readyState === socket.OPEN) socket.close(1011, 'Internal server error');
      };
      socket.on('error', onError);
      setImmediate(() => {
        for (const listener of socket.listeners('error')) {
          if (listener !== onError) socket.removeListener('error', listener as (error: Error) => void);
        }
      });
      const send = socket.send.bind(socket) as (data: unknown, ...rest: unknown[]) => void;
      (socket as unknown as { send: typeof send }).send = (data, ...rest) => {
        // graphql-ws awaits each message's write callback, which fires only once the data has
        // reached the network: a reader that stops reading would stall its operation with one
        // message in flight while its events pile up in the feed's queue, out of sight of
        // bufferedAmount. So a message is acknowledged as soon as it is queued: what a slow
        // reader leaves unread accumulates here, where it is measured and bounded.
        const done = typeof rest.at(-1) === 'function' ? (rest.pop() as () => void) : undefined;
        if (socket.bufferedAmount > this.limits.wsMaxBufferedBytes) {
          this.log.warn({ buffered: socket.bufferedAmount }, 'slow consumer disconnected');
          socket.terminate();
        } else {
          send(data, ...rest);
        }
        done?.();
      };
    });
  }

  /**
   * Resolves once the socket's unsent data is back under a quarter of
   * WS_MAX_BUFFERED_BYTES (or the socket is gone): a replay waits here between
   * events, so it keeps pace with its reader instead of filling the buffer
   * until the reader is cut off as a slow consumer.
   */
  drained(socket: WebSocket): Promise<void> {
    const low = this.limits.wsMaxBufferedBytes / 4;
    const ready = (): boolean => socket.readyState !== socket.OPEN || socket.bufferedAmount <= low;
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (ready()) resolve();
        else setTimeout(check, 5);
      };
      setTimeout(check, 5);
    });
  }

  address(req: IncomingMessage): string {
    return clientAddress(req, this.trustProxy);
  }
}
