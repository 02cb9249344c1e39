// npm run bench:live — live delivery: N graphql-ws screens subscribed to one session's sessionEvents while a clerk
// makes 100 changes, then 100 sessions × 100 screens, and the same sockets against the floor (a bare `ws` server
// broadcasting messages of the same size). It sets everything up itself: a production build of Obrady, a fresh
// database with the reference data and `seed:demo --sessions 2000`, Obrady with its per-address limits lifted (every
// screen comes from 127.0.0.1), and the screens in worker processes of their own (bench/live/screens.mjs). Each run
// gets a fresh Obrady (or floor) process, so that its memory is measured from the same start.
// Measured per run: every event at every screen (count, order, gaps), publish-to-receive latency (arrival minus the
// event's occurredAt), server memory per idle subscriber (RSS before the screens connect and once they are all
// subscribed), server CPU during the drive, and SQL statements per event (Obrady's own counter, minus what the same
// changes cost with no subscriber at all). Last, a vote: the Convention's 36 seats cast within one second,
// concurrently, while BENCH_LIVE_VOTE_N screens watch (delivered in order, latency as for the other events).
// Writes bench/results/<date>-live.json and .md and prints the table; exits 1 if any delivery was incomplete or out of
// order. Everything listens on 127.0.0.1.
import { fork, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildWithDatabase,
  machineOf,
  benchDir,
  cpuSecondsOf,
  createLog,
  fileLimits,
  metrics,
  require,
  rssOf,
  sleep,
  startObrady,
  statements,
  resultsDir,
} from './support/setup.mjs';
import { graphqlOrThrow } from './support/clerk.mjs';

const list = (text) =>
  text
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean)
    .map(Number);
const SCREENS = list(process.env.BENCH_LIVE_N ?? '1000,5000,10000');
const CHANGES = Number(process.env.BENCH_LIVE_CHANGES ?? 100);
const RATE = Number(process.env.BENCH_LIVE_RATE ?? 20);
// The second shape, "<sessions>x<screens per session>"; empty to skip it.
const SHAPE = /^(\d+)x(\d+)$/.exec(process.env.BENCH_LIVE_SHAPE ?? '100x100');
const SHAPE_CHANGES = Number(process.env.BENCH_LIVE_SHAPE_CHANGES ?? 1000);
const SHAPE_RATE = Number(process.env.BENCH_LIVE_SHAPE_RATE ?? 40);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 2000);
// The vote: all 36 seats of the Convention cast within one second while this many screens watch; 0 to skip it.
const VOTE_SCREENS = Number(process.env.BENCH_LIVE_VOTE_N ?? 1000);
const WORKERS = Number(process.env.BENCH_LIVE_WORKERS ?? 4);
/** Sockets each worker opens at once; it waits for the batch before the next. */
const BATCH = Number(process.env.BENCH_LIVE_BATCH ?? 100);
const log = createLog('live');
const { createClient } = require('graphql-ws');
const WebSocket = require('ws');

// What a meeting room screen shows of each change: the change, the session's status and quorum, the item or the
// record it was about.
const SCREEN_QUERY = `subscription Screen($s: ID!, $after: Int) {
  sessionEvents(sessionId: $s, after: $after) {
    sequence
    occurredAt
    kind
    status
    quorum { present required reached }
    agendaItem { id position title status startedAt endedAt }
    attendance { id label status mode capacity }
    vote { id status result counts { for against abstain notVoting } }
    speech { id status kind startedAt timeLimitSeconds }
  }
}`;

// --- file descriptors: every socket is one on each side --------------------------------------------------
const limits = fileLimits();
const largest = Math.max(0, ...SCREENS, SHAPE ? Number(SHAPE[1]) * Number(SHAPE[2]) : 0);
const needed = largest + 1024;
let fileLimit;
const notes = [];
if (limits.soft < needed) {
  if (limits.hard >= needed) {
    fileLimit = Math.min(limits.hard, Math.max(needed, 65536));
    log(`ulimit -n is ${limits.soft}; the servers and workers run under ulimit -n ${fileLimit}`);
  } else {
    const note = `ulimit -n allows ${limits.soft} (hard ${limits.hard}) open files per process, fewer than the ${needed} that ${largest} sockets need: raise it (e.g. ulimit -n 65536 as root) to run the largest runs. They are skipped.`;
    notes.push(note);
    process.stderr.write(`\n*** ${note}\n\n`);
  }
}
const fits = (sockets) => sockets + 1024 <= Math.max(limits.soft, fileLimit ?? 0);

