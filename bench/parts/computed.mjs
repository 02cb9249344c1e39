// Part "computed" of bench:reads: the computed path under traffic no cache can memorise. For each shape of
// bench/queries/computed.mjs, every request draws its session, page or person at random (seeded) from the whole data
// set, and carries a request number, so no two request bodies of a run are alike: Obrady (production build, its read
// cache on, which this traffic defeats) and PostGraphile on the same database, with the same seed, so both are sent
// the same sequence of requests. Before loading, a sample of requests is sent to both and their rows compared.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { bodyOf, random, readPools, shapes } from '../queries/computed.mjs';
import { countersOf, loadRun } from '../support/measure.mjs';

const SAMPLE = Number(process.env.BENCH_COMPUTED_SAMPLE ?? 30);

async function ask(url, body) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const json = await response.json();
  if (json.errors) throw new Error(`${url}: ${JSON.stringify(json.errors).slice(0, 500)}`);
  return json.data;
}

/** Reads the pools and checks, for a sample of each shape, that both servers answer the same rows. */
export async function prepareComputed({ db, targets, seed, workDir, log, only }) {
  const pools = await readPools(db);
  const poolsFile = path.join(workDir, `pools-${process.pid}.json`);
  writeFileSync(poolsFile, JSON.stringify(pools));
  const prepared = { poolsFile, pools: {}, shapes: {}, notes: [] };
  for (const [name, pool] of Object.entries(pools)) prepared.pools[name] = pool.length;
  for (const [name, shape] of Object.entries(shapes)) {
    if (only && !only.includes(name)) continue;
    if (pools[shape.pool].length === 0) {
      const note = `computed ${name} (${shape.title}): skipped, the database has none to draw from (${shape.pool}: 0)`;
      prepared.notes.push(note);
      prepared.shapes[name] = { title: shape.title, skipped: note };
      log(note);
      continue;
    }
    // The same seed draws the same parameters for both forms.
    const obradyDraw = random(seed + 7919);
    const postgraphileDraw = random(seed + 7919);
    const samples = [];
    if (!shape.postgraphile) {
      // Obrady only: the sample is checked for errors (ask throws on any), not against another server.
      for (let i = 0; i < SAMPLE; i += 1) {
        samples.push(shape.rows(await ask(targets.obrady, bodyOf(name, 'obrady', obradyDraw, pools, `check:${i}`))));
      }
      log(`computed ${name} answers ${SAMPLE} random requests without errors (e.g. ${samples[0]}); Obrady only`);
      prepared.shapes[name] = { title: shape.title, pool: shape.pool, poolSize: pools[shape.pool].length, samples };
      prepared.shapes[name].obradyOnly = true;
      continue;
    }
    for (let i = 0; i < SAMPLE; i += 1) {
      const o = await ask(targets.obrady, bodyOf(name, 'obrady', obradyDraw, pools, `check:${i}`));
      const p = await ask(targets.postgraphile, bodyOf(name, 'postgraphile', postgraphileDraw, pools, `check:${i}`));
      const rows = { obrady: shape.rows(o, 'obrady'), postgraphile: shape.rows(p, 'postgraphile') };
      if (rows.obrady !== rows.postgraphile)
        throw new Error(`computed ${name}: the servers disagree on sample ${i}: ${JSON.stringify(rows)}`);
      samples.push(rows.obrady);
    }
    log(`computed ${name} agrees on ${SAMPLE} random requests (e.g. ${samples[0]})`);
    prepared.shapes[name] = {
      title: shape.title,
      pool: shape.pool,
      poolSize: pools[shape.pool].length,
      samples,
      obradyOnly: !shape.postgraphile,
    };
  }
  return prepared;
}

/** The load: every shape at every level, Obrady then PostGraphile. */
export async function runComputed({ prepared, targets, obradyBase, levels, seconds, warmup, seed, meter, log }) {
  const result = { shapes: {} };
  let s = 0;
  for (const [name, shape] of Object.entries(prepared.shapes)) {
    s += 1;
    result.shapes[name] = { ...shape, runs: {} };
    if (shape.skipped) continue;
    for (const [l, connections] of levels.entries()) {
      const runSeed = seed * 1000 + s * 10 + l;
      const row = {};
      for (const target of shape.obradyOnly ? ['obrady'] : ['obrady', 'postgraphile']) {
        row[target] = await loadRun(
          'varied.mjs',
          {
            url: targets[target],
            connections,
            warmup,
            duration: seconds,
            generator: { shape: name, target, poolsFile: prepared.poolsFile, seed: runSeed },
          },
          { meter, counters: target === 'obrady' ? () => countersOf(obradyBase) : undefined },
        );
        const c = row[target].counters;
        if (c) row[target].fromCache = c.requests ? c.cacheHits / c.requests : null;
      }
      row.ratio = row.postgraphile ? row.obrady.rps / row.postgraphile.rps : null;
      row.seed = runSeed;
      result.shapes[name].runs[connections] = row;
      const other = row.postgraphile
        ? `postgraphile ${row.postgraphile.rps.toFixed(0)} rps p99 ${row.postgraphile.p99} ms | ${row.ratio.toFixed(2)}×`
        : 'postgraphile – (Obrady only)';
      log(
        `computed ${name} c=${connections}: obrady ${row.obrady.rps.toFixed(0)} rps p99 ${row.obrady.p99} ms (${pct(row.obrady.fromCache)} from cache, ${row.obrady.distinctAnswers} distinct of ${row.obrady.bodies}) | ${other}`,
      );
    }
  }
  return result;
}

export const pct = (share) => (share == null || Number.isNaN(share) ? '–' : `${(share * 100).toFixed(1)}%`);
const errorsOf = (r) => r.errors + r.graphqlErrors;

export function computedTable(result) {
  const lines = [
    '| computed read | c | Obrady rps | p50 | p99 | PostGraphile rps | p50 | p99 | Obrady/PG | errors | requests: bodies, distinct answers | from cache |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [name, shape] of Object.entries(result.shapes)) {
    if (shape.skipped) {
      lines.push(`| ${name}: ${shape.title} | – | skipped: none in the database to draw from | | | | | | | | | |`);
      continue;
    }
    for (const [c, r] of Object.entries(shape.runs)) {
      if (!r.postgraphile) {
        lines.push(
          `| ${name}: ${shape.title} | ${c} | ${r.obrady.rps.toFixed(0)} | ${r.obrady.p50} | ${r.obrady.p99} | – (Obrady only) | | | | ${errorsOf(r.obrady)} | ${r.obrady.bodies}, ${r.obrady.distinctAnswers} | ${pct(r.obrady.fromCache)} |`,
        );
        continue;
      }
      lines.push(
        `| ${name}: ${shape.title} | ${c} | ${r.obrady.rps.toFixed(0)} | ${r.obrady.p50} | ${r.obrady.p99} | ${r.postgraphile.rps.toFixed(0)} | ${r.postgraphile.p50} | ${r.postgraphile.p99} | ${r.ratio.toFixed(2)} | ${errorsOf(r.obrady)}/${errorsOf(r.postgraphile)} | ${r.obrady.bodies}, ${r.obrady.distinctAnswers} / ${r.postgraphile.bodies}, ${r.postgraphile.distinctAnswers} | ${pct(r.obrady.fromCache)} |`,
      );
    }
  }
  return lines;
}
