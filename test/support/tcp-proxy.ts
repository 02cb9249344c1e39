import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** A TCP proxy in front of a server whose connections a test can cut and let through again. */
export interface CuttableProxy {
  /** http://127.0.0.1:port, the server's address through the proxy. */
  readonly origin: string;
  /** Drops every open connection (HTTP and WebSocket alike) and refuses new ones until restore(). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * A dropped network, for real: a browser's WebSocket to localhost ignores DevTools' offline mode, but not a
 * proxy that closes its sockets. Connections made while cut are closed at once, as a dead link would refuse them.
 */
export async function cuttableProxy(targetPort: number): Promise<CuttableProxy> {
  let open = true;
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    origin: `http://127.0.0.1:${port}`,
    cut() {
      open = false;
      dropAll();
    },
    restore() {
      open = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        proxy.close(() => resolve());
      }),
  };
}
