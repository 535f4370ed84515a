// Realtime fan-out (BENCHMARKS.md "Realtime fan-out"): one Basalt node, N concurrent SSE
// clients subscribed to `posts/*` as guests, opened by load-generator worker processes
// (lib/realtime-worker.mjs: raw node:http, no SDK, one indexOf per chunk). Measures the
// delivery latency (receive time - send time, the send time travelling in the record's title)
// of single creates and of a sustained rate of creates, the events delivered per second, and
// the server's memory per subscribed client.
// Targets (issue 6): one create reaches 10,000 clients with p99 < 250 ms; at 4 creates/s
// (40,000 events/s) p99 < 1 s; < 30 KB of server memory per subscribed client.
//
// Run: npm run bench:realtime [-- --clients=10000 --workers=2 --singles=5 --gap=3
//      --rate=4 --duration=10 --concurrency=100 --build=auto|skip]
// Progress goes to stderr; the summary table and, on the last line, the JSON go to stdout.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { setUpRealtimeBasalt, startBasaltServer } from './lib/realtime-setup.mjs';
import { cleanUpOnSignals, registerCleanup, runCleanups } from './lib/cleanup.mjs';
import { BenchFailure } from './lib/errors.mjs';
import { cpuSeconds, machineCpuSeconds } from './lib/process.mjs';
import { buildBasaltIfNeeded } from './lib/servers.mjs';

const DEFAULTS = {
  clients: '10000',
  workers: '2',
  singles: '5',
  gap: '3',
  rate: '4',
  duration: '10',
  concurrency: '100',
  build: 'auto',
};

const log = (msg) => console.error(`[bench:realtime] ${msg}`);

function parseArgs(argv) {
  const opts = { ...DEFAULTS };
  for (const arg of argv) {
    const match = /^--([a-zA-Z]+)=(.*)$/.exec(arg);
    if (!match || !(match[1] in DEFAULTS)) throw new BenchFailure(`unknown argument ${arg}`);
    opts[match[1]] = match[2];
  }
  const num = (key, min) => {
    const n = Number(opts[key]);
    if (!Number.isFinite(n) || n < min)
      throw new BenchFailure(`--${key} must be a number >= ${min}`);
    return n;
  };
  if (!['auto', 'skip'].includes(opts.build))
    throw new BenchFailure('--build must be auto or skip');
  return {
    clients: num('clients', 1),
    workers: num('workers', 1),
    singles: num('singles', 0),
    gap: num('gap', 0.1),
    rate: num('rate', 0),
    duration: num('duration', 1),
    concurrency: num('concurrency', 1),
    build: opts.build,
  };
}

/** Server RSS in MB from /proc. */
function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

