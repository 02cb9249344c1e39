import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config';
import type { Logger } from '../logger';

/** Where the counters live: in this process, or in a store every instance shares. */
export type RateLimitStore =
  | { readonly kind: 'memory' }
  | { readonly kind: 'redis'; readonly client: Redis; readonly prefix: string }
  | { readonly kind: 'postgres'; readonly pool: Pool; readonly prefix: string };

export const MEMORY_STORE: RateLimitStore = { kind: 'memory' };

export interface RateVerdict {
  readonly allowed: boolean;
  /** When refused: whole seconds until the key may try again, for Retry-After. */
  readonly retryAfterSeconds: number;
}

/** Longest key kept: an address is far shorter, but behind TRUST_PROXY it is what the client sent. */
const MAX_KEY_LENGTH = 200;

/**
 * `perMinute` requests per key in each minute (a window that opens at the key's
 * first request), counted by rate-limiter-flexible. With a shared store every
 * instance counts into the same window, so N instances allow the figure once,
 * not N times. If the store does not answer, each instance counts in memory
 * meanwhile (the insurance limiter): the limit degrades to per instance rather
 * than refusing everyone or letting everyone through.
 */
export class RateLimiter {
  private readonly limiter: RateLimiterAbstract;

  constructor(name: string, perMinute: number, store: RateLimitStore = MEMORY_STORE) {
    const window = { points: perMinute, duration: 60 };
    const memory = new RateLimiterMemory({ ...window, keyPrefix: name });
    switch (store.kind) {
      case 'memory':
        this.limiter = memory;
        break;
      case 'redis':
        this.limiter = new RateLimiterRedis({
          ...window,
          storeClient: store.client,
          keyPrefix: `${store.prefix}:${name}`,
          rejectIfRedisNotReady: true,
          insuranceLimiter: memory,
        });
        break;
      case 'postgres':
        this.limiter = new RateLimiterPostgres({
          ...window,
          storeClient: store.pool,
          storeType: 'pool',
          schemaName: 'rate_limits',
          tableName: 'counter',
          // Created by the RateLimits migration: no DDL at run time.
          tableCreated: true,
          clearExpiredByTimeout: true,
          keyPrefix: `${store.prefix}:${name}`,
          insuranceLimiter: memory,
        });
        break;
    }
  }

  /** Counts one request for `key`; refused once the key has used its minute's share. */
  async take(key: string): Promise<RateVerdict> {
    try {
      await this.limiter.consume(key.slice(0, MAX_KEY_LENGTH));
      return { allowed: true, retryAfterSeconds: 0 };
    } catch (outcome) {
      if (!(outcome instanceof RateLimiterRes)) throw outcome;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)) };
    }
  }
}

/**
 * The store RATE_LIMIT_STORE names: Redis gets a connection of its own, awaited
 * at start (while it is down, commands fail at once and the limiters count in
 * memory; it reconnects on its own); PostgreSQL shares the application's pool,
 * one short statement per request.
 */
export async function openRateLimitStore(
  config: Pick<Config, 'rateLimitStore' | 'rateLimitPrefix' | 'redisUrl'>,
  pool: Pool,
  log: Logger,
): Promise<{ store: RateLimitStore; close: () => Promise<void> }> {
  const prefix = config.rateLimitPrefix;
  switch (config.rateLimitStore) {
    case 'memory':
      return { store: MEMORY_STORE, close: async () => {} };
    case 'postgres':
      return { store: { kind: 'postgres', pool, prefix }, close: async () => {} };
    case 'redis': {
      const client = new Redis(config.redisUrl!, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        lazyConnect: true,
      });
      client.on('error', (error: Error) => log.warn({ err: error.message }, 'redis (rate limits) connection failed'));
      await client.connect().catch(() => log.warn('rate limits count in memory until Redis answers'));
      return {
        store: { kind: 'redis', client, prefix },
        close: async () => {
          client.disconnect();
        },
      };
    }
  }
}
