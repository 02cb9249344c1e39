import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import net from 'node:net';
import { Webhook } from 'standardwebhooks';
import { hostOf, isPublicAddress } from './webhook-address.rules';

/** What one attempt came to: the receiver's status, or why there was none. */
export interface AttemptResult {
  readonly statusCode: number | null;
  readonly error: string | null;
}

/** The bytes of a receiver's answer read at most (then dropped): we need its status only. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** Refused before connecting: the endpoint's host is, or resolves to, an address a webhook may not reach. */
class RefusedAddress extends Error {
  constructor(address: string) {
    super(`refused: ${address} is a private, loopback, link-local or reserved address`);
  }
}

/**
 * dns.lookup with every address it returns checked, at the moment of connecting: the connection goes to the
 * address that was checked, so a name that resolves to a public address when registered and to 127.0.0.1 later
 * (DNS rebinding) is refused then.
 */
function checkedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refused = allowPrivate ? undefined : addresses.find((entry) => !isPublicAddress(entry.address));
      if (refused) return callback(new RefusedAddress(refused.address), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new Error(`no address for ${hostname}`), '', 0);
      return callback(null, first.address, first.family);
    });
  };
}

/**
 * Sends one signed delivery, as Standard Webhooks 1.0 says: POST of the JSON payload with `webhook-id`,
 * `webhook-timestamp` (of this attempt, in seconds) and `webhook-signature` (v1, HMAC-SHA256 by the
 * `standardwebhooks` library). Redirects are not followed (a 3xx is a failure): a redirect could point anywhere.
 */
export async function sendWebhook(
  target: { readonly url: string; readonly secret: string },
  message: { readonly id: string; readonly body: string },
  options: { readonly timeoutMs: number; readonly allowPrivate: boolean; readonly signal?: AbortSignal },
): Promise<AttemptResult> {
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    return { statusCode: null, error: 'the URL is not valid' };
  }
  const host = hostOf(url);
  if (!options.allowPrivate && net.isIP(host) !== 0 && !isPublicAddress(host)) {
    return { statusCode: null, error: new RefusedAddress(host).message };
  }
  if (url.protocol !== 'https:' && !(options.allowPrivate && url.protocol === 'http:')) {
    return { statusCode: null, error: 'refused: only https:// endpoints are sent to' };
  }
  const timestamp = new Date();
  const signature = new Webhook(target.secret).sign(message.id, timestamp, message.body);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<AttemptResult>((resolve) => {
    const request = transport.request(
      url,
      {
        method: 'POST',
        lookup: checkedLookup(options.allowPrivate),
        timeout: options.timeoutMs,
        signal: options.signal,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(message.body),
          'user-agent': 'Obrady-Webhooks/1.0',
          'webhook-id': message.id,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signature,
        },
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) response.destroy();
        });
        const done = (): void => resolve({ statusCode: response.statusCode ?? null, error: null });
        response.once('end', done);
        response.once('close', done);
      },
    );
    // The whole attempt, connecting included, has WEBHOOKS_TIMEOUT_MS.
    const timer = setTimeout(
      () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    request.once('close', () => clearTimeout(timer));
    request.once('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.once('error', (error) => resolve({ statusCode: null, error: error.message.slice(0, 300) }));
    request.end(message.body);
  });
}