/** A load-generator worker and a promise-based request/answer over IPC. */
function startWorker(index) {
  const child = fork(join(import.meta.dirname, 'lib/realtime-worker.mjs'), [], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const stop = registerCleanup(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const waiting = [];
  child.on('message', (msg) => {
    if (msg.type === 'error')
      waiting.shift()?.reject(new BenchFailure(`worker ${index}: ${msg.message}`));
    else waiting.shift()?.resolve(msg);
  });
  const ready = new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  const ask = (cmd, extra = {}) =>
    new Promise((resolve, reject) => {
      waiting.push({ resolve, reject });
      child.send({ cmd, ...extra });
    });
  return { child, ready, ask, stop };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return undefined;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

/** Collects every worker's latencies and counters since the last reset. */
async function gather(workers) {
  const parts = await Promise.all(workers.map((w) => w.ask('collect')));
  const total = parts.reduce((n, p) => n + p.latencies.length, 0);
  const all = new Float64Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p.latencies, at);
    at += p.latencies.length;
  }
  all.sort();
  return {
    count: total,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    max: all[all.length - 1],
    minEvents: Math.min(...parts.map((p) => p.minEvents)),
    ended: parts.reduce((n, p) => n + p.ended, 0),
    lagP99: Math.max(...parts.map((p) => p.lagP99)),
    lagMax: Math.max(...parts.map((p) => p.lagMax)),
  };
}

const reset = (workers) => Promise.all(workers.map((w) => w.ask('reset')));
const ms = (x) => (x === undefined ? '-' : `${x.toFixed(1)} ms`);

/** Sends one create whose title carries the send time. */
function create(server, token) {
  const title = `t${(performance.timeOrigin + performance.now()).toFixed(3)}`;
  return fetch(`${server.baseUrl}/api/collections/posts/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: token },
    body: JSON.stringify({ title, body: 'x'.repeat(500), views: 1, published: true }),
  }).then((res) => {
    if (res.status !== 200) throw new BenchFailure(`create answered ${res.status}`);
    return res.arrayBuffer();
  });
}

async function singles(server, token, workers, opts) {
  const results = [];
  for (let i = 0; i < opts.singles; i++) {
    await sleep(opts.gap * 1000);
    await reset(workers);
    await create(server, token);
    // Wait until every client has the event (or 10 s).
    let r;
    for (let t = 0; t < 100; t++) {
      await sleep(100);
      r = await gather(workers);
      if (r.count >= opts.clients) break;
    }
    results.push(r);
    log(
      `single create ${i + 1}: ${r.count}/${opts.clients} received, p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, last ${ms(r.max)}, loadgen lag p99 ${ms(r.lagP99)}`,
    );
  }
  return results;
}

async function sustained(server, token, workers, opts) {
  await sleep(opts.gap * 1000);
  await reset(workers);
  const cpu0 = {
    server: cpuSeconds(server.pid),
    machine: machineCpuSeconds(),
    self: process.cpuUsage(),
  };
  const started = performance.now();
  const interval = 1000 / opts.rate;
  let sent = 0;
  const inFlight = [];
  while (performance.now() - started < opts.duration * 1000) {
    inFlight.push(create(server, token));
    sent++;
    const due = started + sent * interval;
    await sleep(Math.max(0, due - performance.now()));
  }
  await Promise.all(inFlight);
  const sendSeconds = (performance.now() - started) / 1000;
  let r;
  for (let t = 0; t < 100; t++) {
    await sleep(100);
    r = await gather(workers);
    if (r.count >= sent * opts.clients) break;
  }
  const wall = (performance.now() - started) / 1000;
  const serverCpu = (cpuSeconds(server.pid) - cpu0.server) / wall;
  const machine = machineCpuSeconds();
  return {
    ...r,
    creates: sent,
    expected: sent * opts.clients,
    eventsPerSecond: r.count / sendSeconds,
    serverCpu,
    machineCpu: (machine.processes - cpu0.machine.processes) / wall,
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.build !== 'skip') await buildBasaltIfNeeded();
  const server = await startBasaltServer(log);
  const token = await setUpRealtimeBasalt(server.baseUrl);
  await sleep(1000);
  const rssBefore = rssMb(server.pid);
  log(`server RSS before clients: ${rssBefore.toFixed(1)} MB`);
  const workers = Array.from({ length: opts.workers }, (_, i) => startWorker(i));
  await Promise.all(workers.map((w) => w.ready));
  log(`opening ${opts.clients} SSE clients from ${opts.workers} worker processes`);
  const openStarted = performance.now();
  const per = Math.ceil(opts.clients / opts.workers);
  const opened = await Promise.all(
    workers.map((w, i) =>
      w.ask('open', {
        baseUrl: server.baseUrl,
        n: Math.max(0, Math.min(per, opts.clients - i * per)),
        topic: 'posts/*',
        concurrency: Math.ceil(opts.concurrency / opts.workers),
      }),
    ),
  );
  const failed = opened.reduce((n, o) => n + o.failed, 0);
  if (failed > 0)
    throw new BenchFailure(
      `${failed} clients failed to connect: ${opened.flatMap((o) => o.errors).join('; ')}`,
    );
  log(
    `${opts.clients} clients subscribed in ${((performance.now() - openStarted) / 1000).toFixed(1)} s`,
  );
  await sleep(2000);
  const rssSubscribed = rssMb(server.pid);
  const perClientKb = ((rssSubscribed - rssBefore) * 1024) / opts.clients;
  log(
    `server RSS with clients: ${rssSubscribed.toFixed(1)} MB (${perClientKb.toFixed(1)} KB per client)`,
  );

  const single = await singles(server, token, workers, opts);
  let steady;
  if (opts.rate > 0) {
    log(`sustained: ${opts.rate} creates/s for ${opts.duration} s`);
    steady = await sustained(server, token, workers, opts);
    log(
      `sustained: ${steady.count}/${steady.expected} events, ${Math.round(steady.eventsPerSecond)} events/s, p50 ${ms(steady.p50)}, p99 ${ms(steady.p99)}, max ${ms(steady.max)}, server CPU ${steady.serverCpu.toFixed(2)} cores`,
    );
  }
  const rssAfter = rssMb(server.pid);
  await Promise.all(workers.map((w) => w.ask('close').catch(() => undefined)));
  await server.stop();

  const med = (xs) => {
    const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
    return s.length ? s[Math.floor(s.length / 2)] : undefined;
  };
  const result = {
    clients: opts.clients,
    workers: opts.workers,
    cpus: cpus().length,
    node: process.version,
    date: new Date().toISOString(),
    memory: {
      rssBeforeMb: rssBefore,
      rssSubscribedMb: rssSubscribed,
      rssAfterMb: rssAfter,
      perClientKb,
    },
    single: {
      runs: single.map((r) => ({
        received: r.count,
        p50: r.p50,
        p99: r.p99,
        last: r.max,
        lagP99: r.lagP99,
      })),
      medianP50: med(single.map((r) => r.p50)),
      medianP99: med(single.map((r) => r.p99)),
      medianLast: med(single.map((r) => r.max)),
    },
    sustained: steady && {
      rate: opts.rate,
      duration: opts.duration,
      creates: steady.creates,
      delivered: steady.count,
      expected: steady.expected,
      eventsPerSecond: steady.eventsPerSecond,
      p50: steady.p50,
      p99: steady.p99,
      max: steady.max,
      serverCpu: steady.serverCpu,
      machineCpu: steady.machineCpu,
      loadgenLagP99: steady.lagP99,
      loadgenLagMax: steady.lagMax,
      disconnected: steady.ended,
    },
  };
  console.log(
    [
      `Realtime fan-out, ${opts.clients} guest SSE clients on posts/* (${opts.workers} load-generator processes, ${cpus().length} cores)`,
      `  single create (median of ${single.length}): p50 ${ms(result.single.medianP50)}, p99 ${ms(result.single.medianP99)}, last client ${ms(result.single.medianLast)}   target p99 < 250 ms`,
      steady
        ? `  ${opts.rate} creates/s for ${opts.duration} s: ${steady.count}/${steady.expected} events, ${Math.round(steady.eventsPerSecond)} events/s, p50 ${ms(steady.p50)}, p99 ${ms(steady.p99)}, max ${ms(steady.max)}   target p99 < 1 s`
        : '  sustained: skipped',
      `  server memory: ${rssBefore.toFixed(0)} MB before, ${rssSubscribed.toFixed(0)} MB subscribed = ${perClientKb.toFixed(1)} KB per client   target < 30 KB`,
    ].join('\n'),
  );
  console.log(JSON.stringify(result));
}

cleanUpOnSignals(log);
try {
  await main();
} catch (err) {
  console.error(
    `[bench:realtime] failed: ${err instanceof Error ? (err instanceof BenchFailure ? err.message : err.stack) : String(err)}`,
  );
  process.exitCode = 1;
} finally {
  await runCleanups(log);
}
