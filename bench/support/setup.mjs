// What both halves of the bench set up the same way: a production build of Obrady, a PostgreSQL server (the one at
// 127.0.0.1:5432 when it answers, BENCH_DATABASE_SERVER, else an embedded one) with a fresh seeded database on it,
// Obrady itself as a child process, its counters from /metrics, and the clean-up of all of it.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresServer } from './postgres-server.mjs';

export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const root = path.resolve(benchDir, '..');
export const require = createRequire(path.join(root, 'package.json'));
/** Where results are written: bench/results, or BENCH_RESULTS_DIR (CI's smoke run writes elsewhere). */
export const resultsDir = path.resolve(process.env.BENCH_RESULTS_DIR ?? path.join(benchDir, 'results'));
const pg = require('pg');

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A logger to stderr with the seconds since `started`. */
export function createLog(name, started = Date.now()) {
  return (line) => process.stderr.write(`[${name} ${((Date.now() - started) / 1000).toFixed(0)}s] ${line}\n`);
}

/** The production build, dist/, with the project's own tsc. */
export function buildObrady(log) {
  log('building Obrady (tsc)');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}

/**
 * What the live benches start with: the production build, a fresh database (see freshDatabase), a new AUTH_SECRET
 * for Obrady and an admin token signed with it for a day.
 */
export async function buildWithDatabase({ sessions, log, subject }) {
  buildObrady(log);
  const { signToken } = require(path.join(root, 'dist/src/auth/tokens.js'));
  const secret = randomBytes(32).toString('hex');
  const database = await freshDatabase({ sessions, log });
  const token = await signToken(new TextEncoder().encode(secret), { role: 'ADMIN', subject, ttlSeconds: 24 * 3600 });
  return { secret, database, token };
}

/**
 * A fresh database `obrady_bench_*` with the reference data and `seed:demo --sessions N`. Returns its URL, an
 * admin client on the server, and drop() to remove the database (and stop an embedded server).
 */
export async function freshDatabase({ sessions, log }) {
  const server = await postgresServer({ url: process.env.BENCH_DATABASE_SERVER, name: 'bench' });
  const serverUrl = server.url;
  const database = `obrady_bench_${randomBytes(4).toString('hex')}`;
  const withDb = (db) => Object.assign(new URL(serverUrl), { pathname: `/${db}` }).toString();
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const databaseUrl = withDb(database);
  log(`database ${database}; seeding ${sessions} demo sessions`);
  execFileSync(process.execPath, ['dist/src/db/seed/seed-demo.main.js', '--sessions', String(sessions)], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: 'inherit',
  });
  return {
    database,
    databaseUrl,
    admin,
    embedded: server.embedded,
    async postgresVersion() {
      return (await admin.query('SHOW server_version')).rows[0].server_version + (server.embedded ? ' (embedded)' : '');
    },
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
      await server.stop();
    },
  };
}

export const freePort = () =>
  new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

// The servers still running: stopped if this process ends without stopping them (a failed check, an exception), so
// that no server outlives the bench.
const running = new Set();
process.once('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

/**
 * A child process whose output is read (a full pipe would stall it) and whose first match of `ready` (a regex with
 * one group) resolves `url`. With `fileLimit`, it runs under `ulimit -n fileLimit` (through sh, which then execs it:
 * the pid stays the child's own).
 */
export function startChild(name, command, args, env, ready, { fileLimit } = {}) {
  const [file, argv] = fileLimit
    ? ['sh', ['-c', `ulimit -n ${Number(fileLimit)} && exec "$0" "$@"`, command, ...args]]
    : [command, args];
  const child = spawn(file, argv, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  let found = false;
  const url = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      if (output.length < 1_000_000) output += chunk.toString();
      if (found) return;
      const match = ready.exec(output);
      if (match) {
        found = true;
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => !found && reject(new Error(`${name} exited with ${code}: ${output}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    name,
    child,
    url,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Obrady from dist/ in production mode, logging at warn only (no line per request on the hot path), on a free port
 * of 127.0.0.1; resolves once /readyz says it is ready. `env` adds to or overrides the defaults; `node` is the
 * binary it runs on (this script's, unless given).
 */
export async function startObrady({ databaseUrl, env = {}, fileLimit, node = process.execPath } = {}) {
  const port = await freePort();
  const server = startChild(
    'obrady',
    node,
    // BENCH_CPU_PROF=<folder>: each Obrady process writes a V8 CPU profile there when it exits
    // (summarise one with `node bench/cpuprofile-top.mjs <file>`).
    [
      ...(process.env.BENCH_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`]
        : []),
      'dist/src/main.js',
    ],
    {
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HTTP_RATE_LIMIT: '10000000',
      ...env,
    },
    /(?!)/,
    { fileLimit },
  );
  server.url.catch(() => {});
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i += 1) {
    if (i > 300) throw new Error(`Obrady did not become ready: ${server.output()}`);
    if (server.child.exitCode !== null)
      throw new Error(`Obrady exited with ${server.child.exitCode}: ${server.output()}`);
    const ready = await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await sleep(100);
  }
  return { ...server, port, base, url: `${base}/graphql`, wsUrl: `ws://127.0.0.1:${port}/graphql` };
}

/** The samples of /metrics, by name with labels, e.g. `obrady_sql_statements_total`. */
export async function metrics(base) {
  let text;
  for (let attempt = 1; ; attempt += 1) {
    try {
      text = await (await fetch(`${base}/metrics`)).text();
      break;
    } catch (error) {
      // A kept-alive connection the server closed just then: a GET can simply be sent again.
      if (attempt >= 3) throw error;
    }
  }
  const samples = {};
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (\S+)/.exec(line);
    if (match) samples[match[1]] = Number(match[2]);
  }
  return samples;
}

/** SQL statements Obrady has sent to PostgreSQL so far, from its own counter. */
export async function statements(base) {
  return (await metrics(base)).obrady_sql_statements_total ?? NaN;
}

/** A process's resident memory (VmRSS), in bytes. */
export function rssOf(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
}

/** A process's CPU time so far (user + system), in seconds. */
export function cpuSecondsOf(pid) {
  // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}
const clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** The file-descriptor limits this process (and so its children) run under: soft and hard. */
export function fileLimits() {
  const read = (flag) => {
    const value = execFileSync('sh', ['-c', `ulimit ${flag}`])
      .toString()
      .trim();
    return value === 'unlimited' ? Infinity : Number(value);
  };
  return { soft: read('-Sn'), hard: read('-Hn') };
}

/** The machine a result was measured on, for its report. */
export async function machineOf(database, extra = {}) {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: await database.postgresVersion(),
    ...extra,
    date: new Date().toISOString(),
  };
}
