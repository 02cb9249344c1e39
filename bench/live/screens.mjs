// A worker process of npm run bench:live, forked by bench/live.mjs: it holds a share of the screens (sockets) and
// records, for every event each one receives, its sequence and how long after `occurredAt` it arrived. Driven over
// IPC by the parent:
//   { type: 'open', url, query, screens: [[session, after], ...], batch }
//       opens the sockets `batch` at a time (each batch connected before the next), graphql-ws clients subscribed to
//       sessionEvents(sessionId: session, after) with the variables { s: session, after }, on Obrady or on the
//       floor (which speaks enough graphql-transport-ws for them); answers
//       { type: 'opened', connected, failed, errors }
//   { type: 'received' }  answers { type: 'received', events }: events received so far, all screens together
//   { type: 'report' }    answers { type: 'report', screens: [[count, first, last, inOrder], ...], histogram, ... }
//   { type: 'close' }     resets every socket (RST) and answers { type: 'closed' }
// The parent then ends it with SIGTERM.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(root, 'package.json'));
const { createClient } = require('graphql-ws');
const WebSocket = require('ws');

/** Every socket this worker opens, so that closing can reset them (RST): no TIME_WAIT is left to hold the
 * ephemeral ports of 127.0.0.1, which the next run's sockets need. */
const sockets = new Set();
class TrackedWebSocket extends WebSocket {
  constructor(...args) {
    super(...args);
    sockets.add(this);
  }
}

/** Latencies in whole milliseconds, one bucket each up to a minute; later ones in the last bucket. */
const LIMIT_MS = 60_000;
const histogram = new Uint32Array(LIMIT_MS + 1);
let minLatency = Infinity;
let maxLatency = -Infinity;
let events = 0;
/** Sizes (bytes) of the first `next` messages one screen received, to size the floor's messages like Obrady's. */
const sizes = [];
const screens = [];
const errors = new Map();

function noteError(message) {
  const key = String(message).slice(0, 200);
  errors.set(key, (errors.get(key) ?? 0) + 1);
}

function receive(screen, event) {
  const latency = Date.now() - Date.parse(event.occurredAt);
  minLatency = Math.min(minLatency, latency);
  maxLatency = Math.max(maxLatency, latency);
  histogram[Math.min(LIMIT_MS, Math.max(0, Math.round(latency)))] += 1;
  events += 1;
  if (screen.count === 0) screen.first = event.sequence;
  else if (event.sequence !== screen.last + 1) screen.inOrder = false;
  if (screen.count === 0 && event.sequence !== screen.after + 1) screen.inOrder = false;
  screen.count += 1;
  screen.last = event.sequence;
}

function openGraphql(url, query, screen, measure) {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (ok, why) => {
      if (settled) return;
      settled = true;
      if (!ok) noteError(why);
      resolve(ok);
    };
    const client = createClient({
      url,
      webSocketImpl: TrackedWebSocket,
      lazy: false,
      retryAttempts: 0,
      // The screens never ping: an idle socket costs the server nothing but its memory.
      keepAlive: 0,
      onNonLazyError: () => {}, // counted through on.closed and on.error instead of printed
      on: {
        connected: () => settle(true),
        closed: (event) => {
          if (!settled) settle(false, `closed before ack: ${event?.code} ${event?.reason}`);
          else if (!screen.closing) noteError(`closed: ${event?.code} ${event?.reason}`);
        },
        error: (error) => settle(false, `error: ${error?.message ?? error}`),
        message: measure
          ? (message) => {
              if (message.type === 'next' && sizes.length < 200) sizes.push(Buffer.byteLength(JSON.stringify(message)));
            }
          : undefined,
      },
    });
    client.subscribe(
      { query, variables: { s: screen.session, after: screen.after } },
      {
        next: (result) => {
          if (result.errors) noteError(`next with errors: ${JSON.stringify(result.errors).slice(0, 150)}`);
          else receive(screen, result.data.sessionEvents);
        },
        error: (error) => noteError(`subscription error: ${JSON.stringify(error).slice(0, 150)}`),
        complete: () => {},
      },
    );
  });
}

async function open({ url, query, screens: wanted, batch }) {
  let connected = 0;
  let failed = 0;
  for (let i = 0; i < wanted.length; i += batch) {
    const opened = await Promise.all(
      wanted.slice(i, i + batch).map(([session, after], j) => {
        const screen = { session, after, count: 0, first: null, last: null, inOrder: true, closing: false };
        screens.push(screen);
        return openGraphql(url, query, screen, i + j === 0);
      }),
    );
    connected += opened.filter(Boolean).length;
    failed += opened.filter((ok) => !ok).length;
  }
  return { connected, failed };
}

process.on('message', async (message) => {
  if (message.type === 'open') {
    const { connected, failed } = await open(message);
    process.send({ type: 'opened', connected, failed, errors: [...errors] });
  } else if (message.type === 'received') {
    process.send({ type: 'received', events });
  } else if (message.type === 'report') {
    const sparse = [];
    for (let ms = 0; ms <= LIMIT_MS; ms += 1) if (histogram[ms] > 0) sparse.push([ms, histogram[ms]]);
    process.send({
      type: 'report',
      events,
      screens: screens.map((s) => [s.session, s.after, s.count, s.first, s.last, s.inOrder]),
      histogram: sparse,
      minLatency,
      maxLatency,
      sizes,
      errors: [...errors],
    });
  } else if (message.type === 'close') {
    for (const screen of screens) screen.closing = true;
    for (const socket of sockets) socket._socket?.resetAndDestroy();
    process.send({ type: 'closed' });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready' });
