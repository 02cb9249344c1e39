import type pg from 'pg';
import type { WebhookSettings } from '../config';
import type { SessionEventKind } from '../entities/session-event.entity';
import { webhookIdOf } from '../entities/webhook-delivery.entity';
import type { WebhookEventType } from '../entities/webhook-endpoint.entity';
import type { Logger } from '../logger';
import { webhookPayload } from './webhook-payload.rules';
import { retryDelayMs } from './webhook-schedule.rules';
import { sendWebhook } from './webhook-sender.service';
import type { AttemptResult } from './webhook-sender.service';

/** What the dispatcher reports, for the metrics. */
export interface DispatchObserver {
  attempted(outcome: 'delivered' | 'retry' | 'failed' | 'gone'): void;
}

interface Claimed {
  id: number;
  endpoint_id: number;
  session_id: number;
  sequence: number;
  event_type: WebhookEventType;
  attempts: number;
  url: string;
  secret: string;
  kind: SessionEventKind;
  occurred_at: Date;
  snapshots: {
    session?: Record<string, unknown>;
    agendaItem?: Record<string, unknown>;
    order?: [number, number, number][];
    vote?: Record<string, unknown>;
    quorum?: Record<string, unknown>;
  };
}

/**
 * Claims due deliveries, one statement: each enabled endpoint's oldest pending delivery (so an endpoint gets
 * its events in order, one at a time), if its attempt is due and no instance holds it, locked with SKIP LOCKED
 * so that instances claiming at the same moment take different rows, and leased (locked_until) for the
 * attempt: an instance that dies mid-attempt holds it only until the lease runs out, then another retries it.
 */
const CLAIM = `
  WITH heads AS (
    SELECT DISTINCT ON (endpoint_id) id FROM webhook_delivery WHERE status = 'PENDING' ORDER BY endpoint_id, id
  ), claim AS (
    SELECT d.id FROM webhook_delivery d
      JOIN heads h ON h.id = d.id
      JOIN webhook_endpoint w ON w.id = d.endpoint_id
     WHERE w.enabled AND d.status = 'PENDING' AND d.next_attempt_at <= now()
       AND (d.locked_until IS NULL OR d.locked_until <= now())
     ORDER BY d.next_attempt_at, d.id
     LIMIT $1
       FOR UPDATE OF d SKIP LOCKED
  ), taken AS (
    UPDATE webhook_delivery d
       SET attempts = d.attempts + 1, last_attempt_at = now(), locked_until = now() + $2 * interval '1 millisecond'
      FROM claim WHERE d.id = claim.id
    RETURNING d.id, d.endpoint_id, d.session_id, d.sequence, d.event_type, d.attempts
  )
  SELECT t.*, w.url, w.secret, e.kind, e.occurred_at,
         jsonb_build_object('session', e.payload->'session', 'agendaItem', e.payload->'agendaItem',
                            'order', e.payload->'order', 'vote', e.payload->'vote', 'quorum', e.payload->'quorum')
           AS snapshots
    FROM taken t
    JOIN webhook_endpoint w ON w.id = t.endpoint_id
    JOIN session_event e ON e.session_id = t.session_id AND e.sequence = t.sequence`;

/** Margin of a lease beyond the attempt's own timeout: the result is written before another instance may retry. */
const LEASE_MARGIN_MS = 5000;

/**
 * Sends the outbox (webhook_delivery), on every instance: they share the work through the database, never
 * sending one delivery twice at once. Woken by its timer (WEBHOOKS_POLL_MS), by a change committed on this
 * instance, and by each finished attempt (the endpoint's next event may be waiting). It has its own small pool,
 * apart from the one requests use: its polling is not a request's cost, and a flood of requests does not stop it.
 */
