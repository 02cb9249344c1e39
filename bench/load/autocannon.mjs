// One load run in a process of its own: autocannon against a URL with a fixed
// body and concurrency; prints the result as one JSON line. With `handshake`,
// it prints {"phase":"warm"} after the warm-up and waits for a line "go" on
// stdin (the parent reads its CPU meters then; see protocol.mjs), and the
// result says what CPU this process used in the measured run.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { autocannonFigures, report, warmedUp } from './protocol.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const autocannon = createRequire(path.join(root, 'package.json'))('autocannon');
const { url, body, connections, warmup, duration, handshake } = JSON.parse(process.argv[2]);
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
const cpuBefore = handshake ? await warmedUp() : process.cpuUsage();
report(autocannonFigures(await run(duration)), cpuBefore);
