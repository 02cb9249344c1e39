import type { DataSource } from 'typeorm';
import { EVENT_HEADER, SessionEvent, SessionEventKind } from '../entities/session-event.entity';
import { Session } from '../entities/session.entity';
import { BadUserInputError, NotFoundError } from '../errors';
import type { Logger } from '../logger';
import { toGlobalId } from '../schema/global-id';
import { AsyncQueue } from './async-queue';
import type { EventBus, EventNotice } from './event-bus';
import { EventScope } from './event-scope';

/** An event as this instance delivers it: read from the log once, shared by every receiver. */
export interface DeliveredEvent {
  readonly event: SessionEvent;
  /** Made once per event: whatever its receivers resolve from it is fetched once. */
  readonly scope: EventScope;
}

/** A session whose status changed, for sessionStatusChanged. */
export interface StatusChange {
  readonly notice: EventNotice;
  readonly session: Session;
  readonly scope: EventScope;
}

const STATUS_KINDS: ReadonlySet<string> = new Set([
  SessionEventKind.SESSION_SCHEDULED,
  SessionEventKind.SESSION_OPENED,
  SessionEventKind.SESSION_SUSPENDED,
  SessionEventKind.SESSION_RESUMED,
  SessionEventKind.SESSION_CLOSED,
  SessionEventKind.SESSION_CANCELLED,
]);

/** Hooks for the metrics: an event read from the log for this many subscribers. */
export interface FeedObserver {
  read?: (occurredAt: Date, subscribers: number) => void;
}

/** How many events a catch-up of the live stream reads at a time. */
const PAGE = 500;

/**
 * How many events a replay reads at a time, and how many of its pages stay
 * in memory for the next replay of the same range: a replay holds a page,
 * never the log (with EVENT_MAX_BYTES at 64 KiB, a page is at most 6.4 MB).
 */
const REPLAY_PAGE = 100;
const KEPT_PAGES = 4;

/** What a replay reads, and how it waits for its subscriber. */
export interface ReplayOptions {
  /** False when the selection reads only the events' own columns (see selectsPayload): no payload is read. */
  readonly payload: boolean;
  /** Resolves once the subscriber's socket has room: the replay reads and sends no faster than it is read. */
  readonly drained?: () => Promise<void>;
}

/**
 * This instance's side of live delivery. It hears notices from the event
 * bus, reads each event of a watched session from the log once (in sequence
 * order, whatever order notices arrive in), and hands the same object to
 * every subscriber of that session. A subscriber tracks the last sequence it
 * delivered: anything older is skipped and any gap is read from the log, so
 * a replay meets the live stream with no gap and no duplicate, and a notice
 * lost in transit costs a read, never an event.
 */