// --- set up ----------------------------------------------------------------------------------------------
const {
  secret: SECRET,
  database,
  token,
} = await buildWithDatabase({ sessions: SESSIONS, log, subject: 'bench-clerk' });
const OBRADY_ENV = {
  AUTH_SECRET: SECRET,
  WS_MAX_SOCKETS_PER_ADDRESS: '1000000',
  WS_SUBSCRIBE_RATE_LIMIT: '10000000',
  HTTP_RATE_LIMIT: '10000000',
  WS_INIT_TIMEOUT_MS: '120000',
};

/** A child node process with an IPC channel, under the raised file limit if there is one. */
function forkNode(script) {
  const stdio = ['ignore', 'inherit', 'inherit', 'ipc'];
  const child = fileLimit
    ? spawn('sh', ['-c', `ulimit -n ${fileLimit} && exec "$0" "$@"`, process.execPath, script], { stdio })
    : fork(script, [], { stdio });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, exited };
}

/** Sends a message and resolves with the first answer of the given type. */
function ask(child, message, type, timeoutMs = 600_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`no ${type} from pid ${child.pid} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (answer) => {
      if (answer.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(answer);
    };
    child.on('message', onMessage);
    if (message) child.send(message);
  });
}

async function waitFor(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value.done) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${value.state})`);
    await sleep(200);
  }
}

// --- the clerk -------------------------------------------------------------------------------------------
// A connection of its own for each change (see support/clerk.mjs).
const graphql = (url) => graphqlOrThrow(url, token, { keepAlive: false });

// A session's changes, in order: it opens, then items are added, started and finished, and attendance is taken.
const CYCLE = ['add', 'attend', 'attend', 'start', 'attend', 'attend', 'attend', 'finish', 'attend', 'attend'];
const stepOf = (i) => (i === 0 ? 'open' : CYCLE[(i - 1) % CYCLE.length]);
const STATUSES = ['PRESENT', 'ABSENT', 'EXCUSED'];

async function change(gql, session) {
  const step = stepOf(session.step);
  session.step += 1;
  if (step === 'open') {
    await gql('mutation($id: ID!) { openSession(id: $id) { status } }', { id: session.id });
  } else if (step === 'add') {
    const { addAgendaItem } = await gql('mutation($i: AddAgendaItemInput!) { addAgendaItem(input: $i) { id } }', {
      i: { sessionId: session.id, title: `[bench] Punkt ${session.items.length + 1}`, presenter: 'Zarząd Dzielnicy' },
    });
    session.items.push(addAgendaItem.id);
  } else if (step === 'start') {
    await gql('mutation($id: ID!) { startAgendaItem(id: $id) { id } }', { id: session.items.at(-1) });
  } else if (step === 'finish') {
    await gql('mutation($id: ID!) { finishAgendaItem(id: $id) { id } }', { id: session.items.at(-1) });
  } else {
    const n = session.attended++;
    await gql('mutation($i: RecordAttendanceInput!) { recordAttendance(input: $i) { id } }', {
      i: { sessionId: session.id, seatId: session.seats[n % session.seats.length], status: STATUSES[n % 3] },
    });
  }
  return step;
}

// --- the vote: a Convention session in progress, 36 seats present, an open vote; then 36 ballots within a second ---
const OPTIONS = ['FOR', 'FOR', 'FOR', 'AGAINST', 'ABSTAIN'];

