import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../../src/config';
import { startServer } from '../../src/server';
import type { RunningServer } from '../../src/server';
import type { Logger } from '../../src/logger';
import { databaseUrl } from './database-url';
import { SECRET } from './tokens';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh copy of the migrated template (reference data included), for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.OBRADY_TEST_ADMIN_URL;
  const template = process.env.OBRADY_TEST_TEMPLATE;
  if (!adminUrl || !template) throw new Error('test/support/global-setup.ts did not run');
  const name = `obrady_t_${process.env.OBRADY_TEST_RUN}_${randomBytes(4).toString('hex')}`;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
      break;
    } catch (error) {
      // 55006: another session is copying the template at this instant.
      if ((error as { code?: string }).code !== '55006' || attempt === 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
  return {
    name,
    url: databaseUrl(adminUrl, name),
    drop: async () => {
      await withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(adminUrl: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

export interface TestServer {
  /** http://localhost:port/graphql */
  readonly url: string;
  /** ws://localhost:port/graphql */
  readonly wsUrl: string;
  readonly server: RunningServer;
  readonly database: TestDatabase;
  /** SQL statements sent so far by this server. */
  statements(): number;
  stop(): Promise<void>;
}

/**
 * A real server on port 0 against its own database; `env` sets configuration
 * as the environment would (AUTH_SECRET is the kit's SECRET unless `env` names
 * another, so the kit's tokens just work). Pass `database` to start a second instance on the
 * same database, and `log` to capture what the server logs.
 */
export async function startTestServer(
  options: { env?: Record<string, string>; database?: TestDatabase; log?: Logger } = {},
): Promise<TestServer> {
  const ownDatabase = options.database === undefined;
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    AUTH_SECRET: SECRET,
    // Warming the pool costs about 4 s of CPU a start, on the cores the other test files share: warmed only where a test asks.
    DB_POOL_LAZY: 'true',
    ...options.env,
    DATABASE_URL: database.url,
  });
  const server = await startServer(config, { log: options.log });
  return {
    url: server.url,
    wsUrl: server.url.replace(/^http/, 'ws'),
    server,
    database,
    statements: () => server.database.counter.statements,
    async stop() {
      await server.stop();
      if (ownDatabase) await database.drop();
    },
  };
}
