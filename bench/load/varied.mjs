// One load run in a process of its own, for the bench's newer parts: autocannon against a URL at a concurrency, with
// either one fixed body or a new body for every request, drawn by a seeded generator from one of the shapes of
// bench/queries/computed.mjs (so no two requests are alike). The parent drives it over stdin/stdout, one JSON line
// each way: after the warm-up it prints {"phase":"warm"} and waits for a line "go" (the parent reads its meters
// then), then prints the measured run's result, with the answers that carried GraphQL errors and this process's own
// CPU time over the measured run.
import { createRequire } from 'node:module';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bodyOf, random } from '../queries/computed.mjs';
import { autocannonFigures, report, warmedUp } from './protocol.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const autocannon = createRequire(path.join(root, 'package.json'))('autocannon');
const spec = JSON.parse(process.argv[2]);
const { url, connections, warmup, duration, headers = {}, body, generator } = spec;

let n = 0;
let graphqlErrors = 0;
let firstError = null;
const distinct = new Set();
let next;
if (generator) {
  const pools = JSON.parse(readFileSync(generator.poolsFile, 'utf8'));
  const rng = random(generator.seed);
  next = () => {
    n += 1;
    // The run's seed in the request number too: a body of an earlier run (the cache still holds its answer) never
    // comes again.
    const text = bodyOf(generator.shape, generator.target, rng, pools, `${generator.seed}:${n}`);
    // The body without its request number: the distinct answers asked for.
    distinct.add(text.slice(0, text.lastIndexOf(',"n":')));
    return text;
  };
}
const onResponse = (status, text) => {
  if (text && text.includes('"errors":[')) {
    graphqlErrors += 1;
    firstError ??= text.slice(0, 300);
  }
};
const requests = [
  {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    ...(next ? { setupRequest: (request) => ({ ...request, body: next() }) } : { body }),
    onResponse,
  },
];
const run = (seconds) => autocannon({ url, connections, duration: seconds, requests });

let warmupRequests = 0;
if (warmup > 0) warmupRequests = (await run(warmup)).requests.total;
const measuredFrom = n;
graphqlErrors = 0;
distinct.clear();
const cpuBefore = await warmedUp();
const result = await run(duration);
report(
  {
    ...autocannonFigures(result),
    graphqlErrors,
    firstError,
    warmupRequests,
    bodies: next ? n - measuredFrom : null,
    distinctAnswers: next ? distinct.size : null,
  },
  cpuBefore,
);