/** Schedules and opens a Convention session with every member present and a vote open; its id and seats. */
async function prepareVote(gql) {
  const { bodies: conventions } = await gql('{ bodies(kind: CONVENTION) { id seats { id countsTowardQuorum } } }');
  const convention = conventions[0];
  const seats = convention.seats.filter((seat) => seat.countsTowardQuorum).map((seat) => seat.id);
  const { scheduleSession } = await gql('mutation($i: ScheduleSessionInput!) { scheduleSession(input: $i) { id } }', {
    i: {
      bodyId: convention.id,
      termNumber: 9,
      title: '[bench] Posiedzenie Konwentu',
      scheduledAt: new Date().toISOString(),
    },
  });
  const id = scheduleSession.id;
  await gql('mutation($id: ID!) { openSession(id: $id) { status } }', { id });
  for (const seatId of seats) {
    await gql('mutation($i: RecordAttendanceInput!) { recordAttendance(input: $i) { id } }', {
      i: { sessionId: id, seatId, status: 'PRESENT' },
    });
  }
  const { addAgendaItem } = await gql('mutation($i: AddAgendaItemInput!) { addAgendaItem(input: $i) { id } }', {
    i: { sessionId: id, title: '[bench] Opinia Konwentu' },
  });
  await gql('mutation($id: ID!) { startAgendaItem(id: $id) { id } }', { id: addAgendaItem.id });
  const { openVote } = await gql('mutation($i: OpenVoteInput!) { openVote(input: $i) { id } }', {
    i: { sessionId: id, subject: '[bench] Wniosek o przyjęcie opinii' },
  });
  const { session } = await gql('query($id: ID!) { session(id: $id) { lastSequence } }', { id });
  return { id, seats, voteId: openVote.id, lastSequence: session.lastSequence };
}

/** Every seat's ballot, sent within one second without waiting for one another, then the close: seats + 1 events. */
async function castAll(gql, vote) {
  const start = Date.now();
  await Promise.all(
    vote.seats.map(async (seatId, i) => {
      const wait = start + (i * 1000) / vote.seats.length - Date.now();
      if (wait > 0) await sleep(wait);
      await gql('mutation($i: CastBallotInput!) { castBallot(input: $i) { id } }', {
        i: { voteId: vote.voteId, seatId, option: OPTIONS[i % OPTIONS.length] },
      });
    }),
  );
  await gql('mutation($id: ID!) { closeVote(id: $id) { result } }', { id: vote.voteId });
}

let bodies = null;
async function scheduleSessions(gql, count) {
  bodies ??= (await gql('{ bodies(kind: DISTRICT_COUNCIL) { id seats { id } } }')).bodies.filter(
    (b) => b.seats.length > 0,
  );
  const sessions = [];
  for (let i = 0; i < count; i += 1) {
    const body = bodies[i % bodies.length];
    const { scheduleSession } = await gql('mutation($i: ScheduleSessionInput!) { scheduleSession(input: $i) { id } }', {
      i: {
        bodyId: body.id,
        termNumber: 9,
        title: `[bench] Sesja ${i + 1}`,
        scheduledAt: new Date().toISOString(),
      },
    });
    // Scheduling is the session's first event: the screens subscribe after it.
    sessions.push({ id: scheduleSession.id, seats: body.seats.map((s) => s.id), step: 0, attended: 0, items: [] });
  }
  return sessions;
}

/** `changes` changes round-robin over the sessions, `rate` a second (start to start), one at a time. */
async function drive(gql, sessions, changes, rate, onStep) {
  const start = Date.now();
  for (let i = 0; i < changes; i += 1) {
    const wait = start + (i * 1000) / rate - Date.now();
    if (wait > 0) await sleep(wait);
    const step = await change(gql, sessions[i % sessions.length]);
    await onStep?.(step, i);
  }
}

// --- the screens -----------------------------------------------------------------------------------------
async function startScreens(url, assignments) {
  const count = Math.max(1, Math.min(WORKERS, Math.ceil(assignments.length / 500)));
  const workers = [];
  for (let w = 0; w < count; w += 1) {
    const worker = forkNode(path.join(benchDir, 'live', 'screens.mjs'));
    await ask(worker.child, null, 'ready', 30_000);
    workers.push(worker);
  }
  const started = Date.now();
  const answers = await Promise.all(
    workers.map((worker, w) =>
      ask(
        worker.child,
        {
          type: 'open',
          url,
          query: SCREEN_QUERY,
          screens: assignments.filter((_, j) => j % count === w),
          batch: BATCH,
        },
        'opened',
      ),
    ),
  );
  const connected = answers.reduce((sum, a) => sum + a.connected, 0);
  const failed = answers.reduce((sum, a) => sum + a.failed, 0);
  const errors = answers.flatMap((a) => a.errors);
  return { workers, connected, failed, errors, connectSeconds: (Date.now() - started) / 1000 };
}

