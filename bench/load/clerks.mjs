// The writes' load, in a process of its own: one clerk per session, each recording attendance as fast as it can (one
// write at a time, the next as soon as the last is answered, on a connection of its own), all clerks at once. Driven
// like bench/load/varied.mjs: the warm-up, {"phase":"warm"}, a line "go" on stdin, the measured run, its result as
// one JSON line: writes, writes/s, latency p50/p99 (ms), failed writes and the first failure, this process's CPU.
import { performance } from 'node:perf_hooks';
import { attendanceWrites, graphqlClient, quantile, RECORD_ATTENDANCE } from '../support/clerk.mjs';
import { report, warmedUp } from './protocol.mjs';

const { url, token, sessions, warmup, duration } = JSON.parse(process.argv[2]);
const clerks = sessions.map((session) => ({ client: graphqlClient(url, token), next: attendanceWrites(session) }));

/** Every clerk writing until `seconds` have passed; the latencies of the writes and the failures. */
async function run(seconds) {
  const latencies = [];
  let failed = 0;
  let firstFailure = null;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    clerks.map(async (clerk) => {
      while (performance.now() < end) {
        const sent = performance.now();
        try {
          const answer = await clerk.client.post(RECORD_ATTENDANCE, clerk.next());
          if (answer.errors) throw new Error(`${answer.errors[0]?.extensions?.code}: ${answer.errors[0]?.message}`);
          latencies.push(performance.now() - sent);
        } catch (error) {
          failed += 1;
          firstFailure ??= String(error.message);
        }
      }
    }),
  );
  return { latencies, failed, firstFailure, seconds: (performance.now() - start) / 1000 };
}

const warm = warmup > 0 ? await run(warmup) : { latencies: [], failed: 0 };
const cpuBefore = await warmedUp();
const measured = await run(duration);
for (const clerk of clerks) clerk.client.close();
report(
  {
    clerks: clerks.length,
    writes: measured.latencies.length,
    writesPerSecond: measured.latencies.length / measured.seconds,
    p50: quantile(measured.latencies, 0.5),
    p99: quantile(measured.latencies, 0.99),
    max: quantile(measured.latencies, 1),
    failed: measured.failed,
    firstFailure: measured.firstFailure,
    warmupWrites: warm.latencies.length,
    warmupFailed: warm.failed,
    seconds: measured.seconds,
  },
  cpuBefore,
);
