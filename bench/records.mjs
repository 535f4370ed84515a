// Records API throughput: Basalt against a raw server holding the same data (Fastify +
// better-sqlite3, or Fastify + pg with --engine=postgres), measured in the same run. Scenarios
// (BENCHMARKS.md): get one by id, list 50 with `published = true && views > 500` sorted by
// `-views` (with the total count), create; and a password login (argon2id with Basalt's
// parameters on both servers; no target, issue 5 asks for the figure).
// Targets: Basalt >= 0.8x the raw baseline on get and list, >= 0.7x on create (req/s, 2xx only).
//
// Run: npm run bench:records [-- --runs=3 --duration=10 --warmup=2 --connections=32
//      --only=basalt|raw --scenarios=get,list,create --seed=1 --posts=10000
//      --build=auto|skip --settle=30 --engine=sqlite|postgres --dbUrl=postgres://...
//      --hook=none|trivial]
// --hook=trivial gives Basalt a hooks folder with one onRecordCreate handler that only calls
// `e.next()`: the cost of a bound hook on the write path.
// With --engine=postgres each server gets a new database on the server of --dbUrl (default:
// postgres://postgres@127.0.0.1:5432/test), dropped when it stops, fails or is interrupted.
// Progress goes to stderr; the table and, on the last line, the JSON summary go to stdout.
import { cpus } from 'node:os';
import { generateDataset } from './lib/dataset.mjs';
import { cleanUpOnSignals, runCleanups } from './lib/cleanup.mjs';
import { BenchFailure } from './lib/errors.mjs';
import { measure } from './lib/load.mjs';
import { formatReport, summary } from './lib/report.mjs';
import { SCENARIOS } from './lib/scenarios.mjs';
import { TARGETS, buildBasaltIfNeeded, engineOf } from './lib/servers.mjs';

const DEFAULTS = {
  runs: '1',
  duration: '10',
  warmup: '2',
  settle: '30',
  connections: '32',
  engine: 'sqlite',
  only: '',
  scenarios: SCENARIOS.map((s) => s.key).join(','),
  seed: '1',
  posts: '10000',
  users: '10',
  dbUrl: '',
  build: 'auto',
  hook: 'none',
};

function parseArgs(argv) {
  const opts = { ...DEFAULTS };
  for (const arg of argv) {
    const match = /^--([a-zA-Z]+)=(.*)$/.exec(arg);
    if (!match || !(match[1] in DEFAULTS)) {
      throw new BenchFailure(
        `unknown argument ${arg} (known: ${Object.keys(DEFAULTS)
          .map((k) => `--${k}=`)
          .join(' ')})`,
      );
    }
    opts[match[1]] = match[2];
  }
  const int = (key, min) => {
    const n = Number(opts[key]);
    if (!Number.isInteger(n) || n < min)
      throw new BenchFailure(`--${key} must be an integer >= ${min}`);
    return n;
  };
  if (!['auto', 'skip'].includes(opts.build))
    throw new BenchFailure('--build must be auto or skip');
  if (!['none', 'trivial'].includes(opts.hook))
    throw new BenchFailure('--hook must be none or trivial');
  const targets = opts.only ? opts.only.split(',') : Object.keys(TARGETS);
  for (const t of targets)
    if (!(t in TARGETS)) throw new BenchFailure(`unknown --only=${t} (basalt, raw)`);
  const keys = opts.scenarios.split(',');
  const scenarios = SCENARIOS.filter((s) => keys.includes(s.key));
  if (scenarios.length !== keys.length)
    throw new BenchFailure(`unknown --scenarios=${opts.scenarios}`);
  const { engine, options: engineOptions } = engineOf(opts.engine, { dbUrl: opts.dbUrl });
  return {
    runs: int('runs', 1),
    duration: int('duration', 1),
    warmup: int('warmup', 0),
    settle: int('settle', 0),
    connections: int('connections', 1),
    seed: int('seed', 0),
    posts: int('posts', 1),
    users: int('users', 1),
    engineName: opts.engine,
    engine,
    engineOptions: { ...engineOptions, hook: opts.hook },
    targets,
    scenarios,
    build: opts.build,
  };
}

const log = (msg) => console.error(`[bench:records] ${msg}`);

/** Starts one target and checks that it answers every scenario correctly. */
async function startTarget(name, opts, dataset) {
  log(`${name}: starting`);
  const server = await TARGETS[name]({
    engine: opts.engine,
    options: opts.engineOptions,
    dataset,
    log: (msg) => log(`${name}: ${msg}`),
  });
  try {
    for (const s of opts.scenarios) await s.check(server, dataset);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

/**
 * Both servers run side by side, and only one is under load at a time (the other is idle).
 * Each scenario's runs alternate between them, in the opposite order every other run
 * (A B, B A, A B, ...), so a machine that drifts faster or slower over minutes (shared
 * hosts do) weighs on both alike; each run's ratio compares two adjacent measurements.
 */
async function measureAll(opts, dataset) {
  const servers = {};
  const measured = {};
  try {
    for (const name of opts.targets) servers[name] = await startTarget(name, opts, dataset);
    for (const s of opts.scenarios) {
      for (let run = 1; run <= opts.runs; run++) {
        const order = run % 2 === 1 ? opts.targets : [...opts.targets].reverse();
        for (const name of order) {
          log(
            `${name}: ${s.label}, run ${run} of ${opts.runs} (${opts.warmup} s warm-up + ${opts.duration} s)`,
          );
          const result = await measure(servers[name], s, dataset, {
            ...opts,
            log: (msg) => log(`${name}: ${msg}`),
          });
          log(`${name}: ${s.label}: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms`);
          ((measured[name] ??= {})[s.key] ??= []).push(result);
        }
      }
    }
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }
  return measured;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const dataset = generateDataset({ seed: opts.seed, users: opts.users, posts: opts.posts });
  if (opts.targets.includes('basalt') && opts.build !== 'skip') await buildBasaltIfNeeded();
  const measured = await measureAll(opts, dataset);
  const result = summary(opts.scenarios, measured, {
    engine: opts.engineName,
    posts: opts.posts,
    users: opts.users,
    connections: opts.connections,
    duration: opts.duration,
    warmup: opts.warmup,
    runs: opts.runs,
    node: process.version,
    cpus: cpus().length,
    date: new Date().toISOString(),
  });
  console.log(formatReport(result));
  console.log(JSON.stringify(result));
}

cleanUpOnSignals(log);
try {
  await main();
} catch (err) {
  if (err instanceof BenchFailure) {
    console.error(`[bench:records] failed: ${err.message}`);
  } else {
    console.error(
      `[bench:records] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
  }
  process.exitCode = 1;
} finally {
  await runCleanups(log); // whatever a failure left behind: servers, directories, databases
}
