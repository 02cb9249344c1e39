import { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { EVENTS_CHANNEL, parseNotice } from './event-bus';
import type { EventBus, EventNotice, NoticeListener } from './event-bus';

/**
 * Redis pub/sub (PUBSUB=redis): for deployments that already fan out through
 * Redis. Redis knows nothing of our transactions, so notices go out after
 * commit; one lost in transit is recovered from the log by sequence.
 */
export class RedisEventBus implements EventBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private ready = false;

  constructor(
    url: string,
    private readonly log: Logger,
  ) {
    const options = { maxRetriesPerRequest: 2, enableOfflineQueue: false, lazyConnect: true };
    this.publisher = new Redis(url, options);
    this.subscriber = new Redis(url, { ...options, enableOfflineQueue: true });
    for (const connection of [this.publisher, this.subscriber]) {
      connection.on('error', (error: Error) => this.log.warn({ err: error.message }, 'redis connection failed'));
    }
  }

  private reconnected: () => void = () => {};

  onReconnect(listener: () => void): void {
    this.reconnected = listener;
  }

  get listening(): boolean {
    return this.ready && this.subscriber.status === 'ready';
  }

  /** Published after the commit. */
  readonly notifyChannel = null;

  async publishAfterCommit(notice: EventNotice): Promise<void> {
    try {
      await this.publisher.publish(EVENTS_CHANNEL, JSON.stringify(notice));
    } catch (error) {
      // The event is committed; subscribers catch up by sequence on the next notice.
      this.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'redis publish failed');
    }
  }

  async start(listener: NoticeListener): Promise<void> {
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== EVENTS_CHANNEL) return;
      const notice = parseNotice(message);
      if (notice) listener(notice);
    });
    let first = true;
    this.subscriber.on('ready', () => {
      if (!first) this.reconnected();
      first = false;
    });
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    await this.subscriber.subscribe(EVENTS_CHANNEL);
    this.ready = true;
  }

  async stop(): Promise<void> {
    this.ready = false;
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}