async function received(workers) {
  const answers = await Promise.all(workers.map((w) => ask(w.child, { type: 'received' }, 'received', 30_000)));
  return answers.reduce((sum, a) => sum + a.events, 0);
}

async function stopScreens(workers) {
  await Promise.all(workers.map((w) => ask(w.child, { type: 'close' }, 'closed', 30_000).catch(() => {})));
  for (const worker of workers) worker.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
}

/** Checks every screen's events and merges the workers' latency histograms. */
function summarise(reports, perSession) {
  const histogram = new Map();
  let events = 0;
  let complete = 0;
  let inOrder = 0;
  const failures = [];
  const sizes = [];
  const errors = new Map();
  let screens = 0;
  for (const report of reports) {
    events += report.events;
    sizes.push(...report.sizes);
    for (const [message, count] of report.errors) errors.set(message, (errors.get(message) ?? 0) + count);
    for (const [ms, count] of report.histogram) histogram.set(ms, (histogram.get(ms) ?? 0) + count);
    for (const [session, after, count, first, last, ordered] of report.screens) {
      screens += 1;
      const expected = perSession.get(String(session)) ?? 0;
      const whole = count === expected && (expected === 0 || (first === after + 1 && last === after + expected));
      if (whole) complete += 1;
      if (ordered) inOrder += 1;
      if ((!whole || !ordered) && failures.length < 5)
        failures.push({ session, after, count, expected, first, last, inOrder: ordered });
    }
  }
  const total = [...histogram.values()].reduce((a, b) => a + b, 0);
  const sorted = [...histogram.entries()].sort((a, b) => a[0] - b[0]);
  const percentile = (p) => {
    if (total === 0) return null;
    let seen = 0;
    for (const [ms, count] of sorted) {
      seen += count;
      if (seen >= total * p) return ms;
    }
    return sorted.at(-1)[0];
  };
  return {
    screens,
    events,
    complete,
    inOrder,
    failures,
    errors: [...errors].slice(0, 10),
    latency: {
      p50: percentile(0.5),
      p95: percentile(0.95),
      p99: percentile(0.99),
      max: Math.max(...reports.map((r) => r.maxLatency)),
      min: Math.min(...reports.map((r) => r.minLatency)),
    },
    messageBytes: sizes.length ? Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length) : null,
  };
}