export class SessionFeed {
  private readonly subscribers = new Map<number, Set<AsyncQueue<DeliveredEvent>>>();
  private readonly statusWatchers = new Set<{
    bodyId: number | null;
    districtId: number | null;
    queue: AsyncQueue<StatusChange>;
  }>();
  /** Per watched session: the last sequence read from the log, and the read in progress. */
  private readonly cursors = new Map<number, number>();
  private readonly reading = new Map<number, Promise<void>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly observe: FeedObserver = {},
    /** MAX_LOG_BYTES: payload bytes one replay may read from the log. */
    private readonly maxLogBytes = Number.MAX_SAFE_INTEGER,
  ) {}

  /** Replay pages being read or recently read, shared by replays of the same range (insertion order = age). */
  private readonly pages = new Map<string, Promise<DeliveredEvent[]>>();

  /** Subscribers to session events on this instance. */
  get subscriberCount(): number {
    let count = 0;
    for (const queues of this.subscribers.values()) count += queues.size;
    return count;
  }

  async start(): Promise<void> {
    // Notices sent while the transport was down are lost: the bus says when it is back, and the feed reads the log.
    this.bus.onReconnect(() => this.catchUp());
    await this.bus.start((notice) => this.onNotice(notice));
  }

  /** After the transport reconnects: read whatever each watched session logged meanwhile. */
  catchUp(): void {
    for (const sessionId of this.subscribers.keys()) this.scheduleRead(sessionId);
  }

  get listening(): boolean {
    return this.bus.listening;
  }

  async stop(): Promise<void> {
    for (const queues of this.subscribers.values()) for (const queue of queues) queue.close();
    for (const watcher of this.statusWatchers) watcher.queue.close();
    await this.bus.stop();
  }

  /**
   * Every event of a session with a sequence above `after` (or, without it,
   * from now on), in order, then live until the consumer stops.
   */
  async sessionEvents(
    sessionId: number | null,
    after: number | null,
    options: ReplayOptions = { payload: true },
  ): Promise<AsyncGenerator<DeliveredEvent>> {
    if (sessionId === null) throw new NotFoundError('session', 'given');
    const queue = new AsyncQueue<DeliveredEvent>();
    // Listen first, then read where the log stands: nothing can fall between the two.
    const known = await this.watch(sessionId, queue);
    if (known === null) {
      this.unwatch(sessionId, queue);
      throw new NotFoundError('session', toGlobalId('Session', sessionId));
    }
    if (after !== null && (after < 0 || after > known)) {
      this.unwatch(sessionId, queue);
      throw new BadUserInputError(
        'after',
        `after must be between 0 and the session's last sequence, ${known}; got ${after}.`,
      );
    }
    if (after !== null && after < known && options.payload) {
      const bytes = await this.replayBytes(sessionId, after);
      if (bytes > this.maxLogBytes) {
        this.unwatch(sessionId, queue);
        throw new BadUserInputError(
          'after',
          `Replaying after ${after} would read ${bytes} bytes of the event log; one replay may read at most ${this.maxLogBytes} (MAX_LOG_BYTES). Read the older events with Session.events(after:, first:) and subscribe with after set to the last one you have.`,
        );
      }
    }
    return closeOnReturn(this.streamEvents(sessionId, after, known, queue, options), () => queue.close());
  }

  /** The payload bytes stored after a sequence (as PostgreSQL keeps them), read from the rows, not their payloads. */
  private async replayBytes(sessionId: number, after: number): Promise<number> {
    const rows = (await this.dataSource.query(
      'SELECT coalesce(sum(pg_column_size(payload)), 0)::bigint AS bytes FROM session_event WHERE session_id = $1 AND sequence > $2',
      [sessionId, after],
    )) as { bytes: string }[];
    return Number(rows[0]!.bytes);
  }

  private async *streamEvents(
    sessionId: number,
    after: number | null,
    known: number,
    queue: AsyncQueue<DeliveredEvent>,
    options: ReplayOptions,
  ): AsyncGenerator<DeliveredEvent> {
    let last = after ?? known;
    try {
      if (after !== null && after < known) {
        for await (const event of this.replay(sessionId, after, known, options)) {
          yield event;
          last = event.event.sequence;
        }
      }
      for await (const delivered of queue) {
        const sequence = delivered.event.sequence;
        if (sequence <= last) continue;
        if (sequence > last + 1) {
          for (const missed of await this.readAll(sessionId, last, sequence - 1)) {
            yield missed;
            last = missed.event.sequence;
          }
        }
        yield delivered;
        last = sequence;
      }
    } finally {
      this.unwatch(sessionId, queue);
    }
  }

  /** Sessions whose status changes, of one body or district or of all. */
  statusChanges(bodyId: number | null, districtId: number | null): AsyncGenerator<StatusChange> {
    const watcher = { bodyId, districtId, queue: new AsyncQueue<StatusChange>() };
    this.statusWatchers.add(watcher);
    return closeOnReturn(this.streamStatus(watcher), () => {
      watcher.queue.close();
      this.statusWatchers.delete(watcher);
    });
  }

  private async *streamStatus(watcher: {
    bodyId: number | null;
    districtId: number | null;
    queue: AsyncQueue<StatusChange>;
  }): AsyncGenerator<StatusChange> {
    try {
      yield* watcher.queue;
    } finally {
      this.statusWatchers.delete(watcher);
    }
  }

  private async watch(sessionId: number, queue: AsyncQueue<DeliveredEvent>): Promise<number | null> {
    let queues = this.subscribers.get(sessionId);
    if (!queues) {
      queues = new Set();
      this.subscribers.set(sessionId, queues);
    }
    queues.add(queue);
    const rows = (await this.dataSource.query('SELECT last_sequence FROM session WHERE id = $1', [sessionId])) as {
      last_sequence: number;
    }[];
    if (rows.length === 0) return null;
    const known = rows[0]!.last_sequence;
    if (!this.cursors.has(sessionId)) {
      // The shared reader starts where the log stands (older events are this subscriber's replay),
      // and looks once now, for any event committed while it was not yet watching.
      this.cursors.set(sessionId, known);
      this.scheduleRead(sessionId);
    }
    return known;
  }

  private unwatch(sessionId: number, queue: AsyncQueue<DeliveredEvent>): void {
    queue.close();
    const queues = this.subscribers.get(sessionId);
    queues?.delete(queue);
    if (queues && queues.size === 0) {
      this.subscribers.delete(sessionId);
      this.cursors.delete(sessionId);
    }
  }

  private onNotice(notice: EventNotice): void {
    if (this.subscribers.has(notice.s)) this.scheduleRead(notice.s);
    if (STATUS_KINDS.has(notice.k) && this.statusWatchers.size > 0) {
      void this.deliverStatus(notice).catch((error: unknown) =>
        this.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'status delivery failed'),
      );
    }
  }

  /** One read at a time per session, each picking up from where the last left off. */
  private scheduleRead(sessionId: number): void {
    const previous = this.reading.get(sessionId) ?? Promise.resolve();
    const next = previous
      .then(() => this.readNew(sessionId))
      .catch((error: unknown) => {
        this.log.warn({ err: error instanceof Error ? error.message : String(error), sessionId }, 'event read failed');
      })
      .finally(() => {
        if (this.reading.get(sessionId) === next) this.reading.delete(sessionId);
      });
    this.reading.set(sessionId, next);
  }

  private async readNew(sessionId: number): Promise<void> {
    for (;;) {
      const queues = this.subscribers.get(sessionId);
      if (!queues || queues.size === 0) return;
      const from = this.cursors.get(sessionId);
      if (from === undefined) return;
      const events = await this.read(sessionId, from, from + PAGE);
      for (const delivered of events) {
        this.cursors.set(sessionId, delivered.event.sequence);
        const queues = this.subscribers.get(sessionId) ?? new Set();
        this.observe.read?.(delivered.event.occurredAt, queues.size);
        for (const queue of queues) queue.push(delivered);
      }
      if (events.length < PAGE) return;
    }
  }

  /**
   * The events after..upTo, a page at a time: the next page is read only once
   * this one is delivered, and each event is handed on only once the
   * subscriber's socket has room, so N replays hold N pages at most, not N logs.
   */
  private async *replay(
    sessionId: number,
    after: number,
    upTo: number,
    options: ReplayOptions,
  ): AsyncGenerator<DeliveredEvent> {
    for (let from = after; from < upTo;) {
      const page = await this.replayPage(sessionId, from, upTo, options.payload);
      const next = page.filter((delivered) => delivered.event.sequence > from);
      if (next.length === 0) return;
      for (const delivered of next) {
        await options.drained?.();
        yield delivered;
      }
      from = next.at(-1)!.event.sequence;
    }
  }

  /**
   * The page holding the event after `from`: pages are aligned on multiples
   * of REPLAY_PAGE and cut at upTo (already committed, so a page never
   * changes), so replays of the same session read each page once between them.
   */
  private replayPage(sessionId: number, from: number, upTo: number, payload: boolean): Promise<DeliveredEvent[]> {
    const low = Math.floor(from / REPLAY_PAGE) * REPLAY_PAGE;
    const high = Math.min(low + REPLAY_PAGE, upTo);
    const key = `${sessionId}:${low}:${high}:${payload}`;
    let page = this.pages.get(key);
    if (page) {
      this.pages.delete(key);
    } else {
      page = this.read(sessionId, low, high, payload);
      page.catch(() => this.pages.delete(key));
    }
    this.pages.set(key, page);
    if (this.pages.size > KEPT_PAGES) this.pages.delete(this.pages.keys().next().value!);
    return page;
  }

  private async readAll(sessionId: number, after: number, upTo: number): Promise<DeliveredEvent[]> {
    const all: DeliveredEvent[] = [];
    for (let from = after; from < upTo; from += PAGE) {
      all.push(...(await this.read(sessionId, from, Math.min(from + PAGE, upTo))));
    }
    return all;
  }

  private async read(sessionId: number, after: number, upTo: number, payload = true): Promise<DeliveredEvent[]> {
    const query = this.dataSource.getRepository(SessionEvent).createQueryBuilder('e');
    if (!payload) query.select(EVENT_HEADER);
    const events = await query
      .where('e.session_id = :sessionId AND e.sequence > :after AND e.sequence <= :upTo', { sessionId, after, upTo })
      .orderBy('e.sequence', 'ASC')
      .getMany();
    return events.map((event) => ({ event, scope: new EventScope() }));
  }

  private async deliverStatus(notice: EventNotice): Promise<void> {
    const interested = [...this.statusWatchers].filter(
      (watcher) =>
        (watcher.bodyId === null || watcher.bodyId === notice.b) &&
        (watcher.districtId === null || watcher.districtId === notice.d),
    );
    if (interested.length === 0) return;
    const session = await this.dataSource.getRepository(Session).findOneBy({ id: notice.s });
    if (!session) return;
    const change: StatusChange = { notice, session, scope: new EventScope() };
    for (const watcher of interested) watcher.queue.push(change);
  }
}

/**
 * An async generator waiting on an empty queue would not see return() (which
 * graphql-ws calls when a client unsubscribes) until its next item; closing
 * the queue first lets it finish at once and run its finally block.
 */
function closeOnReturn<T>(generator: AsyncGenerator<T>, close: () => void): AsyncGenerator<T> {
  const original = generator.return.bind(generator);
  generator.return = (value) => {
    close();
    return original(value);
  };
  return generator;
}
