// Part "writes" of bench:reads: BENCH_WRITE_CLERKS clerks (50) in as many sessions, scheduled and opened beforehand
// through the mutations (district councils of term IX, round the councils), each recording attendance as fast as it
// can, one write at a time, all at once (bench/load/clerks.mjs). Reported: writes/s, p50, p99 and max, and SQL
// statements per change from Obrady's own counter (all statements while the clerks wrote, warm-up included, over the
// events written meanwhile).
import { graphqlOrThrow } from '../support/clerk.mjs';
import { countersOf, difference, loadRun } from '../support/measure.mjs';
import { sleep } from '../support/setup.mjs';

export const CLERKS = Number(process.env.BENCH_WRITE_CLERKS ?? 50);

export async function prepareWrites({ obradyUrl, token, log }) {
  const gql = graphqlOrThrow(obradyUrl, token);
  const { bodies } = await gql('{ bodies(kind: DISTRICT_COUNCIL) { id seats { id } } }');
  const councils = bodies.filter((b) => b.seats.length > 0);
  const sessions = [];
  for (let i = 0; i < CLERKS; i += 1) {
    const body = councils[i % councils.length];
    const { scheduleSession } = await gql('mutation($i: ScheduleSessionInput!) { scheduleSession(input: $i) { id } }', {
      i: { bodyId: body.id, termNumber: 9, title: `[bench] Sesja ${i + 1}`, scheduledAt: new Date().toISOString() },
    });
    await gql('mutation($id: ID!) { openSession(id: $id) { status } }', { id: scheduleSession.id });
    sessions.push({ sessionId: scheduleSession.id, seats: body.seats.map((s) => s.id) });
  }
  log(`writes: ${sessions.length} sessions in progress, in ${councils.length} councils`);
  return { sessions };
}

export async function runWrites({ prepared, obradyUrl, obradyBase, token, seconds, warmup, meter, log }) {
  await sleep(500);
  const before = await countersOf(obradyBase);
  const run = await loadRun(
    'clerks.mjs',
    { url: obradyUrl, token, sessions: prepared.sessions, warmup, duration: seconds },
    { meter },
  );
  await sleep(500); // anything still under way
  const whole = difference(before, await countersOf(obradyBase));
  const result = {
    ...run,
    statements: whole.statements,
    changes: whole.events,
    statementsPerChange: whole.statements / whole.events,
  };
  log(
    `writes: ${result.clerks} clerks, ${result.writesPerSecond.toFixed(0)} writes/s, p50 ${result.p50?.toFixed(0)} p99 ${result.p99?.toFixed(0)} ms, ${result.statementsPerChange.toFixed(2)} SQL statements per change, ${result.failed} failed`,
  );
  return result;
}

export function writesTable(result) {
  const fixed = (v, d = 0) => (v == null ? '–' : v.toFixed(d));
  return [
    '| writes | clerks | writes/s | p50 ms | p99 ms | max ms | failed | changes | SQL statements | SQL/change |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| recordAttendance, each clerk in its own session, one write at a time, all at once | ${result.clerks} | ${fixed(result.writesPerSecond)} | ${fixed(result.p50)} | ${fixed(result.p99)} | ${fixed(result.max)} | ${result.failed}${result.firstFailure ? ` (${result.firstFailure.slice(0, 80)})` : ''} | ${result.changes} | ${result.statements} | ${fixed(result.statementsPerChange, 2)} |`,
  ];
}
