// CPU time per process from /proc, so that each run shows what is saturated: snapshots of named processes (a pid
// each), of PostgreSQL (its postmaster and every process under it) and of the whole machine, and the difference of
// two snapshots as seconds and as cores over the wall time between them.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** The fields of /proc/<pid>/stat after the command's closing parenthesis (state is [0], ppid [1]), or null. */
function statOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // gone
  }
}

/** user + system seconds of a process (and with `children`, of its children it has waited for), or 0 once gone. */
export function cpuOf(pid, { children = false } = {}) {
  const fields = statOf(pid);
  if (!fields) return 0;
  const own = Number(fields[11]) + Number(fields[12]);
  return (own + (children ? Number(fields[13]) + Number(fields[14]) : 0)) / clockTicks;
}

/** The parent of a process. */
export const parentOf = (pid) => Number(statOf(pid)?.[1] ?? 0);

/**
 * PostgreSQL's CPU: the postmaster, every process it started that still runs (backends, walwriter, checkpointer…),
 * and those it has already waited for (their time is in its cutime/cstime). `postmaster` is its pid: the parent of
 * any backend (`SELECT pg_backend_pid()`).
 */
export function postgresCpu(postmaster) {
  let total = cpuOf(postmaster, { children: true });
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statOf(entry);
    if (fields && Number(fields[1]) === postmaster) total += (Number(fields[11]) + Number(fields[12])) / clockTicks;
  }
  return total;
}

/** The machine's busy CPU seconds (all cores, everything but idle and iowait), from /proc/stat. */
export function machineCpu() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / clockTicks;
}

/**
 * A meter over named sources, each a function giving CPU seconds so far. `snapshot()` reads them all at once;
 * `since(snapshot, extra)` gives, per source (and per entry of `extra`, seconds measured elsewhere), the seconds used
 * since and the cores (seconds / wall seconds), with the machine's total under "machine" and what it did besides
 * under "other".
 */
export function cpuMeter(sources) {
  const read = () => {
    const values = { at: performance.now(), machine: machineCpu() };
    for (const [name, source] of Object.entries(sources)) values[name] = source();
    return values;
  };
  return {
    snapshot: read,
    since(before, extra = {}) {
      const after = read();
      const wall = (after.at - before.at) / 1000;
      const result = { wallSeconds: wall };
      for (const name of [...Object.keys(sources), 'machine']) {
        const seconds = after[name] - before[name];
        result[name] = { seconds, cores: seconds / wall };
      }
      for (const [name, seconds] of Object.entries(extra)) result[name] = { seconds, cores: seconds / wall };
      // What the machine did besides the processes above: the kernel's own work, anything else running.
      const counted = [...Object.keys(sources), ...Object.keys(extra)].reduce((sum, n) => sum + result[n].seconds, 0);
      result.other = { seconds: result.machine.seconds - counted, cores: (result.machine.seconds - counted) / wall };
      return result;
    },
  };
}
