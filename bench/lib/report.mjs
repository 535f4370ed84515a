// Summarises the records benchmark: medians over runs, the ratio table, and the JSON line.

const median = (xs) => {
  const sorted = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const round = (x, digits) => (x === undefined ? undefined : Number(x.toFixed(digits)));

/** One target's figures for one scenario: medians over runs, failures summed. */
function summarise(runs) {
  if (!runs || runs.length === 0) return undefined;
  const failures = {};
  for (const r of runs) {
    for (const [code, n] of Object.entries(r.failures)) failures[code] = (failures[code] ?? 0) + n;
  }
  const disturbed = runs.filter((r) => (r.otherCpu ?? 0) >= 0.15 || (r.stolenCpu ?? 0) >= 0.15);
  return {
    rps: round(median(runs.map((r) => r.rps)), 1),
    p50: round(median(runs.map((r) => r.p50)), 2),
    p99: round(median(runs.map((r) => r.p99)), 2),
    ok: sum(runs.map((r) => r.ok)),
    non2xx: sum(runs.map((r) => r.non2xx)),
    errors: sum(runs.map((r) => r.errors)),
    timeouts: sum(runs.map((r) => r.timeouts)),
    failures,
    loadgenCpu: round(median(runs.map((r) => r.loadgenCpu)), 2),
    loadgenElu: round(median(runs.map((r) => r.loadgenElu)), 2),
    serverCpu: round(median(runs.map((r) => r.serverCpu)), 2),
    databaseCpu: round(median(runs.map((r) => r.databaseCpu)), 2),
    otherCpu: round(median(runs.map((r) => r.otherCpu)), 2),
    stolenCpu: round(median(runs.map((r) => r.stolenCpu)), 2),
    runs: runs.map((r) => round(r.rps, 1)),
    disturbedRuns: disturbed.length,
  };
}

/**
 * Basalt / raw per run: the two measurements of a run were taken one right after the other
 * (records.mjs alternates them), so their ratio is the least disturbed by a drifting machine.
 */
function pairedRatios(basaltRuns, rawRuns) {
  if (!basaltRuns || !rawRuns) return [];
  const ratios = [];
  for (let i = 0; i < Math.min(basaltRuns.length, rawRuns.length); i++) {
    if (rawRuns[i].rps > 0) ratios.push(basaltRuns[i].rps / rawRuns[i].rps);
  }
  return ratios;
}

/** The summary object (also the JSON line): per scenario, each target's figures and the ratio. */
export function summary(scenarios, measured, meta) {
  const results = {};
  for (const s of scenarios) {
    const basalt = summarise(measured.basalt?.[s.key]);
    const raw = summarise(measured.raw?.[s.key]);
    const runRatios = pairedRatios(measured.basalt?.[s.key], measured.raw?.[s.key]);
    const ratio = runRatios.length > 0 ? round(median(runRatios), 2) : undefined;
    results[s.key] = {
      label: s.label,
      basalt,
      raw,
      ratio,
      runRatios: runRatios.map((r) => round(r, 3)),
      target: s.target,
    };
  }
  return { bench: 'records', ...meta, results };
}

const num = (x, width) =>
  (x === undefined ? '-' : Math.round(x).toLocaleString('en-US')).padStart(width);
const ms = (x, width) =>
  (x === undefined ? '-' : `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`).padStart(width);
const frac = (x) => (x === undefined ? '-' : x.toFixed(2));

/** The human-readable report: the ratio table, failures, and the load-generator check. */
export function formatReport(sum) {
  const lines = [];
  const m = sum;
  lines.push(
    `records benchmark (${m.engine}), ${m.posts} posts, ${m.connections} connections, ` +
      `${m.duration} s after ${m.warmup} s warm-up, median of ${m.runs} run(s) ` +
      `(ratio: median of the runs' ratios), node ${m.node}, ${m.cpus} cpus`,
  );
  lines.push('scenario              basalt req/s      p99   raw req/s      p99   ratio   target');
  const warnings = [];
  for (const r of Object.values(sum.results)) {
    const ratio = r.ratio === undefined ? '-' : r.ratio.toFixed(2);
    const target = r.target === undefined ? '       -' : `>= ${r.target.toFixed(2)}`;
    const verdict =
      r.ratio === undefined || r.target === undefined
        ? ''
        : r.ratio >= r.target
          ? '  ok'
          : '  below';
    lines.push(
      `${r.label.padEnd(20)} ${num(r.basalt?.rps, 13)} ${ms(r.basalt?.p99, 8)} ${num(r.raw?.rps, 11)} ` +
        `${ms(r.raw?.p99, 8)} ${ratio.padStart(7)}  ${target}${verdict}`,
    );
    for (const [name, t] of [
      ['basalt', r.basalt],
      ['raw', r.raw],
    ]) {
      if (!t) continue;
      if (t.non2xx > 0 || t.errors > 0) {
        warnings.push(
          `${r.label}, ${name}: ${t.ok} 2xx, ${t.non2xx} non-2xx ${JSON.stringify(t.failures)}, ` +
            `${t.errors} connection errors (${t.timeouts} timeouts)`,
        );
      }
      if (t.disturbedRuns > 0) {
        warnings.push(
          `${r.label}, ${name}: ${t.disturbedRuns} of ${t.runs.length} run(s) disturbed (other ` +
            `processes or hypervisor steal >= 0.15 core; medians ${frac(t.otherCpu)} and ` +
            `${frac(t.stolenCpu)}): run it again on a quiet machine`,
        );
      }
      // The server's work includes its database backends' (PostgreSQL), when it has any.
      const serving = t.serverCpu === undefined ? undefined : t.serverCpu + (t.databaseCpu ?? 0);
      if (t.loadgenCpu !== undefined && t.loadgenCpu >= 0.9 && (serving ?? 1) < 0.9) {
        warnings.push(
          `${r.label}, ${name}: the load generator used ${frac(t.loadgenCpu)} of a core while the ` +
            `server used ${frac(serving)}: this figure may be bound by the generator`,
        );
      }
    }
  }
  if (sum.runs > 1) {
    lines.push('');
    lines.push('ratio of each run (Basalt and raw measured one right after the other):');
    for (const r of Object.values(sum.results)) {
      if (r.runRatios.length > 0) {
        lines.push(`  ${r.label.padEnd(20)} ${r.runRatios.map((x) => x.toFixed(2)).join('  ')}`);
      }
    }
  }
  lines.push('');
  const withDatabase = Object.values(sum.results).some(
    (r) => r.basalt?.databaseCpu !== undefined || r.raw?.databaseCpu !== undefined,
  );
  lines.push(
    withDatabase
      ? 'cpu in cores (load generator / server / its database backends / other processes / ' +
          'stolen by the hypervisor):'
      : 'cpu in cores (load generator / server / other processes / stolen by the hypervisor):',
  );
  for (const r of Object.values(sum.results)) {
    const part = (t) => {
      if (!t) return '-';
      const server = withDatabase ? [t.serverCpu, t.databaseCpu] : [t.serverCpu];
      return [t.loadgenCpu, ...server, t.otherCpu, t.stolenCpu].map(frac).join(' / ');
    };
    const width = withDatabase ? 33 : 26;
    lines.push(`  ${r.label.padEnd(20)} basalt ${part(r.basalt).padEnd(width)} raw ${part(r.raw)}`);
  }
  if (warnings.length > 0) {
    lines.push('');
    for (const w of warnings) lines.push(`warning: ${w}`);
  }
  return lines.join('\n');
}
