import 'reflect-metadata';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createDataSource } from '../../src/db/data-source';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import type { EmbeddedPostgres } from '../../src/db/embedded-postgres';
import { createLogger } from '../../src/logger';
import { databaseUrl } from './database-url';

declare global {
  var __OBRADY_EMBEDDED_PG__: EmbeddedPostgres | undefined;
}

/**
 * One PostgreSQL for the whole run: TEST_DATABASE_URL's server, or an
 * embedded one. A template database is migrated once; each test file then
 * gets its own copy of it, so files run in parallel without sharing rows.
 */
export default async function globalSetup(): Promise<void> {
  const log = createLogger({ logLevel: 'warn' }, false);
  // Tests that run Obrady as a process (npm start, SIGTERM, instance loss) share one build, made before any of them.
  const root = path.resolve(__dirname, '..', '..');
  await promisify(execFile)(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
  });
  // The pages' bundles (the explorer, the pages' stylesheet and font) under dist/web, as npm run build makes them.
  await promisify(execFile)(process.execPath, [path.join(root, 'web', 'build.mjs')], { cwd: root });
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const embedded = await startEmbeddedPostgres({
      dataDir: path.resolve('.data', 'test'),
      port: 0,
      database: 'postgres',
      log,
    });
    globalThis.__OBRADY_EMBEDDED_PG__ = embedded;
    adminUrl = embedded.adminUrl;
  }
  const run = `${process.pid}_${Date.now().toString(36)}`;
  const template = `obrady_tpl_${run}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  const { dataSource } = createDataSource({ url: databaseUrl(adminUrl, template), poolSize: 2, log });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
  process.env.OBRADY_TEST_ADMIN_URL = adminUrl;
  process.env.OBRADY_TEST_TEMPLATE = template;
  process.env.OBRADY_TEST_RUN = run;
}
