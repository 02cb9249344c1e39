import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DistrictsDocument } from './generated/graphql';
import { query } from './support/graphql';

/**
 * `npm start` as a newcomer runs it: the built entry point with no
 * DATABASE_URL starts its own PostgreSQL under DATA_DIR, serves, stops it on
 * SIGTERM, and finds its data again on the next start.
 */
const root = path.resolve(__dirname, '..');
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'obrady-start-'));
}, 120_000);

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

async function start(): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['dist/src/main.js'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)".*Obrady is serving GraphQL/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  return { child, url, exited };
}

async function postgresPid(): Promise<number | null> {
  try {
    return Number((await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

it('serves the reference data from its own PostgreSQL, stops it on SIGTERM, and keeps the data', async () => {
  const first = await start();
  const { districts } = await query(first.url, DistrictsDocument);
  expect(districts).toHaveLength(18);
  const pid = await postgresPid();
  expect(pid).toBeGreaterThan(0);

  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  expect(alive(pid!)).toBe(false);
  expect(await postgresPid()).toBeNull();

  const second = await start();
  try {
    const again = await query(second.url, DistrictsDocument);
    expect(again.districts.map((d) => d.id)).toEqual(districts.map((d) => d.id));
  } finally {
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }
}, 180_000);
