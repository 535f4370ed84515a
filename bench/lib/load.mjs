// Drives one scenario against one server with autocannon, in this process, and reports 2xx
// requests per second, latency percentiles of the 2xx answers, failures, and how busy the load
// generator, the server, its database backends and the rest of the machine were (to tell a
// server-bound run from a generator-bound or disturbed one: other processes, or a hypervisor
// stealing CPU).
import autocannon from 'autocannon';
import { startCpuMeter, waitForQuiet } from './process.mjs';

function autocannonRun(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function failures(result) {
  const codes = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) {
    if (!code.startsWith('2')) codes[code] = count;
  }
  return codes;
}

/**
 * Waits up to `settle` s for the machine to be quiet, warms up for `warmup` s (results
 * discarded), then measures for `duration` s with `connections` connections. Latencies are in
 * ms; cpu figures are in cores (fractions of one core).
 */
export async function measure(server, scenario, dataset, opts) {
  const { connections, duration, warmup, settle, log } = opts;
  const options = () => {
    const { path, ...load } = scenario.load(server, dataset, connections);
    return {
      url: server.baseUrl + path, // autocannon ignores a top-level `path`
      connections,
      pipelining: 1,
      excludeErrorStats: true, // latency percentiles of 2xx answers only
      ...load,
    };
  };
  if (settle > 0 && !(await waitForQuiet(settle))) {
    log(`the machine stayed busy for ${settle} s (other processes); measuring anyway`);
  }
  if (warmup > 0) await autocannonRun({ ...options(), duration: warmup });
  // After the warm-up, which opened the server's database connections (when it has any).
  const databasePids = (await server.databasePids?.()) ?? [];
  const elu0 = performance.eventLoopUtilization();
  const cpu = startCpuMeter(server.pid, databasePids);
  const result = await autocannonRun({ ...options(), duration });
  const usage = cpu();
  return {
    rps: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    failures: failures(result),
    ...usage,
    loadgenElu: performance.eventLoopUtilization(elu0).utilization,
  };
}