export class WebhookDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();

  constructor(
    private readonly pool: pg.Pool,
    private readonly settings: WebhookSettings,
    private readonly log: Logger,
    private readonly observer: DispatchObserver = { attempted: () => {} },
  ) {
    // An idle connection that PostgreSQL drops (a restart) is an 'error' on the pool; unheard, it would end the
    // process. The next poll opens a new one.
    pool.on('error', (error) => log.warn({ err: error.message }, 'webhook dispatcher lost a database connection'));
  }

  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Look for due deliveries now (a change was committed, or an attempt finished). */
  kick(): void {
    if (this.stopped) return;
    if (this.polling) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.polling = this.poll()
      .catch((error: unknown) => {
        if (!this.stopped) {
          this.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'webhook dispatch failed');
        }
      })
      .finally(() => {
        this.polling = null;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.kick();
        } else {
          this.timer = setTimeout(() => this.kick(), this.settings.pollMs);
        }
      });
  }

  /** Stops claiming, abandons attempts under way (their leases run out and another instance retries) and ends the pool. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort.abort();
    await this.polling;
    await Promise.allSettled([...this.inFlight]);
    await this.pool.end();
  }

  private async poll(): Promise<void> {
    const room = this.settings.batch - this.inFlight.size;
    if (room <= 0) return;
    const { rows } = await this.pool.query<Claimed>(CLAIM, [room, this.settings.timeoutMs + LEASE_MARGIN_MS]);
    for (const row of rows) {
      const attempt = this.attempt(row).finally(() => {
        this.inFlight.delete(attempt);
        this.kick();
      });
      this.inFlight.add(attempt);
    }
  }

  private async attempt(row: Claimed): Promise<void> {
    const body = JSON.stringify(
      webhookPayload({
        sessionId: row.session_id,
        sequence: row.sequence,
        kind: row.kind,
        occurredAt: row.occurred_at,
        eventType: row.event_type,
        session: row.snapshots.session ?? null,
        agendaItem: row.snapshots.agendaItem ?? null,
        order: row.snapshots.order ?? null,
        vote: row.snapshots.vote ?? null,
        quorum: row.snapshots.quorum ?? null,
      }),
    );
    const result = await sendWebhook(
      { url: row.url, secret: row.secret },
      { id: webhookIdOf(row.session_id, row.sequence), body },
      { timeoutMs: this.settings.timeoutMs, allowPrivate: this.settings.allowPrivate, signal: this.abort.signal },
    );
    if (this.stopped) return; // abandoned: the lease runs out and the attempt is made again
    await this.record(row, result);
  }

  /**
   * The attempt's outcome, written only if the lease is still this attempt's (attempts unchanged): a result that
   * comes after the lease ran out and another instance took the delivery over is dropped.
   */
  private async record(row: Claimed, result: AttemptResult): Promise<void> {
    const { statusCode } = result;
    const delivered = statusCode !== null && statusCode >= 200 && statusCode < 300;
    const fence = [
      row.id,
      row.attempts,
      statusCode,
      delivered ? null : (result.error ?? `The receiver answered ${statusCode}.`),
    ];
    if (delivered) {
      await this.pool.query(
        `UPDATE webhook_delivery SET status = 'DELIVERED', delivered_at = now(), locked_until = NULL,
                last_status_code = $3, last_error = $4 WHERE id = $1 AND attempts = $2`,
        fence,
      );
      this.observer.attempted('delivered');
      return;
    }
    if (statusCode === 410) {
      // Standard Webhooks: 410 Gone means the receiver wants no more; its endpoint is disabled, not retried.
      await this.pool.query(
        `WITH d AS (UPDATE webhook_delivery SET status = 'FAILED', locked_until = NULL, last_status_code = $3,
                           last_error = $4 WHERE id = $1 AND attempts = $2 RETURNING endpoint_id)
         UPDATE webhook_endpoint SET enabled = false, disabled_at = now(),
                disabled_reason = 'The receiver answered 410 Gone.'
          WHERE id IN (SELECT endpoint_id FROM d)`,
        fence,
      );
      this.log.warn({ endpoint: row.endpoint_id, delivery: row.id }, 'webhook endpoint answered 410 Gone: disabled');
      this.observer.attempted('gone');
      return;
    }
    const delay = retryDelayMs(this.settings.retrySchedule, row.attempts);
    await this.pool.query(
      `UPDATE webhook_delivery SET status = $5, locked_until = NULL, last_status_code = $3, last_error = $4,
              next_attempt_at = now() + coalesce($6::int, 0) * interval '1 millisecond'
        WHERE id = $1 AND attempts = $2`,
      [...fence, delay === null ? 'FAILED' : 'PENDING', delay],
    );
    this.log.info(
      { endpoint: row.endpoint_id, delivery: row.id, attempt: row.attempts, status: statusCode, retryInMs: delay },
      delay === null ? 'webhook delivery failed for good' : 'webhook delivery failed; retrying',
    );
    this.observer.attempted(delay === null ? 'failed' : 'retry');
  }
}
