import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';
import type { MetricsSettings } from '../../config';
import { clientAddress } from '../../security/client-address';
import { RateLimiter } from '../../security/rate-limiter';
import type { Metrics } from '../../observability/metrics';

/**
 * GET /metrics, for the scrapers the operator names (METRICS_ALLOW) at a bounded
 * rate (METRICS_RATE_LIMIT per address). The text tells a reader how the API is
 * used and costs CPU to write, so it is not for everyone who can reach the port.
 */
export class MetricsEndpoint {
  private readonly allowed = new net.BlockList();
  private readonly rate: RateLimiter;

  constructor(
    private readonly metrics: Metrics,
    settings: MetricsSettings,
    private readonly trustProxy: boolean,
  ) {
    for (const entry of settings.allow) {
      const [address = '', prefix] = entry.split('/');
      const family = net.isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.allowed.addAddress(address, family);
      else this.allowed.addSubnet(address, Number(prefix), family);
    }
    // In memory: each instance is scraped on its own, so each counts its own scrapes.
    this.rate = new RateLimiter('metrics', settings.ratePerMinute);
  }

  /** Answers a request for /metrics: 403, 429 with Retry-After, or the text. */
  serve(req: IncomingMessage, res: ServerResponse): void {
    const address = clientAddress(req, this.trustProxy);
    if (!this.allows(address)) {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('Forbidden: this address may not read /metrics (see METRICS_ALLOW).\n');
      return;
    }
    void this.rate
      .take(address)
      .then(async (verdict) => {
        if (!verdict.allowed) {
          res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': String(verdict.retryAfterSeconds) });
          res.end('Too many scrapes from this address; retry later (see METRICS_RATE_LIMIT).\n');
          return;
        }
        const text = await this.metrics.registry.metrics();
        res.writeHead(200, { 'content-type': this.metrics.registry.contentType });
        res.end(text);
      })
      .catch(() => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('The metrics could not be collected.\n');
      });
  }

  private allows(address: string): boolean {
    const family = net.isIP(address);
    // BlockList also matches an IPv4-mapped IPv6 address (::ffff:127.0.0.1) against IPv4 ranges.
    return family !== 0 && this.allowed.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}
