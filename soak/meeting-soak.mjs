// npm run soak -- --minutes M [--screens N]
//
// A meeting under faults: two Obrady instances on a fresh database, a clerk's
// changes, N screens subscribed over graphql-ws (spread over both instances,
// retrying with the last sequence they saw), a dashboard's queries, and, in
// turn, a database outage and an instance kill. At the end every screen must
// have seen every logged event of the session, in order, once; memory over
// time is printed. Exits 1 if any screen missed or repeated an event.
// Everything listens on 127.0.0.1, and every loop ends with the run.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { postgresServer } from '../bench/support/postgres-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const pg = require('pg');
const { createClient } = require('graphql-ws');
const WebSocket = require('ws');
const { signToken } = require(path.join(root, 'dist/src/auth/tokens.js'));

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '2' }, screens: { type: 'string', default: '300' } },
});
const minutes = Number(values.minutes);
const screenCount = Number(values.screens);
if (!(minutes > 0 && minutes <= 600) || !Number.isInteger(screenCount) || screenCount < 1 || screenCount > 5000) {
  process.stderr.write('usage: npm run soak -- --minutes M (0 < M <= 600) [--screens N (1..5000)]\n');
  process.exit(2);
}
const durationMs = minutes * 60_000;
const faultEveryMs = Math.min(20_000, durationMs / 3);
const SECRET = randomBytes(32).toString('hex');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line) => process.stdout.write(`[soak ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
const started = Date.now();

// --- a PostgreSQL server and a fresh database on it --------------------------------------------
const server = await postgresServer({ url: process.env.DATABASE_URL, name: 'soak' });
const serverUrl = server.url;
const embedded = server.embedded;
const database = `obrady_soak_${randomBytes(4).toString('hex')}`;
const withUrl = (db) => Object.assign(new URL(serverUrl), { pathname: `/${db}` }).toString();
const admin = async (sql) => {
  const client = new pg.Client({ connectionString: withUrl(new URL(serverUrl).pathname.slice(1) || 'postgres') });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
};
await admin(`CREATE DATABASE ${database}`);
const databaseUrl = withUrl(database);
log(`database ${database}${embedded ? ' (embedded PostgreSQL)' : ''}`);

// --- instances ---------------------------------------------------------------------------------
async function startInstance(name) {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: SECRET,
      LOG_LEVEL: 'info',
      WS_MAX_SOCKETS_PER_ADDRESS: '100000',
      WS_SUBSCRIBE_RATE_LIMIT: '1000000',
      HTTP_RATE_LIMIT: '1000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let found = false;
  const url = await new Promise((resolve, reject) => {
    // Read everything the instance writes (a full pipe would stall it), but keep only its start.
    const onData = (chunk) => {
      if (found) return;
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) {
        found = true;
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      if (!found) reject(new Error(`${name} exited with ${code}: ${output}`));
    });
  });
  return {
    name,
    child,
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    killed: false,
    exited: new Promise((r) => child.once('exit', r)),
  };
}
const instances = [await startInstance('A'), await startInstance('B')];
const live = () => instances.filter((i) => !i.killed);
log(`instances ${instances.map((i) => `${i.name} ${i.url}`).join(', ')}`);

// --- the clerk ---------------------------------------------------------------------------------
const token = await signToken(new TextEncoder().encode(SECRET), {
  role: 'ADMIN',
  subject: 'soak-clerk',
  ttlSeconds: 24 * 3600,
});
let round = 0;
async function gql(query, variables, { auth = false, attempts = 40 } = {}) {
  for (let attempt = 1; ; attempt += 1) {
    const target = live()[round++ % live().length];
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = await response.json();
      if (!body.errors) return body.data;
      const code = body.errors[0]?.extensions?.code;
      if (code !== 'INTERNAL_SERVER_ERROR' || attempt >= attempts)
        throw new Error(`${code}: ${body.errors[0]?.message}`);
    } catch (error) {
      if (
        attempt >= attempts ||
        String(error.message).match(/^(BAD_USER_INPUT|CONFLICT|FORBIDDEN|NOT_FOUND|UNAUTHENTICATED)/)
      )
        throw error;
    }
    await sleep(250);
  }
}
const { bodies } = await gql('{ bodies(kind: DISTRICT_COUNCIL, districtNumber: 1) { id seats { id } } }');
const seats = bodies[0].seats.map((s) => s.id);
const { scheduleSession: session } = await gql(
  'mutation($i: ScheduleSessionInput!) { scheduleSession(input: $i) { id } }',
  {
    i: {
      bodyId: bodies[0].id,
      termNumber: 9,
      title: '[soak] Sesja pod obciążeniem',
      scheduledAt: new Date().toISOString(),
    },
  },
  { auth: true },
);
await gql('mutation($id: ID!) { openSession(id: $id) { status } }', { id: session.id }, { auth: true });

// --- the screens -------------------------------------------------------------------------------
const screens = [];
for (let n = 0; n < screenCount; n += 1) {
  const seen = [];
  const payload = {
    query:
      'subscription($s: ID!, $after: Int) { sessionEvents(sessionId: $s, after: $after) { sequence kind quorum { present } } }',
    variables: { s: session.id, after: 0 },
  };
  let pick = n;
  const client = createClient({
    url: () => {
      const targets = live();
      return targets[pick++ % targets.length].wsUrl;
    },
    webSocketImpl: WebSocket,
    retryAttempts: 1000,
    shouldRetry: () => true,
    retryWait: () => sleep(200 + Math.random() * 300),
    lazy: false,
  });
  client.subscribe(payload, {
    next: ({ data }) => {
      if (!data) return;
      seen.push(data.sessionEvents.sequence);
      payload.variables.after = data.sessionEvents.sequence;
    },
    error: () => {},
    complete: () => {},
  });
  screens.push({ client, seen });
}
log(`${screenCount} screens subscribed`);

// --- load and faults until the time is up --------------------------------------------------------
const until = started + durationMs;
let changes = 0;
let dashboards = 0;
const clerk = (async () => {
  const statuses = ['PRESENT', 'PRESENT', 'ABSENT', 'EXCUSED'];
  let items = [];
  for (let i = 0; Date.now() < until; i += 1) {
    if (i % 10 === 0) {
      const { addAgendaItem } = await gql(
        'mutation($i: AddAgendaItemInput!) { addAgendaItem(input: $i) { id } }',
        { i: { sessionId: session.id, title: `[soak] Punkt ${i / 10 + 1}` } },
        { auth: true },
      );
      items.push(addAgendaItem.id);
    } else if (i % 10 === 5 && items.length > 0) {
      const id = items.shift();
      await gql('mutation($id: ID!) { startAgendaItem(id: $id) { id } }', { id }, { auth: true }).catch(() => {});
      await gql('mutation($id: ID!) { finishAgendaItem(id: $id) { id } }', { id }, { auth: true }).catch(() => {});
      changes += 1;
    } else {
      await gql(
        'mutation($i: RecordAttendanceInput!) { recordAttendance(input: $i) { id } }',
        { i: { sessionId: session.id, seatId: seats[i % seats.length], status: statuses[i % statuses.length] } },
        { auth: true },
      );
    }
    changes += 1;
    await sleep(120);
  }
})();
const dashboard = (async () => {
  while (Date.now() < until) {
    await gql(
      'query($id: ID!) { sessions(first: 20) { totalCount nodes { title } } session(id: $id) { agenda { title status } attendance { status } quorum { present required } } }',
      { id: session.id },
    ).catch(() => {});
    dashboards += 1;
    await sleep(1000);
  }
})();
const memory = [];
const sampler = setInterval(() => {
  const row = { at: Math.round((Date.now() - started) / 1000) };
  for (const instance of instances) {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${instance.child.pid}/status`, 'utf8'))?.[1]);
      row[instance.name] = instance.killed ? null : Math.round(kb / 1024);
    } catch {
      row[instance.name] = null;
    }
  }
  memory.push(row);
}, 5000);
const faults = (async () => {
  let kind = 0;
  while (Date.now() + faultEveryMs < until) {
    await sleep(faultEveryMs);
    if (kind++ % 2 === 0) {
      log('fault: the database goes away for 2 s');
      await admin(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
      await admin(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database}' AND pid <> pg_backend_pid()`,
      );
      await sleep(2000);
      await admin(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
      log('fault over: the database is back');
    } else {
      const victim = live()[0];
      log(`fault: instance ${victim.name} is killed (SIGKILL)`);
      victim.killed = true;
      victim.child.kill('SIGKILL');
      await victim.exited;
      await sleep(2000);
      const replacement = await startInstance(`${victim.name}'`);
      instances.push(replacement);
      log(`fault over: ${replacement.name} serves at ${replacement.url}`);
    }
  }
})();
await Promise.all([clerk, dashboard, faults]);

// --- settle and check ----------------------------------------------------------------------------
const client = new pg.Client({ connectionString: databaseUrl });
await client.connect();
const sessionKey = Number(Buffer.from(session.id, 'base64url').toString().split(':')[1]);
const last = (await client.query('SELECT last_sequence FROM session WHERE id = $1', [sessionKey])).rows[0]
  .last_sequence;
await client.end();
const deadline = Date.now() + 30_000;
while (Date.now() < deadline && screens.some((s) => s.seen.length < last)) await sleep(250);
clearInterval(sampler);
let passed = 0;
const failures = [];
for (const [n, screen] of screens.entries()) {
  const ok = screen.seen.length === last && screen.seen.every((sequence, i) => sequence === i + 1);
  if (ok) passed += 1;
  else if (failures.length < 5)
    failures.push(
      `screen ${n}: ${screen.seen.length} events, first wrong at ${screen.seen.findIndex((s, i) => s !== i + 1)}`,
    );
}

log(`changes by the clerk: ${changes}, events in the log: ${last}, dashboard queries: ${dashboards}`);
log(`screens that saw every event in order, once: ${passed} of ${screenCount}`);
for (const failure of failures) log(failure);
process.stdout.write(
  '\nmemory (RSS, MB) over time\n  t(s) ' + instances.map((i) => i.name.padStart(6)).join('') + '\n',
);
for (const row of memory)
  process.stdout.write(
    `  ${String(row.at).padStart(4)} ${instances.map((i) => String(row[i.name] ?? '-').padStart(6)).join('')}\n`,
  );
const steady = memory.filter((row) => row.A != null && row.at > 10).map((row) => row.A);
if (steady.length >= 6) {
  const third = Math.floor(steady.length / 3);
  const avg = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const growth = avg(steady.slice(-third)) / avg(steady.slice(0, third));
  log(`instance A memory, last third over first third: ${growth.toFixed(2)}${growth > 1.3 ? ' — GROWING' : ' (flat)'}`);
}

// --- clean up ------------------------------------------------------------------------------------
await Promise.all(screens.map((s) => s.client.dispose()));
for (const instance of live()) {
  instance.child.kill('SIGTERM');
  await instance.exited;
}
await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
await server.stop();
process.exit(passed === screenCount ? 0 : 1);
