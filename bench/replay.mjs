// npm run bench:replay — anonymous replay of a long meeting's event log (issue 10, item 1). It sets itself up like
// bench:live: a production build, a fresh seeded database, Obrady as a child process. Then one session gets the
// issue's agenda: 20 items with 10,000-character descriptions and 500 updateAgendaItem calls. With no token, three
// loads are run against it, each from a fresh baseline: 5 concurrent `events(first: 1000) { sequence }` over HTTP
// (whitespace changed so the read cache misses), and N `sessionEvents(after: 0)` replays on a few sockets, once
// selecting `{ sequence }` and once with the agenda item's text. Meanwhile an unrelated query is sent every 100 ms.
// Measured: the log's size, the server's peak RSS over its baseline, each load's wall time, and the unrelated
// query's latency (median and worst). Writes bench/results/<date>-replay.json and .md; exits 1 if a replay was
// incomplete or out of order.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildWithDatabase,
  createLog,
  machineOf,
  require,
  resultsDir,
  rssOf,
  sleep,
  startObrady,
} from './support/setup.mjs';

const setting = (name, fallback) => Number(process.env[name] ?? fallback);
const [ITEMS, EDITS, TEXT] = [
  setting('BENCH_REPLAY_ITEMS', 20),
  setting('BENCH_REPLAY_EDITS', 500),
  setting('BENCH_REPLAY_TEXT', 10_000),
];
const [REPLAYS, SOCKETS] = [setting('BENCH_REPLAY_N', 10), setting('BENCH_REPLAY_SOCKETS', 2)];
const SESSIONS = setting('BENCH_SESSIONS', 200);
const log = createLog('replay');
const { createClient } = require('graphql-ws');
const WebSocket = require('ws');
const pg = require('pg');

const {
  secret: SECRET,
  database,
  token: clerk,
} = await buildWithDatabase({ sessions: SESSIONS, log, subject: 'bench' });
const obrady = await startObrady({
  databaseUrl: database.databaseUrl,
  env: { AUTH_SECRET: SECRET, WS_SUBSCRIBE_RATE_LIMIT: '10000000' },
});
const pid = obrady.child.pid;
// Should the bench fail before its end, the server goes with it.
process.once('exit', () => obrady.child.kill('SIGTERM'));

/** One operation over HTTP; with `token`, as the clerk. Resolves to the data and the milliseconds it took. */
async function ask(query, variables, token) {
  const started = performance.now();
  const response = await fetch(obrady.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`${body.errors[0]?.extensions?.code}: ${body.errors[0]?.message}`);
  return { data: body.data, ms: performance.now() - started };
}

// --- the issue's session ----------------------------------------------------------------------------------
const text = () => randomBytes(TEXT).toString('base64').slice(0, TEXT);
const { data: bodies } = await ask('{ bodies(kind: DISTRICT_COUNCIL) { id } }');
const { data: scheduled } = await ask(
  'mutation($i: ScheduleSessionInput!) { scheduleSession(input: $i) { id } }',
  {
    i: {
      bodyId: bodies.bodies[0].id,
      termNumber: 9,
      title: '[bench] Długa sesja',
      scheduledAt: new Date().toISOString(),
    },
  },
  clerk,
);
const sessionId = scheduled.scheduleSession.id;
log(`building the log: ${ITEMS} items of ${TEXT} characters, ${EDITS} updates`);
const items = [];
for (let i = 0; i < ITEMS; i += 1) {
  const { data } = await ask(
    'mutation($i: AddAgendaItemInput!) { addAgendaItem(input: $i) { id } }',
    { i: { sessionId, title: `[bench] Punkt ${i + 1}`, description: text() } },
    clerk,
  );
  items.push(data.addAgendaItem.id);
}
for (let i = 0; i < EDITS; i += 1) {
  await ask(
    'mutation($i: UpdateAgendaItemInput!) { updateAgendaItem(input: $i) { id } }',
    { i: { id: items[i % ITEMS], description: text() } },
    clerk,
  );
}
const events = 1 + ITEMS + EDITS;
const db = new pg.Client({ connectionString: database.databaseUrl });
await db.connect();
const [logSize] = (
  await db.query(
    `SELECT sum(octet_length(payload::text))::bigint AS json, sum(pg_column_size(payload))::bigint AS stored,
            max(octet_length(payload::text)) AS largest FROM session_event
      WHERE session_id = (SELECT session_id FROM session_event GROUP BY session_id ORDER BY count(*) DESC LIMIT 1)`,
  )
).rows;
await db.end();
log(`log: ${events} events, ${(logSize.json / 2 ** 20).toFixed(1)} MB of JSON, largest event ${logSize.largest} bytes`);

