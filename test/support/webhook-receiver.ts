import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One POST a receiver got: the Standard Webhooks headers, the body, and whether its signature verified. */
export interface ReceivedWebhook {
  readonly id: string;
  readonly timestamp: string;
  readonly signature: string;
  readonly body: string;
  /** The payload as the library's verify() returned it; null when it threw (bad signature or stale timestamp). */
  readonly verified: unknown;
  /** What the receiver answered. */
  readonly status: number;
  /** When it arrived (ms since the epoch, this process's clock). */
  readonly at: number;
}

export interface WebhookReceiver {
  /** http://127.0.0.1:port/hooks: plain HTTP on loopback, allowed only with WEBHOOKS_ALLOW_PRIVATE=true. */
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** The secret to verify with (createWebhookEndpoint's payload gives it). */
  secret: string | null;
  /** What to answer to the nth request (from 1) and the webhook-id: 200 unless set. */
  answer: (n: number, id: string) => number;
  /** The Location of a 3xx answer. */
  redirectTo: string | null;
  /** The bodies of the requests answered 2xx, parsed, in the order they came. */
  accepted(): { id: string; payload: { type: string; timestamp: string; data: Record<string, unknown> } }[];
  close(): Promise<void>;
}

/**
 * A receiver of webhooks on loopback, as a developer would write one: it verifies every request with the
 * `standardwebhooks` library and the endpoint's secret, and answers what the test tells it to.
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver: WebhookReceiver = {
    url: '',
    received: [],
    secret: null,
    answer: () => 200,
    redirectTo: null,
    accepted() {
      return this.received
        .filter((entry) => entry.status >= 200 && entry.status < 300)
        .map((entry) => ({ id: entry.id, payload: JSON.parse(entry.body) as never }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = {
        'webhook-id': String(req.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
      };
      let verified: unknown = null;
      try {
        verified = receiver.secret ? new Webhook(receiver.secret).verify(body, headers) : null;
      } catch {
        verified = null;
      }
      const status = receiver.answer(receiver.received.length + 1, headers['webhook-id']);
      receiver.received.push({
        id: headers['webhook-id'],
        timestamp: headers['webhook-timestamp'],
        signature: headers['webhook-signature'],
        body,
        verified,
        status,
        at: Date.now(),
      });
      res.writeHead(status, {
        'content-type': 'text/plain',
        ...(status >= 300 && status < 400 && receiver.redirectTo ? { location: receiver.redirectTo } : {}),
      });
      res.end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, { url: `http://127.0.0.1:${port}/hooks` });
}
