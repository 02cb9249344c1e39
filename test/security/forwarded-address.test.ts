import { DistrictsDocument } from '../generated/graphql';
import { post, startTestServer } from '../support';
import type { TestServer } from '../support';

/**
 * Behind a trusted proxy the client's address is the one the proxy wrote,
 * the last of X-Forwarded-For: the entries before it are the client's to
 * choose, and a client choosing a new one per request would escape every
 * per-address limit.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { TRUST_PROXY: 'true', HTTP_RATE_LIMIT: '3' } });
});
afterAll(() => server?.stop());

it('limits a client that invents a new first X-Forwarded-For entry for every request', async () => {
  const statuses: number[] = [];
  for (let i = 1; i <= 5; i += 1) {
    const result = await post(server.url, DistrictsDocument, {}, { 'x-forwarded-for': `10.9.9.${i}, 198.51.100.7` });
    statuses.push(result.status);
  }
  expect(statuses).toEqual([200, 200, 200, 429, 429]);
});

it('counts clients the proxy tells apart separately', async () => {
  const other = await post(server.url, DistrictsDocument, {}, { 'x-forwarded-for': '198.51.100.8' });
  expect(other.status).toBe(200);
});
