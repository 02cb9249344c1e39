// What the bench's newer parts share: a load run in a child process (bench/load/varied.mjs or clerks.mjs) whose
// measured phase is bracketed by the CPU meter and by Obrady's counters, and the sums of those counters.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { metrics, root } from './setup.mjs';

/** The sum of a counter's samples over its labels, those whose labels include `labels` (e.g. 'operation="X"'). */
export function sumOf(samples, name, labels = '') {
  let total = 0;
  let found = false;
  for (const [key, value] of Object.entries(samples)) {
    const bare = key.split('{')[0];
    if (bare !== name || !key.includes(labels)) continue;
    total += value;
    found = true;
  }
  return found ? total : null;
}

/** The counters of Obrady the parts report, as they stand (null for one this build does not have). */
export async function countersOf(base, operation) {
  const samples = await metrics(base);
  return {
    statements: sumOf(samples, 'obrady_sql_statements_total'),
    events: sumOf(samples, 'obrady_events_written_total'),
    requests: sumOf(samples, 'obrady_graphql_requests_total', operation ? `operation="${operation}"` : ''),
    cacheHits: sumOf(samples, 'obrady_read_cache_hits_total'),
    cacheComputations: sumOf(samples, 'obrady_read_cache_computations_total'),
  };
}

/** after − before, counter by counter (null where either is missing). */
export function difference(before, after) {
  const result = {};
  for (const key of Object.keys(after)) {
    result[key] = before[key] == null || after[key] == null ? null : after[key] - before[key];
  }
  return result;
}

/**
 * One load run: `script` (under bench/load) with `spec`, its warm-up, then the measured phase between two readings
 * of `meter` (support/cpu.mjs) and of `counters()` (when given). `during` runs alongside the whole load (e.g. a
 * clerk), started before the warm-up: it gets { measuring, stopped } (two functions giving booleans) and returns a
 * promise, awaited once the load is over, whose value is returned as `side`. Resolves with the child's result,
 * `cpu` (per process, the load's own CPU included) and `counters` (the difference over the measured phase).
 */
export async function loadRun(script, spec, { meter, counters, during } = {}) {
  const child = spawn(process.execPath, [`bench/load/${script}`, JSON.stringify(spec)], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let measuring = false;
  let stopped = false;
  // The side load is told when the measured phase runs, and when to stop.
  const side = during?.({ measuring: () => measuring, stopped: () => stopped });
  let before;
  let countersBefore;
  let result;
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      const message = JSON.parse(line);
      if (message.phase === 'warm') {
        countersBefore = counters ? await counters() : null;
        before = meter?.snapshot();
        measuring = true;
        child.stdin.write('go\n');
        continue;
      }
      result = message;
      break;
    }
    measuring = false;
    const cpu = meter && before ? meter.since(before, { load: result?.cpuSeconds ?? 0 }) : null;
    const countersAfter = counters && countersBefore ? await counters() : null;
    if (!result) throw new Error(`bench/load/${script} ended without a result (exit ${await exited})`);
    stopped = true;
    return {
      ...result,
      cpu,
      counters: countersAfter ? difference(countersBefore, countersAfter) : null,
      side: side ? await side : undefined,
    };
  } finally {
    stopped = true;
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await side?.catch(() => {});
  }
}
