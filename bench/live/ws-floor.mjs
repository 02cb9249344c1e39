// The floor of npm run bench:live: a bare `ws` WebSocketServer, no GraphQL, no database. A socket joins a session
// by its URL (/?s=<session>); on the parent's word it broadcasts messages shaped and sized like Obrady's `next`
// messages of sessionEvents (a sequence per session and `occurredAt` set just before the fan-out), to every socket
// of the session, at the driver's pace. Driven over IPC by bench/live.mjs:
//   { type: 'count' }  answers { type: 'count', sockets }
//   { type: 'broadcast', sessions: [session, ...], changes, rate, size }
//       sends `changes` messages, round-robin over `sessions`, `rate` a second, each `size` bytes; answers
//       { type: 'broadcast-done', sent } when the last one is handed to every socket.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { WebSocketServer } = createRequire(path.join(root, 'package.json'))('ws');

const groups = new Map();
const server = new WebSocketServer({ host: '127.0.0.1', port: 0, backlog: 4096 });
server.on('connection', (socket, request) => {
  const session = new URL(request.url, 'http://floor').searchParams.get('s') ?? '';
  if (!groups.has(session)) groups.set(session, new Set());
  groups.get(session).add(socket);
  socket.on('error', () => {});
  socket.on('close', () => groups.get(session)?.delete(socket));
});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A `next` message of `size` bytes (ASCII), as graphql-ws would send it, carrying sequence and occurredAt. */
function message(sequence, size) {
  const base = {
    id: '00000000-0000-4000-8000-000000000000',
    type: 'next',
    payload: { data: { sessionEvents: { sequence, occurredAt: new Date().toISOString(), padding: '' } } },
  };
  const pad = Math.max(0, size - JSON.stringify(base).length);
  base.payload.data.sessionEvents.padding = 'x'.repeat(pad);
  return JSON.stringify(base);
}

async function broadcast({ sessions, changes, rate, size }) {
  const sequences = new Map(sessions.map((s) => [String(s.session), s.after]));
  const interval = 1000 / rate;
  const start = Date.now();
  let sent = 0;
  for (let i = 0; i < changes; i += 1) {
    const wait = start + i * interval - Date.now();
    if (wait > 0) await sleep(wait);
    const session = String(sessions[i % sessions.length].session);
    const sequence = sequences.get(session) + 1;
    sequences.set(session, sequence);
    const text = message(sequence, size);
    for (const socket of groups.get(session) ?? []) {
      socket.send(text);
      sent += 1;
    }
  }
  return sent;
}

server.on('listening', () => {
  process.on('message', async (request) => {
    if (request.type === 'count') {
      let sockets = 0;
      for (const group of groups.values()) sockets += group.size;
      process.send({ type: 'count', sockets });
    } else if (request.type === 'broadcast') {
      process.send({ type: 'broadcast-done', sent: await broadcast(request) });
    }
  });
  process.send({ type: 'listening', port: server.address().port });
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
