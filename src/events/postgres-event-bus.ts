import pg from 'pg';
import type { Logger } from '../logger';
import { EVENTS_CHANNEL, parseNotice } from './event-bus';
import type { EventBus, NoticeListener } from './event-bus';

/**
 * LISTEN/NOTIFY on the application database: the default transport, needing
 * nothing beyond PostgreSQL. pg_notify inside the writing transaction is
 * delivered only if it commits, and to every instance listening. If the
 * listening connection drops, it reconnects; the subscribers' sequence
 * tracking then fetches whatever was missed from the log.
 */
export class PostgresEventBus implements EventBus {
  private client: pg.Client | null = null;
  private listener: NoticeListener | null = null;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private connected = false;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
  ) {}

  private reconnected: () => void = () => {};

  onReconnect(listener: () => void): void {
    this.reconnected = listener;
  }

  get listening(): boolean {
    return this.connected;
  }

  /** Sent by the statement that writes the event (SessionChanges), so it costs no statement of its own. */
  readonly notifyChannel = EVENTS_CHANNEL;

  async publishAfterCommit(): Promise<void> {
    // Delivered by the commit itself.
  }

  async start(listener: NoticeListener): Promise<void> {
    this.listener = listener;
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'obrady-listen' });
    client.on('notification', (message) => {
      const notice = message.payload ? parseNotice(message.payload) : null;
      if (notice) this.listener?.(notice);
    });
    client.on('error', (error) => {
      this.log.warn({ err: error.message }, 'event listener connection failed');
    });
    client.on('end', () => {
      this.connected = false;
      if (!this.stopped) this.scheduleReconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    this.client = client;
    this.connected = true;
  }

  private scheduleReconnect(delay = 500): void {
    if (this.reconnectTimer || this.stopped) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect().then(
        () => {
          this.log.info('event listener reconnected');
          this.reconnected();
        },
        () => this.scheduleReconnect(Math.min(delay * 2, 5000)),
      );
    }, delay);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.connected = false;
    await this.client?.end().catch(() => {});
    this.client = null;
  }
}
