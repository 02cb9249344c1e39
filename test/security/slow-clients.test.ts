import net from 'node:net';
import { RawSocket, startTestServer } from '../support';
import type { TestServer } from '../support';

/**
 * Clients that hold a connection open by sending slowly (slowloris) are cut
 * at the configured timeouts; WebSockets, once upgraded, are not.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    env: { HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '1500', HTTP_KEEP_ALIVE_TIMEOUT_MS: '500' },
  });
});
afterAll(() => server?.stop());

/**
 * Over a raw TCP connection, writes `first`, then `lines` one every `everyMs` while the
 * connection stays open; says whether the server closed it first, and what it answered.
 */
async function sendSlowly(first: string, lines: string[], everyMs: number): Promise<{ cut: boolean; answer: string }> {
  const socket = net.connect(server.server.port, '127.0.0.1');
  socket.on('error', () => {});
  let answer = '';
  let cut = false;
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  void closed.then(() => (cut = true));
  socket.write(first);
  for (const line of lines) {
    if (cut) break;
    socket.write(line);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  const wasCut = cut;
  socket.destroy();
  await closed;
  return { cut: wasCut, answer };
}

const dripped = Array.from({ length: 40 }, (_, i) => `x-drip-${i}: ${i}\r\n`);

it('closes a connection that drips its header lines past HTTP_HEADERS_TIMEOUT_MS', async () => {
  // 40 lines, one every 200 ms: 8 s, far past the 1 s allowed for the headers.
  const { cut, answer } = await sendSlowly('GET /healthz HTTP/1.1\r\nhost: localhost\r\n', dripped, 200);
  expect(cut).toBe(true);
  expect(answer).toMatch(/^HTTP\/1\.1 408/);
});

it('closes a connection that drips its body past HTTP_REQUEST_TIMEOUT_MS', async () => {
  const { cut, answer } = await sendSlowly(
    'POST /graphql HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n',
    dripped,
    200,
  );
  expect(cut).toBe(true);
  expect(answer).toMatch(/^HTTP\/1\.1 408/);
});

it('closes an idle kept-alive connection after HTTP_KEEP_ALIVE_TIMEOUT_MS', async () => {
  // Idle after its answer, it is closed long before the 4 s this waits (Node's default keeps it 5 s).
  const idle = Array.from({ length: 40 }, () => '');
  const { cut, answer } = await sendSlowly('GET /healthz HTTP/1.1\r\nhost: localhost\r\n\r\n', idle, 100);
  expect(cut).toBe(true);
  expect(answer).toMatch(/^HTTP\/1\.1 200/);
});

it('leaves an upgraded WebSocket open past every HTTP timeout', async () => {
  const socket = await RawSocket.open(server.wsUrl);
  try {
    await socket.init();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    socket.send({ type: 'ping' });
    await socket.next((message) => message.type === 'pong', 'the pong');
  } finally {
    socket.close();
  }
});