/** One run: fresh server, the screens connected and idle, the drive, every event accounted for. */
async function runObrady(run) {
  const obrady = await startObrady({ databaseUrl: database.databaseUrl, env: OBRADY_ENV, fileLimit });
  const gql = graphql(obrady.url);
  const gauge = async (name) => (await metrics(obrady.base))[name] ?? 0;
  const pid = obrady.child.pid;
  let screens = null;
  try {
    const [warmup, ...sessions] = await scheduleSessions(gql, run.sessions + 1);
    // Warm-up: a few screens and changes on a session of its own, so the measured run meets code already compiled.
    const warm = [];
    for (let i = 0; i < 10; i += 1) {
      const client = createClient({
        url: obrady.wsUrl,
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        onNonLazyError: () => {},
      });
      const seen = { count: 0 };
      client.subscribe(
        { query: SCREEN_QUERY, variables: { s: warmup.id, after: 1 } },
        { next: () => (seen.count += 1), error: () => {}, complete: () => {} },
      );
      warm.push({ client, seen });
    }
    await waitFor(
      'the warm-up screens',
      async () => ({ done: (await gauge('obrady_subscriptions_active')) === warm.length }),
      30_000,
    );
    await drive(gql, [warmup], 20, 50);
    await waitFor('the warm-up events', async () => ({ done: warm.every((w) => w.seen.count === 20) }), 30_000);
    await Promise.all(warm.map((w) => w.client.dispose()));
    await waitFor(
      'the warm-up screens to leave',
      async () => ({ done: (await gauge('obrady_subscriptions_active')) === 0 }),
      30_000,
    );
    await sleep(1000);
    const before = { rss: rssOf(pid), ...(await heap(obrady.base)) };

    const vote = run.vote ? await prepareVote(gql) : null;
    const watched = vote ? [{ id: vote.id }] : sessions;
    const assignments = [];
    for (let j = 0; j < run.screens; j += 1)
      assignments.push([watched[j % watched.length].id, vote ? vote.lastSequence : 1]);
    if (run.screens > 0) {
      log(`${run.name}: connecting ${run.screens} screens`);
      screens = await startScreens(obrady.wsUrl, assignments);
      if (screens.failed > 0)
        log(`${run.name}: ${screens.failed} screens failed to connect: ${JSON.stringify(screens.errors.slice(0, 3))}`);
      await waitFor(
        `${run.screens} subscriptions`,
        async () => {
          const active = await gauge('obrady_subscriptions_active');
          return { done: active === screens.connected, state: `${active} active` };
        },
        120_000,
      );
      log(`${run.name}: ${screens.connected} subscribed in ${screens.connectSeconds.toFixed(1)} s`);
    }
    await sleep(2000);
    const idle = { rss: rssOf(pid), ...(await heap(obrady.base)) };

    const steps = [];
    const statementsBefore = await statements(obrady.base);
    const cpuBefore = cpuSecondsOf(pid);
    const driveStart = Date.now();
    let last = statementsBefore;
    if (vote) await castAll(gql, vote);
    else
      await drive(gql, sessions, run.changes, run.rate, async (step) => {
        if (!run.costPerStep) return;
        const now = await statements(obrady.base);
        steps.push({ step, statements: now - last });
        last = now;
      });
    const driveEnd = Date.now();
    log(`${run.name}: ${run.changes} changes made in ${((driveEnd - driveStart) / 1000).toFixed(1)} s`);
    const expected = run.screens * (run.changes / run.sessions);
    if (screens) {
      await allReceived(screens, expected, 'every event at every screen', run.name);
    }
    const deliveredAt = Date.now();
    const cpu = cpuSecondsOf(pid) - cpuBefore;
    await sleep(500); // any read the feed still has under way
    const statementsDuring = (await statements(obrady.base)) - statementsBefore;
    const perSession = new Map(watched.map((s) => [String(s.id), run.screens > 0 ? run.changes / run.sessions : 0]));
    const summary = screens
      ? summarise(
          await Promise.all(screens.workers.map((w) => ask(w.child, { type: 'report' }, 'report', 60_000))),
          perSession,
        )
      : null;
    const result = {
      target: 'obrady',
      name: run.name,
      screens: run.screens,
      connected: screens?.connected ?? 0,
      sessions: run.sessions,
      changes: run.changes,
      rate: run.rate,
      eventsPerScreen: run.changes / run.sessions,
      expected,
      delivered: summary?.events ?? 0,
      complete: summary ? summary.complete === run.screens && summary.events === expected : true,
      inOrder: summary ? summary.inOrder === run.screens : true,
      failures: summary?.failures ?? [],
      errors: [...(screens?.errors ?? []), ...(summary?.errors ?? [])].slice(0, 10),
      latency: summary?.latency ?? null,
      messageBytes: summary?.messageBytes ?? null,
      connectSeconds: screens?.connectSeconds ?? 0,
      memory: {
        rssBefore: before.rss,
        rssIdle: idle.rss,
        heapBefore: before.heap,
        heapIdle: idle.heap,
        externalBefore: before.external,
        externalIdle: idle.external,
        rssPerScreen: run.screens > 0 ? (idle.rss - before.rss) / run.screens : null,
        heapPerScreen: run.screens > 0 ? (idle.heap - before.heap) / run.screens : null,
        externalPerScreen: run.screens > 0 ? (idle.external - before.external) / run.screens : null,
      },
      driveSeconds: (driveEnd - driveStart) / 1000,
      deliverySeconds: (deliveredAt - driveStart) / 1000,
      cpuSeconds: cpu,
      cpuCores: cpu / ((deliveredAt - driveStart) / 1000),
      statements: statementsDuring,
      statementsPerChange: statementsDuring / run.changes,
      steps: run.costPerStep ? steps : undefined,
    };
    return result;
  } finally {
    if (screens) {
      await stopScreens(screens.workers);
      await waitFor(
        'the subscriptions gauge to drop to 0',
        async () => {
          const active = await gauge('obrady_subscriptions_active');
          return { done: active === 0, state: `${active} active` };
        },
        60_000,
      ).catch((error) => log(`${run.name}: ${error.message}`));
    }
    await obrady.stop();
  }
}

