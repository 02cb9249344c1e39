import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedDemoData } from '../../src/db/seed/demo-data';
import { createTestDatabase, download, spawnServer, startTestServer, unzip } from '../support';
import type { SpawnedServer, TestDatabase } from '../support';

/**
 * Memory stays flat while the demo data set is exported: Obrady runs as an operator runs it (its own process),
 * with V8's old space capped at 64 MiB (`--max-old-space-size`), so that a build holding its data in memory would
 * run out of it instead of merely growing; its peak resident memory (VmHWM, which the kernel keeps) is read before
 * and after it builds every file of a term, synthetic rows included. The files are streamed from cursors to disk,
 * so the growth is bounded by pages and buffers, not by the data.
 */
const SESSIONS = Number(process.env.EXPORT_MEMORY_SESSIONS ?? 4000);
const MiB = 1024 * 1024;
/** V8's old space, in MiB: less than the demo data set's term VIII written out (about 29 MiB) as objects. */
const HEAP_MIB = 64;
/** What exporting a term may add to the peak resident memory, whatever its size. */
const GROWTH_BOUND = 16 * MiB;
/** V8's young generation, in MiB per semi-space (Node 20 grows it to 16, Node 24 further). */
const SEMI_SPACE_MIB = 2;

let database: TestDatabase;
let spawned: SpawnedServer;
let exportDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const seeder = await startTestServer({ database });
  try {
    await seedDemoData(seeder.server.database.dataSource, SESSIONS);
  } finally {
    await seeder.stop();
  }
  exportDir = mkdtempSync(path.join(os.tmpdir(), 'obrady-export-memory-'));
  spawned = await spawnServer({
    DATABASE_URL: database.url,
    EXPORT_DIR: exportDir,
    LOG_LEVEL: 'info',
    // The young generation capped too: its default size differs between Node versions (larger from 22 on), and a
    // young generation left to grow is memory the data never needed.
    NODE_OPTIONS: `--max-old-space-size=${HEAP_MIB} --max-semi-space-size=${SEMI_SPACE_MIB}`,
  });
}, 600_000);

afterAll(async () => {
  spawned?.child.kill('SIGTERM');
  await spawned?.exited;
  await database?.drop();
  if (exportDir) rmSync(exportDir, { recursive: true, force: true });
});

/** The process's resident memory now and at its peak (kB lines of /proc/<pid>/status), in bytes. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
  return { rss: kB('VmRSS'), peak: kB('VmHWM') };
}

it('exports the demo data set with bounded growth of resident memory', async () => {
  const pid = spawned.child.pid!;
  const exportAll = async (term: number): Promise<number> => {
    let bytes = 0;
    for (const file of [`term-${term}/popolo.json`, `term-${term}/csv.zip`, `attendance-${term}.csv`]) {
      const answer = await download(spawned, `/export/${file}?synthetic=include`);
      expect(answer.status).toBe(200);
      // What the zip holds, not what it weighs: the writers handle every byte of it.
      bytes += file.endsWith('.zip')
        ? [...(await unzip(answer.body)).values()].reduce((sum, text) => sum + Buffer.byteLength(text), 0)
        : answer.body.length;
    }
    return bytes;
  };
  // Term IX first: what any export needs once (code compiled, zlib, the pool's connections, the heap's first
  // growth) is then in place, and term VIII's files, the larger (five years of sessions), measure what the data
  // itself costs.
  const warmUp = await exportAll(9);
  const before = memory(pid);
  const written = await exportAll(8);
  const after = memory(pid);
  const growth = after.peak - before.peak;
  // eslint-disable-next-line no-console
  console.log(
    `term IX ${(warmUp / MiB).toFixed(1)} MiB, then term VIII ${(written / MiB).toFixed(1)} MiB: peak RSS ${(before.peak / MiB).toFixed(1)} -> ${(after.peak / MiB).toFixed(1)} MiB`,
  );
  expect(written).toBeGreaterThan(1.5 * GROWTH_BOUND);
  expect(growth).toBeLessThan(GROWTH_BOUND);
}, 600_000);
