import { Writable } from 'node:stream';
import pino from 'pino';
import { DistrictsDocument } from './generated/graphql';
import { post, query, startTestServer } from './support';
import type { TestServer } from './support';

/** One structured line per request: its id, operation, duration and outcome. */
const lines: Record<string, unknown>[] = [];
let server: TestServer;
beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  server = await startTestServer({ log: pino({ level: 'info' }, sink) });
});
afterAll(() => server?.stop());

it('logs each request once with its id, operation, duration and outcome', async () => {
  lines.length = 0;
  await query(server.url, DistrictsDocument);
  await post(server.url, DistrictsDocument, undefined, { authorization: 'Bearer not-a-token' });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const requests = lines.filter((line) => line.msg === 'graphql request');
  expect(requests).toHaveLength(2);
  expect(requests[0]).toMatchObject({ operation: 'Districts', outcome: 'ok' });
  expect(typeof requests[0]!.requestId).toBe('string');
  expect(typeof requests[0]!.ms).toBe('number');
  expect(requests[1]).toMatchObject({ outcome: 'error', codes: ['UNAUTHENTICATED'] });
  expect(requests[0]!.requestId).not.toBe(requests[1]!.requestId);
  expect(JSON.stringify(lines)).not.toContain('not-a-token');
});

it('logs a long operation name cut to a bound, with a marker', async () => {
  lines.length = 0;
  const name = `Q${'a'.repeat(20_000)}`;
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `query ${name} { __typename }` }),
  });
  expect(response.status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const [request] = lines.filter((line) => line.msg === 'graphql request');
  const logged = String(request!.operation);
  expect(logged.length).toBeLessThan(200);
  expect(logged.startsWith(name.slice(0, 64))).toBe(true);
  expect(logged).toMatch(/…\[\+\d+ characters\]$/);
});
