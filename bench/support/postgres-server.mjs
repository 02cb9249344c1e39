// A PostgreSQL server for the scripts that run Obrady against a scratch database (the bench and the soak): the
// given URL, else the server at 127.0.0.1:5432 when it answers, else an embedded one in a temporary folder (started
// with dist/'s own code, so build first). stop() stops and removes an embedded one and leaves any other alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(root, 'package.json'));

const answers = (port) =>
  new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

export async function postgresServer({ url, name }) {
  if (url) return { url, embedded: false, stop: async () => {} };
  if (await answers(5432))
    return { url: 'postgres://postgres@127.0.0.1:5432/postgres', embedded: false, stop: async () => {} };
  const { startEmbeddedPostgres } = require(path.join(root, 'dist/src/db/embedded-postgres.js'));
  const { createLogger } = require(path.join(root, 'dist/src/logger.js'));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `obrady-${name}-`));
  const embedded = await startEmbeddedPostgres({
    dataDir,
    port: 0,
    database: 'postgres',
    log: createLogger({ logLevel: 'warn' }, false),
  });
  return {
    url: embedded.adminUrl,
    embedded: true,
    async stop() {
      await embedded.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
