import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../config';
import type { Config } from '../../config';
import { createLogger } from '../../logger';
import { openDatabase } from '../database';
import { MAX_DEMO_SESSIONS, seedDemoData } from './demo-data';

/**
 * npm run seed:demo -- --sessions N
 * Replaces the synthetic demo data with N sessions (see demo-data.ts), on
 * DATABASE_URL or the embedded PostgreSQL under DATA_DIR, after bringing the
 * schema up to date. Exit codes: 0 done, 2 bad arguments or configuration,
 * 1 any other failure (nothing is changed: it all runs in one transaction).
 */

const USAGE = `usage: npm run seed:demo -- --sessions N   (N: a whole number from 1 to ${MAX_DEMO_SESSIONS})`;

class UsageError extends Error {}

function parseSessions(args: string[]): number {
  let values: { sessions?: string };
  try {
    ({ values } = parseArgs({ args, options: { sessions: { type: 'string' } }, strict: true }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const raw = values.sessions?.trim();
  if (raw === undefined) throw new UsageError('--sessions is required');
  const sessions = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(sessions) || sessions < 1 || sessions > MAX_DEMO_SESSIONS) {
    throw new UsageError(`--sessions must be a whole number from 1 to ${MAX_DEMO_SESSIONS}, got "${raw}"`);
  }
  return sessions;
}

async function main(): Promise<void> {
  let sessions: number;
  let config: Config;
  try {
    sessions = parseSessions(process.argv.slice(2));
    config = loadConfig();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`seed:demo: ${error.message}\n${USAGE}\n`);
      process.exit(2);
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`seed:demo: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config);
  const started = performance.now();
  // One writer for a while: no pool to warm.
  const database = await openDatabase({ ...config, dbPoolLazy: true }, log);
  let seconds: number;
  try {
    const opened = performance.now();
    const summary = await seedDemoData(database.dataSource, sessions);
    const done = performance.now();
    seconds = (done - started) / 1000;
    log.info(
      {
        ...summary,
        embedded: database.embedded,
        openMs: Math.round(opened - started),
        seedMs: Math.round(done - opened),
      },
      `demo data: ${summary.sessions} sessions, ${summary.agendaItems} agenda items, ` +
        `${summary.attendanceRecords} attendance records, ${summary.votes} votes, ${summary.ballots} ballots, ` +
        `${summary.speechRequests} requests for the floor, ${summary.persons} people in ${seconds.toFixed(1)} s`,
    );
  } finally {
    await database.close();
  }
  process.stdout.write(`seed:demo: ${sessions} synthetic sessions in ${seconds.toFixed(1)} s\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`seed:demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
