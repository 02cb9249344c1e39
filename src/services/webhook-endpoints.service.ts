import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { assertAdmin } from '../auth/permissions';
import type { Caller } from '../auth/caller';
import type { WebhookDeliveryStatus } from '../entities/webhook-delivery.entity';
import { WebhookDelivery } from '../entities/webhook-delivery.entity';
import { WebhookEndpoint } from '../entities/webhook-endpoint.entity';
import type { WebhookEventType } from '../entities/webhook-endpoint.entity';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import { requireKeyOf } from '../schema/global-id';
import { endpointUrlProblem } from './webhook-address.rules';

/** Deliveries per page of the log, at most. */
export const MAX_DELIVERIES_PAGE = 100;

/**
 * Webhook endpoints and their delivery log, for admins: register (the secret shown once), list, enable,
 * disable, delete, and replay a delivery. Everything is checked before anything is written.
 */
export class WebhookEndpointsService {
  constructor(
    private readonly dataSource: DataSource,
    /** WEBHOOKS_ALLOW_PRIVATE: plain http:// and private addresses accepted (tests only). */
    private readonly allowPrivate: boolean,
  ) {}

  async create(
    caller: Caller | null,
    input: { url: string; eventTypes: readonly WebhookEventType[]; bodyIds?: readonly string[] | null },
  ): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    assertAdmin(caller, 'register a webhook endpoint');
    const url = input.url.trim();
    const problem = endpointUrlProblem(url, this.allowPrivate);
    if (problem) throw new BadUserInputError('url', `url ${problem}`);
    const eventTypes = [...new Set(input.eventTypes)];
    if (eventTypes.length === 0) throw new BadUserInputError('eventTypes', 'eventTypes must name at least one type.');
    const bodyIds = [...new Set((input.bodyIds ?? []).map((id, i) => requireKeyOf(id, 'Body', `bodyIds[${i}]`)))];
    // Standard Webhooks' secret: `whsec_` and a base64 key of 24 to 64 random bytes.
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const [row] = (await this.dataSource.query(
      `INSERT INTO webhook_endpoint (url, secret, event_types, body_ids)
       SELECT $1, $2, $3::varchar[], $4::int[]
        WHERE (SELECT count(*) FROM body WHERE id = ANY ($4::int[])) = cardinality($4::int[])
       RETURNING id`,
      [url, secret, eventTypes, bodyIds],
    )) as { id: number }[];
    if (!row) throw new NotFoundError('body', 'among bodyIds (every one must name a body)');
    return { endpoint: await this.endpoint(row.id), secret };
  }

  async list(caller: Caller | null): Promise<WebhookEndpoint[]> {
    assertAdmin(caller, 'list webhook endpoints');
    return this.dataSource.getRepository(WebhookEndpoint).find({ order: { id: 'ASC' } });
  }

  /** Enables or disables an endpoint; a disabled one gets no new deliveries, and its pending ones wait. */
  async setEnabled(caller: Caller | null, id: string, enabled: boolean): Promise<WebhookEndpoint> {
    assertAdmin(caller, `${enabled ? 'enable' : 'disable'} a webhook endpoint`);
    const key = requireKeyOf(id, 'WebhookEndpoint', 'id');
    const updated = (await this.dataSource.query(
      `UPDATE webhook_endpoint
          SET enabled = $2, disabled_at = CASE WHEN $2 THEN NULL ELSE now() END,
              disabled_reason = CASE WHEN $2 THEN NULL ELSE 'Disabled by an admin.' END
        WHERE id = $1 RETURNING id`,
      [key, enabled],
    )) as [{ id: number }[], number];
    if (updated[1] === 0) throw new NotFoundError('webhook endpoint', id);
    return this.endpoint(key);
  }

  /** Deletes an endpoint and its delivery log. */
  async delete(caller: Caller | null, id: string): Promise<string> {
    assertAdmin(caller, 'delete a webhook endpoint');
    const key = requireKeyOf(id, 'WebhookEndpoint', 'id');
    const deleted = (await this.dataSource.query('DELETE FROM webhook_endpoint WHERE id = $1 RETURNING id', [key])) as [
      { id: number }[],
      number,
    ];
    if (deleted[1] === 0) throw new NotFoundError('webhook endpoint', id);
    return id;
  }

  /** The delivery log, newest first: of one endpoint or all, of one status or all. */
  async deliveries(
    caller: Caller | null,
    filter: { endpointId?: string | null; status?: WebhookDeliveryStatus | null; first?: number | null },
  ): Promise<WebhookDelivery[]> {
    assertAdmin(caller, 'read the webhook delivery log');
    const first = filter.first ?? 20;
    if (first < 1 || first > MAX_DELIVERIES_PAGE) {
      throw new BadUserInputError('first', `first must be between 1 and ${MAX_DELIVERIES_PAGE}.`);
    }
    const endpointId = filter.endpointId ? requireKeyOf(filter.endpointId, 'WebhookEndpoint', 'endpointId') : null;
    return this.dataSource.getRepository(WebhookDelivery).find({
      where: { ...(endpointId === null ? {} : { endpointId }), ...(filter.status ? { status: filter.status } : {}) },
      order: { id: 'DESC' },
      take: first,
    });
  }

  /**
   * Sends a delivery again, with the same webhook-id (receivers drop what they already have), as a new round of
   * the retry schedule. Not while an attempt is under way, nor to a disabled endpoint (enable it first).
   */
  async replay(caller: Caller | null, id: string): Promise<WebhookDelivery> {
    assertAdmin(caller, 'replay a webhook delivery');
    const key = requireKeyOf(id, 'WebhookDelivery', 'id');
    const [row] = (await this.dataSource.query(
      `WITH d AS (SELECT d.id, w.enabled, d.locked_until > now() AS busy
                    FROM webhook_delivery d JOIN webhook_endpoint w ON w.id = d.endpoint_id WHERE d.id = $1),
            r AS (UPDATE webhook_delivery SET status = 'PENDING', attempts = 0, next_attempt_at = now(),
                         locked_until = NULL, delivered_at = NULL
                   WHERE id = (SELECT id FROM d WHERE enabled AND busy IS NOT TRUE) RETURNING id)
       SELECT d.enabled, d.busy, (SELECT count(*) FROM r)::int AS replayed FROM d`,
      [key],
    )) as { enabled: boolean; busy: boolean | null; replayed: number }[];
    if (!row) throw new NotFoundError('webhook delivery', id);
    if (!row.enabled) throw new ConflictError('The endpoint of this delivery is disabled; enable it first.');
    if (row.replayed !== 1) throw new ConflictError('This delivery is being sent right now; replay it afterwards.');
    return this.dataSource.getRepository(WebhookDelivery).findOneByOrFail({ id: key });
  }

  private endpoint(key: number): Promise<WebhookEndpoint> {
    return this.dataSource.getRepository(WebhookEndpoint).findOneByOrFail({ id: key });
  }
}
