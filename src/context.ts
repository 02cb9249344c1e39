import type { Caller } from './auth/caller';
import type { Loaders } from './loaders';
import type { Logger } from './logger';
import type { Services } from './services';
import type { SessionFeed } from './events/session-feed';

/**
 * What every resolver gets: made per HTTP request and per subscription. A
 * subscription's loaders are swapped for each event's shared ones as it is
 * delivered, so they never serve an answer from before the change.
 */
export interface Context {
  readonly caller: Caller | null;
  loaders: Loaders;
  readonly services: Services;
  /** A fresh set of loaders, for a subscription's event (see subscription.resolver.ts). */
  readonly createLoaders: () => Loaders;
  readonly log: Logger;
  readonly feed: SessionFeed;
  /**
   * Learnt as an HTTP request is answered (Apollo hands plugins a shallow copy
   * of the context, so this is an object they share): the operation's name
   * once the answer may be kept in the public read cache.
   */
  readonly answer: { cacheableAs?: string | null };
  /** Over WebSocket: resolves once the socket has room for more, so a replay sends no faster than it is read. */
  readonly drained?: () => Promise<void>;
}
