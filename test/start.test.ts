import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DistrictsDocument } from './generated/graphql';
import { query, spawnServer } from './support';
import type { SpawnedServer } from './support';

/**
 * `npm start` as a newcomer runs it: the built entry point with no
 * DATABASE_URL starts its own PostgreSQL under DATA_DIR, serves, stops it on
 * SIGTERM, and finds its data again on the next start.
 */
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'obrady-start-'));
}, 120_000);

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const start = (): Promise<SpawnedServer> =>
  spawnServer({ DATA_DIR: dataDir, DATABASE_URL: undefined, HOST: undefined, AUTH_SECRET: undefined });

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
