// How a load process (bench/load/*.mjs) talks to the bench that started it (support/measure.mjs): after its warm-up
// it prints {"phase":"warm"} and waits for a line "go" on stdin (the bench reads its meters then); then the measured
// run, whose result it prints as one JSON line, with its own CPU time over that run.
import { createInterface } from 'node:readline';

/** Says the warm-up is over and waits for the go; resolves with this process's CPU usage at the start. */
export async function warmedUp() {
  process.stdout.write(`${JSON.stringify({ phase: 'warm' })}\n`);
  for await (const line of createInterface({ input: process.stdin })) if (line.trim() === 'go') break;
  return process.cpuUsage();
}

/** Prints the result with the CPU seconds used since `cpuBefore`, and ends the process. */
export function report(result, cpuBefore) {
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(`${JSON.stringify({ ...result, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`);
  process.exit(0);
}

/** What every autocannon run reports. */
export const autocannonFigures = (result) => ({
  rps: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  errors: result.errors + result.non2xx + result.timeouts,
  requests: result.requests.total,
});
