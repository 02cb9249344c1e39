// The floor of npm run bench:live, forked by bench/live.mjs: a bare `ws` server, no GraphQL and no database, that
// speaks just enough of graphql-transport-ws for the same graphql-ws clients as Obrady's (connection_init → ack,
// subscribe → next messages under the subscription's own id, ping → pong), and broadcasts to every subscription of a
// session the bytes a graphql-ws server would send: the payload serialised once per event, then one string per
// subscription that differs only in its id. Driven over IPC:
//   { type: 'count' }  answers { type: 'count', sockets }: subscriptions open
//   { type: 'broadcast', sessions: [{ session, after }], changes, rate, size }
//       sends `changes` events round-robin over the sessions at `rate` a second (each with the next sequence and
//       occurredAt taken just before its fan-out), `size` bytes per message; answers { type: 'broadcast-done', sent }
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { WebSocketServer } = createRequire(path.join(root, 'package.json'))('ws');

/** session → Map<socket, subscription id> */
const groups = new Map();
const server = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  backlog: 4096,
  path: '/graphql',
  handleProtocols: (protocols) => (protocols.has('graphql-transport-ws') ? 'graphql-transport-ws' : false),
});
server.on('connection', (socket) => {
  let session = null;
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString());
    if (message.type === 'connection_init') socket.send('{"type":"connection_ack"}');
    else if (message.type === 'ping') socket.send('{"type":"pong"}');
    else if (message.type === 'subscribe') {
      session = String(message.payload?.variables?.s ?? '');
      if (!groups.has(session)) groups.set(session, new Map());
      groups.get(session).set(socket, message.id);
    } else if (message.type === 'complete' && session !== null) groups.get(session)?.delete(socket);
  });
  socket.on('error', () => {});
  socket.on('close', () => session !== null && groups.get(session)?.delete(socket));
});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The payload of a `next` message, serialised, so that with an id the whole message is `size` bytes. */
function payload(sequence, size) {
  const body = { data: { sessionEvents: { sequence, occurredAt: new Date().toISOString(), padding: '' } } };
  const frame = (text, id) => `{"id":${JSON.stringify(id)},"type":"next","payload":${text}}`;
  const pad = Math.max(0, size - frame(JSON.stringify(body), '00000000-0000-4000-8000-000000000000').length);
  body.data.sessionEvents.padding = 'x'.repeat(pad);
  return JSON.stringify(body);
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
    const text = payload(sequence, size);
    for (const [socket, id] of groups.get(session) ?? []) {
      socket.send(`{"id":${JSON.stringify(id)},"type":"next","payload":${text}}`);
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
