// Part "live" of bench:reads: a live meeting. A district council session of term IX is scheduled and opened through
// the mutations, with its agenda, every seat present, an item in progress and a vote open with some ballots cast
// (where the build can open one).
// Then dashboards (autocannon, every request the same dashboard query) read it at each level while its clerk records
// attendance 5 times a second through Obrady (a seat absent, then present again, then the next seat): against
// Obrady, and against PostGraphile, which reads the same tables (the writes still go through Obrady). Reported:
// requests/s, p50, p99, the share of Obrady's answers served from its cache, and what the clerk's writes took.
import { performance } from 'node:perf_hooks';
import { dashboard } from '../queries/computed.mjs';
import { attendanceWrites, graphqlClient, graphqlOrThrow, quantile, RECORD_ATTENDANCE } from '../support/clerk.mjs';
import { countersOf, loadRun } from '../support/measure.mjs';
import { sleep } from '../support/setup.mjs';
import { pct } from './computed.mjs';

const RATE = Number(process.env.BENCH_LIVE_WRITE_RATE ?? 5);
const rowIdOf = (id) => Number(Buffer.from(id, 'base64url').toString('utf8').split(':')[1]);

/** The meeting in progress; its row id, seats, and a check that both servers show the same dashboard. */
export async function prepareMeeting({ obradyUrl, token, targets, log }) {
  const gql = graphqlOrThrow(obradyUrl, token);
  const { bodies } = await gql('{ bodies(kind: DISTRICT_COUNCIL) { id seats { id } } }');
  const body = bodies.find((b) => b.seats.length > 0);
  const { scheduleSession } = await gql('mutation($i: ScheduleSessionInput!) { scheduleSession(input: $i) { id } }', {
    i: { bodyId: body.id, termNumber: 9, title: '[bench] Sesja w toku', scheduledAt: new Date().toISOString() },
  });
  const id = scheduleSession.id;
  await gql('mutation($id: ID!) { openSession(id: $id) { status } }', { id });
  const items = [];
  for (let i = 1; i <= 8; i += 1) {
    const { addAgendaItem } = await gql('mutation($i: AddAgendaItemInput!) { addAgendaItem(input: $i) { id } }', {
      i: { sessionId: id, title: `[bench] Punkt ${i}`, presenter: 'Zarząd Dzielnicy' },
    });
    items.push(addAgendaItem.id);
  }
  const seats = body.seats.map((s) => s.id);
  for (const seatId of seats) await gql(RECORD_ATTENDANCE, { i: { sessionId: id, seatId, status: 'PRESENT' } });
  // The first item done, the second under discussion, its vote open.
  await gql('mutation($id: ID!) { startAgendaItem(id: $id) { id } }', { id: items[0] });
  await gql('mutation($id: ID!) { finishAgendaItem(id: $id) { id } }', { id: items[0] });
  await gql('mutation($id: ID!) { startAgendaItem(id: $id) { id } }', { id: items[1] });
  // A vote open with half the ballots cast, where this build has votes (openVote may not be implemented yet).
  let vote = 'none';
  try {
    const { openVote } = await gql('mutation($i: OpenVoteInput!) { openVote(input: $i) { id } }', {
      i: { sessionId: id, subject: '[bench] Wniosek w sprawie budżetu obywatelskiego' },
    });
    const options = ['FOR', 'FOR', 'AGAINST', 'ABSTAIN'];
    for (const [i, seatId] of seats.slice(0, Math.ceil(seats.length / 2)).entries())
      await gql('mutation($i: CastBallotInput!) { castBallot(input: $i) { id } }', {
        i: { voteId: openVote.id, seatId, option: options[i % options.length] },
      });
    vote = 'open, half the ballots cast';
  } catch (error) {
    vote = `none: openVote answered ${error.message}`;
    log(`live meeting: no vote (${error.message})`);
  }
  const sessionId = rowIdOf(id);
  const rows = {};
  for (const target of ['obrady', 'postgraphile']) {
    const response = await fetch(targets[target], {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(dashboard[target](sessionId)),
    });
    const json = await response.json();
    if (json.errors) throw new Error(`dashboard on ${target}: ${JSON.stringify(json.errors).slice(0, 500)}`);
    rows[target] = dashboard.rows(json.data, target);
  }
  if (rows.obrady !== rows.postgraphile) throw new Error(`dashboard: the servers disagree: ${JSON.stringify(rows)}`);
  log(`live meeting: session ${sessionId} in progress, the dashboard agrees (${rows.obrady})`);
  return { id, sessionId, seats, rows: rows.obrady, vote };
}