async function heap(base) {
  const m = await metrics(base);
  return { heap: m.obrady_nodejs_heap_size_used_bytes ?? NaN, external: m.obrady_nodejs_external_memory_bytes ?? NaN };
}

/** Waits (up to 3 minutes) until the screens have received `expected` events in all; logs a shortfall. */
async function allReceived(screens, expected, what, name) {
  await waitFor(
    what,
    async () => {
      const events = await received(screens.workers);
      return { done: events >= expected, state: `${events} of ${expected}` };
    },
    180_000,
  ).catch((error) => log(`${name}: ${error.message}`));
}

async function runFloor(run, size) {
  const floor = forkNode(path.join(benchDir, 'live', 'ws-floor.mjs'));
  const { port } = await ask(floor.child, null, 'listening', 30_000);
  const pid = floor.child.pid;
  let screens = null;
  try {
    const sessions = Array.from({ length: run.sessions }, (_, i) => ({ session: `s${i + 1}`, after: 1 }));
    await sleep(1000);
    const before = rssOf(pid);
    const assignments = [];
    for (let j = 0; j < run.screens; j += 1) assignments.push([sessions[j % sessions.length].session, 1]);
    log(`${run.name} floor: connecting ${run.screens} sockets`);
    // The same graphql-ws clients as Obrady's, so that both sides' latencies carry the same client work.
    screens = await startScreens(`ws://127.0.0.1:${port}/graphql`, assignments);
    await waitFor(
      `${run.screens} floor sockets`,
      async () => {
        const { sockets } = await ask(floor.child, { type: 'count' }, 'count', 10_000);
        return { done: sockets === screens.connected, state: `${sockets} open` };
      },
      120_000,
    );
    await sleep(2000);
    const idle = rssOf(pid);
    const cpuBefore = cpuSecondsOf(pid);
    const driveStart = Date.now();
    await ask(
      floor.child,
      { type: 'broadcast', sessions, changes: run.changes, rate: run.rate, size },
      'broadcast-done',
    );
    const expected = run.screens * (run.changes / run.sessions);
    await allReceived(screens, expected, 'every floor message at every socket', `${run.name} floor`);
    const deliveredAt = Date.now();
    const cpu = cpuSecondsOf(pid) - cpuBefore;
    const perSession = new Map(sessions.map((s) => [s.session, run.changes / run.sessions]));
    const summary = summarise(
      await Promise.all(screens.workers.map((w) => ask(w.child, { type: 'report' }, 'report', 60_000))),
      perSession,
    );
    return {
      target: 'floor',
      name: run.name,
      screens: run.screens,
      connected: screens.connected,
      sessions: run.sessions,
      changes: run.changes,
      rate: run.rate,
      eventsPerScreen: run.changes / run.sessions,
      expected,
      delivered: summary.events,
      complete: summary.complete === run.screens && summary.events === expected,
      inOrder: summary.inOrder === run.screens,
      failures: summary.failures,
      errors: [...screens.errors, ...summary.errors].slice(0, 10),
      latency: summary.latency,
      messageBytes: size,
      connectSeconds: screens.connectSeconds,
      memory: { rssBefore: before, rssIdle: idle, rssPerScreen: (idle - before) / run.screens },
      deliverySeconds: (deliveredAt - driveStart) / 1000,
      cpuSeconds: cpu,
      cpuCores: cpu / ((deliveredAt - driveStart) / 1000),
    };
  } finally {
    if (screens) await stopScreens(screens.workers);
    floor.child.kill('SIGTERM');
    await floor.exited;
  }
}

