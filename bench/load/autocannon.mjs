// One load run in a process of its own: autocannon against a URL with a fixed
// body and concurrency; prints the result as one JSON line.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const autocannon = createRequire(path.join(root, 'package.json'))('autocannon');
const { url, body, connections, warmup, duration } = JSON.parse(process.argv[2]);
const run = (seconds) =>
  autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration: seconds,
  });
await run(warmup);
const result = await run(duration);
process.stdout.write(
  `${JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
    requests: result.requests.total,
  })}\n`,
);