/** The clerk: writes paced at RATE a second (start to start, one at a time) until stopped. */
function clerk(url, token, meeting) {
  return ({ measuring, stopped }) =>
    (async () => {
      const client = graphqlClient(url, token);
      // Everyone is present: a seat leaves, then comes back, then the next seat.
      const next = attendanceWrites({ sessionId: meeting.id, seats: meeting.seats }, 'ABSENT');
      const latencies = [];
      let writes = 0;
      let failed = 0;
      let firstFailure = null;
      const start = performance.now();
      for (let i = 0; !stopped(); i += 1) {
        const wait = start + (i * 1000) / RATE - performance.now();
        if (wait > 0) await sleep(wait);
        if (stopped()) break;
        const counted = measuring();
        const sent = performance.now();
        try {
          const answer = await client.post(RECORD_ATTENDANCE, next());
          if (answer.errors) throw new Error(`${answer.errors[0]?.extensions?.code}: ${answer.errors[0]?.message}`);
          if (counted) latencies.push(performance.now() - sent);
        } catch (error) {
          failed += 1;
          firstFailure ??= String(error.message);
        }
        writes += 1;
      }
      client.close();
      return {
        writes,
        measuredWrites: latencies.length,
        p50: quantile(latencies, 0.5),
        p99: quantile(latencies, 0.99),
        failed,
        firstFailure,
      };
    })();
}

export async function runMeeting({
  meeting,
  targets,
  obradyUrl,
  obradyBase,
  token,
  levels,
  seconds,
  warmup,
  meter,
  log,
}) {
  const result = { sessionId: meeting.sessionId, rows: meeting.rows, vote: meeting.vote, rate: RATE, runs: {} };
  for (const connections of levels) {
    const row = {};
    for (const target of ['obrady', 'postgraphile']) {
      const r = await loadRun(
        'varied.mjs',
        {
          url: targets[target],
          connections,
          warmup,
          duration: seconds,
          body: JSON.stringify(dashboard[target](meeting.sessionId)),
        },
        {
          meter,
          counters: () => countersOf(obradyBase, 'Dashboard'),
          during: clerk(obradyUrl, token, meeting),
        },
      );
      const c = r.counters;
      r.fromCache = target === 'obrady' && c.requests ? c.cacheHits / c.requests : null;
      r.computations = target === 'obrady' ? c.cacheComputations : null;
      r.writes = c.events;
      r.writesPerSecond = c.events / r.cpu.wallSeconds;
      row[target] = r;
    }
    row.ratio = row.obrady.rps / row.postgraphile.rps;
    result.runs[connections] = row;
    log(
      `live c=${connections}: obrady ${row.obrady.rps.toFixed(0)} rps p99 ${row.obrady.p99} ms (${pct(row.obrady.fromCache)} from cache) | postgraphile ${row.postgraphile.rps.toFixed(0)} rps p99 ${row.postgraphile.p99} ms | ${row.ratio.toFixed(2)}× | clerk ${row.obrady.writes} writes, p99 ${row.obrady.side.p99?.toFixed(0)} ms`,
    );
  }
  return result;
}

export function meetingTable(result) {
  const fixed = (v, d = 0) => (v == null ? '–' : v.toFixed(d));
  const lines = [
    '| live meeting | c | Obrady rps | p50 | p99 | from cache | computations per change | PostGraphile rps | p50 | p99 | Obrady/PG | errors | clerk writes (Obrady run / PG run) | clerk p50, p99 ms (Obrady run) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [c, r] of Object.entries(result.runs)) {
    const o = r.obrady;
    const p = r.postgraphile;
    const perChange = o.computations == null ? 'no counter' : fixed(o.computations / Math.max(1, o.writes), 2);
    lines.push(
      `| dashboard of the session in progress | ${c} | ${o.rps.toFixed(0)} | ${o.p50} | ${o.p99} | ${pct(o.fromCache)} | ${perChange} | ${p.rps.toFixed(0)} | ${p.p50} | ${p.p99} | ${r.ratio.toFixed(2)} | ${o.errors + o.graphqlErrors}/${p.errors + p.graphqlErrors} (clerk ${o.side.failed}/${p.side.failed}) | ${o.writes} / ${p.writes} | ${fixed(o.side.p50)}, ${fixed(o.side.p99)} |`,
    );
  }
  return lines;
}