// --- the runs --------------------------------------------------------------------------------------------
const runs = [
  { name: 'N=0', screens: 0, sessions: 1, changes: CHANGES, rate: RATE, costPerStep: true },
  ...SCREENS.map((n) => ({ name: `N=${n}`, screens: n, sessions: 1, changes: CHANGES, rate: RATE })),
];
if (SHAPE) {
  const [sessions, per] = [Number(SHAPE[1]), Number(SHAPE[2])];
  runs.push({
    name: `${sessions}×${per}`,
    screens: sessions * per,
    sessions,
    changes: SHAPE_CHANGES,
    rate: SHAPE_RATE,
  });
}
// 36 ballots and the close (37 events), the ballots sent within one second, all at once rather than one at a time.
if (VOTE_SCREENS > 0)
  runs.push({ name: `vote, N=${VOTE_SCREENS}`, screens: VOTE_SCREENS, sessions: 1, changes: 37, rate: 36, vote: true });
const results = { machine: {}, settings: {}, obrady: [], floor: [], notes };
for (const run of runs) {
  if (!fits(run.screens)) {
    log(`${run.name}: skipped, the file limit is too low`);
    results.obrady.push({ target: 'obrady', name: run.name, screens: run.screens, skipped: true });
    continue;
  }
  log(`${run.name}: ${run.screens} screens on ${run.sessions} session(s), ${run.changes} changes at ${run.rate}/s`);
  let result;
  try {
    result = await runObrady(run);
  } catch (error) {
    log(`${run.name}: failed: ${error.stack}`);
    result = { target: 'obrady', name: run.name, screens: run.screens, error: String(error.message) };
  }
  results.obrady.push(result);
  if (result.latency)
    log(
      `${run.name}: delivered ${result.delivered}/${result.expected}, in order ${result.inOrder}, p50 ${result.latency.p50} p99 ${result.latency.p99} max ${result.latency.max} ms, ${(result.memory.rssPerScreen / 1024).toFixed(1)} KB RSS per screen, ${result.cpuCores.toFixed(2)} cores, ${result.statementsPerChange.toFixed(2)} statements per change`,
    );
  else if (!result.error && !result.skipped)
    log(`${run.name}: ${result.statements} statements for ${run.changes} changes`);
}

// The mutations' own statements, step by step, from the run with no subscriber: what each drive costs without any
// delivery. A drive of c changes per session over s sessions costs s × (the first c steps).
const baseline = results.obrady.find((r) => r.name === 'N=0' && r.steps);
for (const result of results.obrady) {
  if (!baseline || result.error || result.skipped || result === baseline || result.name.startsWith('vote')) continue;
  const perSession = result.changes / result.sessions;
  const mutations =
    result.sessions * baseline.steps.slice(0, perSession).reduce((sum, step) => sum + step.statements, 0);
  result.mutationStatements = mutations;
  result.deliveryStatementsPerEvent = (result.statements - mutations) / result.changes;
}

const sized =
  results.obrady.find((r) => r.messageBytes && r.sessions === 1) ?? results.obrady.find((r) => r.messageBytes);
const size = sized?.messageBytes ?? 400;
results.settings = {
  screenCounts: SCREENS,
  changes: CHANGES,
  rate: RATE,
  shape: SHAPE ? SHAPE[0] : null,
  shapeChanges: SHAPE_CHANGES,
  shapeRate: SHAPE_RATE,
  voteScreens: VOTE_SCREENS,
  workers: WORKERS,
  batch: BATCH,
  floorMessageBytes: size,
  fileLimits: { soft: limits.soft, hard: limits.hard, used: fileLimit ?? limits.soft },
  query: SCREEN_QUERY,
};
for (const run of runs.filter((r) => r.screens > 0)) {
  if (!fits(run.screens)) continue;
  log(`${run.name} floor: ${run.screens} sockets, ${run.changes} messages of ${size} bytes at ${run.rate}/s`);
  let result;
  try {
    result = await runFloor(run, size);
  } catch (error) {
    log(`${run.name} floor: failed: ${error.stack}`);
    result = { target: 'floor', name: run.name, screens: run.screens, error: String(error.message) };
  }
  results.floor.push(result);
  if (result.latency)
    log(
      `${run.name} floor: delivered ${result.delivered}/${result.expected}, p50 ${result.latency.p50} p99 ${result.latency.p99} ms, ${(result.memory.rssPerScreen / 1024).toFixed(1)} KB RSS per socket`,
    );
}
for (const result of results.obrady) {
  const floor = results.floor.find((f) => f.name === result.name);
  if (!floor?.latency || !result.latency) continue;
  result.overFloor = {
    p99: result.latency.p99 / Math.max(1, floor.latency.p99),
    memory: result.memory.rssPerScreen / floor.memory.rssPerScreen,
  };
}