// --- the loads --------------------------------------------------------------------------------------------
/** Runs `load` while sampling RSS every 10 ms and sending an unrelated query every 100 ms. */
async function measure(name, load) {
  await sleep(1000);
  const baseline = rssOf(pid);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 10);
  const latencies = [];
  const failed = [];
  let running = true;
  const unrelated = (async () => {
    for (let i = 0; running; i += 1) {
      // A new text each time (trailing spaces), so the read cache does not answer it.
      const started = performance.now();
      try {
        await ask(`{ districts { number name } }${' '.repeat(i % 500)}`);
      } catch (error) {
        failed.push(String(error.message));
      }
      latencies.push(performance.now() - started);
      await sleep(100);
    }
  })();
  const started = performance.now();
  const outcome = await load();
  const seconds = (performance.now() - started) / 1000;
  running = false;
  await unrelated;
  clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  const result = {
    name,
    seconds,
    baselineMB: baseline / 2 ** 20,
    peakOverBaselineMB: (peak - baseline) / 2 ** 20,
    unrelatedMs: { median: latencies[Math.floor(latencies.length / 2)] ?? NaN, max: latencies.at(-1) ?? NaN },
    unrelatedFailed: failed.length,
    unrelatedErrors: failed.slice(0, 3),
    ...outcome,
  };
  log(
    `${name}: ${seconds.toFixed(2)} s, peak RSS +${result.peakOverBaselineMB.toFixed(0)} MB, other request max ${result.unrelatedMs.max.toFixed(0)} ms`,
  );
  return result;
}

async function replays(selection) {
  const query = `subscription($s: ID!) { sessionEvents(sessionId: $s, after: 0) { ${selection} } }`;
  const clients = Array.from({ length: SOCKETS }, () =>
    createClient({ url: obrady.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true }),
  );
  const received = Array.from({ length: REPLAYS }, () => []);
  const errors = [];
  await new Promise((resolve) => {
    let done = 0;
    received.forEach((sequences, i) => {
      const stop = clients[i % SOCKETS].subscribe(
        { query, variables: { s: sessionId } },
        {
          next: ({ data, errors: e }) => {
            if (e) errors.push(e[0]?.message);
            if (data) sequences.push(data.sessionEvents.sequence);
            if (sequences.length === events) {
              stop();
              if (++done === REPLAYS) resolve();
            }
          },
          error: (error) => {
            errors.push(String(error?.message ?? error?.reason ?? error));
            if (++done === REPLAYS) resolve();
          },
          complete: () => {},
        },
      );
    });
  });
  await Promise.all(clients.map((client) => client.dispose()));
  const complete = received.every((s) => s.length === events && s.every((q, i) => q === i + 1));
  return { replays: REPLAYS, sockets: SOCKETS, selection, complete, errors: errors.slice(0, 3) };
}

const results = { machine: {}, settings: { ITEMS, EDITS, TEXT, REPLAYS, SOCKETS, SESSIONS }, log: {}, loads: [] };
results.log = {
  events,
  jsonBytes: Number(logSize.json),
  storedBytes: Number(logSize.stored),
  largestEventBytes: logSize.largest,
};
try {
  results.loads.push(
    await measure('5 × events(first: 1000) { sequence }, HTTP', async () => {
      await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          ask(`query($id: ID!) { session(id: $id) { events(first: 1000) { sequence } } }${' '.repeat(i + 1)}`, {
            id: sessionId,
          }),
        ),
      );
      return { complete: true };
    }),
  );
  results.loads.push(await measure(`${REPLAYS} replays { sequence }, ${SOCKETS} sockets`, () => replays('sequence')));
  results.loads.push(
    await measure(`${REPLAYS} replays with the item's text, ${SOCKETS} sockets`, () =>
      replays('sequence kind agendaItem { id title description }'),
    ),
  );
} finally {
  await obrady.stop();
}

// --- report -----------------------------------------------------------------------------------------------
results.machine = await machineOf(database);
await database.drop();
const day = new Date().toISOString().slice(0, 10);
const mb = (bytes) => (bytes / 2 ** 20).toFixed(1);
const lines = [
  `# Replay, ${day}`,
  '',
  `Machine: ${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.memoryGiB} GiB; Node ${process.version}; PostgreSQL ${results.machine.postgres}. Server, clients and PostgreSQL share the machine.`,
  '',
  `One session: ${ITEMS} agenda items of ${TEXT} characters, then ${EDITS} updates: ${events} events, ${mb(results.log.jsonBytes)} MB of payload JSON (${mb(results.log.storedBytes)} MB as stored), the largest event ${results.log.largestEventBytes} bytes. No token for any read.`,
  '',
  '| load | wall s | peak RSS over baseline, MB | other request median / max, ms (failed) | complete |',
  '|---|---:|---:|---:|---|',
  ...results.loads.map(
    (r) =>
      `| ${r.name} | ${r.seconds.toFixed(2)} | ${r.peakOverBaselineMB.toFixed(0)} | ${r.unrelatedMs.median.toFixed(0)} / ${r.unrelatedMs.max.toFixed(0)}${r.unrelatedFailed ? ` (${r.unrelatedFailed} failed)` : ''} | ${r.complete ? 'yes' : `NO ${JSON.stringify(r.errors ?? [])}`} |`,
  ),
  '',
  'Peak RSS: the server’s VmRSS sampled every 10 ms during the load, minus its value just before. Other request: `{ districts { number name } }` with new whitespace each time (a read-cache miss), every 100 ms during the load.',
];
mkdirSync(resultsDir, { recursive: true });
writeFileSync(path.join(resultsDir, `${day}-replay.json`), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(path.join(resultsDir, `${day}-replay.md`), `${lines.join('\n')}\n`);
process.stdout.write(`${lines.join('\n')}\n`);
const incomplete = results.loads.filter((r) => !r.complete || r.unrelatedFailed > 0);
process.exit(incomplete.length > 0 ? 1 : 0);
