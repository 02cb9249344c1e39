/**
 * What one instance tells the others about a committed event: only ids and
 * the sequence. Every instance then reads the event itself from the log,
 * once, whatever the number of its subscribers.
 */
export interface EventNotice {
  /** Session id. */
  readonly s: number;
  /** Sequence of the event. */
  readonly q: number;
  /** Body id of the session, for sessionStatusChanged(bodyId). */
  readonly b: number;
  /** District id of the session's body, if any, for sessionStatusChanged(districtNumber). */
  readonly d: number | null;
  /** Event kind. */
  readonly k: string;
}

export type NoticeListener = (notice: EventNotice) => void;

export interface EventBus {
  /**
   * The channel the statement that writes an event also sends the notice on, with pg_notify (PostgreSQL
   * delivers it on commit only); null when the bus publishes after the commit instead.
   */
  readonly notifyChannel: string | null;
  /** Called after the commit (Redis, which knows nothing of our transactions). */
  publishAfterCommit(notice: EventNotice): Promise<void>;
  /** Starts listening; notices from every instance, this one included, reach the listener. */
  start(listener: NoticeListener): Promise<void>;
  /** Tells `listener` each time the transport reconnects, when notices may have been missed meanwhile. */
  onReconnect(listener: () => void): void;
  /** True while the transport is connected and listening. */
  readonly listening: boolean;
  stop(): Promise<void>;
}

export const EVENTS_CHANNEL = 'obrady_session_events';

export function parseNotice(text: string): EventNotice | null {
  try {
    const value = JSON.parse(text) as Partial<EventNotice>;
    if (typeof value.s === 'number' && typeof value.q === 'number' && typeof value.b === 'number') {
      return {
        s: value.s,
        q: value.q,
        b: value.b,
        d: typeof value.d === 'number' ? value.d : null,
        k: String(value.k),
      };
    }
  } catch {
    // not ours
  }
  return null;
}