// --- report ----------------------------------------------------------------------------------------------
results.machine = await machineOf(database, { sessions: SESSIONS });
const day = new Date().toISOString().slice(0, 10);
const kb = (bytes) => (bytes == null || Number.isNaN(bytes) ? '–' : (bytes / 1024).toFixed(1));
const fixed = (value, digits = 2) => (value == null || Number.isNaN(value) ? '–' : value.toFixed(digits));
const lines = [
  `# Live, ${day}`,
  '',
  `Machine: ${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.memoryGiB} GiB; Node ${process.version}; PostgreSQL ${results.machine.postgres}; ${SESSIONS} demo sessions. Server, screens (worker processes), PostgreSQL and the driver share the machine.`,
  '',
  `One session: ${CHANGES} changes at ${RATE}/s, one at a time. ${SHAPE ? `${SHAPE[1]} sessions × ${SHAPE[2]} screens: ${SHAPE_CHANGES} changes round-robin at ${SHAPE_RATE}/s.` : ''} ${VOTE_SCREENS > 0 ? `Vote: a Convention session with its 36 members present and an open vote; all 36 ballots sent within one second, concurrently, then the close (37 events), while ${VOTE_SCREENS} screens watch.` : ''} Floor messages: ${size} bytes, as Obrady's.`,
  '',
  '| run | server | screens | delivered | in order | p50 | p95 | p99 | max | KB/screen (RSS) | KB/screen (heap) | CPU (cores) | SQL/change | SQL/event for delivery | p99 ×floor | memory ×floor |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
for (const r of [...results.obrady, ...results.floor]) {
  if (r.skipped || r.error) {
    lines.push(
      `| ${r.name} | ${r.target} | ${r.screens} | ${r.skipped ? 'skipped (file limit)' : `failed: ${r.error}`} |`,
    );
    continue;
  }
  const delivered = r.screens > 0 ? `${r.delivered}/${r.expected}` : '–';
  lines.push(
    `| ${r.name} | ${r.target === 'obrady' ? 'Obrady' : 'floor'} | ${r.screens} | ${delivered} | ${r.screens > 0 ? (r.inOrder ? 'yes' : 'NO') : '–'} | ${r.latency?.p50 ?? '–'} | ${r.latency?.p95 ?? '–'} | ${r.latency?.p99 ?? '–'} | ${r.latency?.max ?? '–'} | ${kb(r.memory?.rssPerScreen)} | ${kb(r.memory?.heapPerScreen)} | ${fixed(r.cpuCores)} | ${fixed(r.statementsPerChange)} | ${fixed(r.deliveryStatementsPerEvent)} | ${fixed(r.overFloor?.p99)} | ${fixed(r.overFloor?.memory)} |`,
  );
}
lines.push(
  '',
  'Latencies in ms, from the event’s occurredAt (written by PostgreSQL in the change’s transaction; for the floor, just before the fan-out) to its arrival at the screen. KB/screen: server memory once every screen is subscribed and idle, minus before any connected, per screen. CPU: server CPU time from the first change to the last event received, over that wall time. SQL/change: all statements during the drive per change; SQL/event for delivery: the same minus what the changes cost with no subscriber (N=0), per event.',
);
if (notes.length) lines.push('', ...notes.map((n) => `Note: ${n}`));
mkdirSync(resultsDir, { recursive: true });
writeFileSync(path.join(resultsDir, `${day}-live.json`), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(path.join(resultsDir, `${day}-live.md`), `${lines.join('\n')}\n`);
process.stdout.write(`${lines.join('\n')}\n`);

// --- clean up --------------------------------------------------------------------------------------------
await database.drop();
const incomplete = [...results.obrady, ...results.floor].filter(
  (r) => r.error || (r.screens > 0 && !r.skipped && !(r.complete && r.inOrder)),
);
for (const r of incomplete)
  log(`${r.target} ${r.name}: INCOMPLETE OR OUT OF ORDER ${JSON.stringify(r.failures ?? r.error)}`);
log('done');
process.exit(incomplete.length > 0 ? 1 : 0);
