import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { send, startTestServer } from './support';
import type { TestServer } from './support';

/** What clients send must not grow /metrics, and /metrics answers only whom the operator names. */

function baseOf(server: TestServer): string {
  return server.url.replace(/\/graphql$/, '');
}

/** The operation labels of obrady_graphql_requests_total. */
function operationLabels(text: string): Set<string> {
  const labels = new Set<string>();
  for (const match of text.matchAll(/^obrady_graphql_requests_total\{operation="([^"]*)"/gm)) labels.add(match[1]!);
  return labels;
}

/** Runs `check` against a server of its own, configured by `env`, and stops it. */
async function withServer(env: Record<string, string>, check: (server: TestServer) => Promise<void>): Promise<void> {
  const server = await startTestServer({ env });
  try {
    await check(server);
  } finally {
    await server.stop();
  }
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('the operation label', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { METRICS_MAX_OPERATIONS: '50' } });
  });
  afterAll(() => server?.stop());

  it('keeps /metrics bounded under a flood of long, random operation names', async () => {
    // 120 names of 10,000 hex characters each, then 100 short distinct ones: past the cap of 50.
    for (let i = 0; i < 120; i += 1) {
      expect(
        (await send(server.url, { query: `query Q${randomBytes(5000).toString('hex')} { __typename }` })).status,
      ).toBe(200);
    }
    for (let i = 0; i < 100; i += 1)
      expect((await send(server.url, { query: `query Short${i} { __typename }` })).status).toBe(200);

    const text = await (await fetch(`${baseOf(server)}/metrics`)).text();
    expect(text.length).toBeLessThan(500_000);
    const labels = operationLabels(text);
    expect(labels.has('other')).toBe(true);
    // At most the cap of distinct names, plus "other".
    expect(labels.size).toBeLessThanOrEqual(51);
    for (const label of labels) expect(label).toMatch(/^[A-Za-z0-9_]{1,64}$/);
    // The first names seen keep their own label; the long ones never get one.
    expect(labels.has('Short0')).toBe(true);
    expect(labels.has('Short99')).toBe(false);
  });
});

describe('who may scrape', () => {
  it('refuses an address outside METRICS_ALLOW with 403', async () => {
    await withServer({ METRICS_ALLOW: '10.0.0.0/8, 192.0.2.7' }, async (server) => {
      const refused = await fetch(`${baseOf(server)}/metrics`);
      expect(refused.status).toBe(403);
      expect(await refused.text()).not.toContain('obrady_');
      // The rest of the server does not care.
      expect((await fetch(`${baseOf(server)}/healthz`)).status).toBe(200);
    });
  });

  it('behind a trusted proxy, judges the address the proxy wrote, not one the client claims', async () => {
    await withServer({ TRUST_PROXY: 'true' }, async (server) => {
      const spoofed = await fetch(`${baseOf(server)}/metrics`, {
        headers: { 'x-forwarded-for': '127.0.0.1, 203.0.113.9' },
      });
      expect(spoofed.status).toBe(403);
      expect((await fetch(`${baseOf(server)}/metrics`)).status).toBe(200);
    });
  });

  it('answers 429 with Retry-After past METRICS_RATE_LIMIT scrapes a minute', async () => {
    await withServer({ METRICS_RATE_LIMIT: '3' }, async (server) => {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i += 1) {
        const response = await fetch(`${baseOf(server)}/metrics`);
        await response.arrayBuffer();
        statuses.push(response.status);
        if (response.status === 429) retryAfter = response.headers.get('retry-after');
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    });
  });

  it('serves /metrics on METRICS_PORT only, when it is set', async () => {
    const metricsPort = await freePort();
    await withServer({ METRICS_PORT: String(metricsPort) }, async (server) => {
      expect((await fetch(`${baseOf(server)}/metrics`)).status).toBe(404);
      const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('obrady_websocket_connections');
      expect((await fetch(`http://127.0.0.1:${metricsPort}/graphql`)).status).toBe(404);
    });
    // Stopping the server closes the metrics listener too.
    await expect(fetch(`http://127.0.0.1:${metricsPort}/metrics`)).rejects.toThrow();
  });
});
