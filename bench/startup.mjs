// Cold start and idle memory of `basalt serve`, against a raw Fastify + better-sqlite3 server
// started the same way in the same run. Targets (issue 2): cold start under 1 s on a 2-core
// machine, idle RSS under 100 MB. Run: npm run bench:startup [-- --runs=7]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 5);

function freePort() {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Starts a server, returns ms until /api/health answers 200, and RSS after 2 s idle. */
async function measure(args, dir) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args(port, dir), {
    stdio: 'ignore',
    env: { ...process.env, BASALT_LOG_LEVEL: 'warn' },
  });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (performance.now() - started > 30_000) throw new Error('server did not start in 30 s');
      await new Promise((r) => setTimeout(r, 5));
    }
    const ms = performance.now() - started;
    await new Promise((r) => setTimeout(r, 2000));
    return { ms, rss: rssMb(child.pid) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `basalt serve` on `dir`/data with the hooks folder `dir`/hooks. */
const basaltArgs = (port, dir) => [
  join(root, 'dist/basalt.mjs'),
  'serve',
  `--http=127.0.0.1:${port}`,
  `--dir=${join(dir, 'data')}`,
  `--hooksDir=${join(dir, 'hooks')}`,
];

/** A small TypeScript hooks file (bundled with esbuild at start). */
const SMALL_HOOKS = `import { defineHooks } from 'basalt';
type Hello = { readonly hello: string };
export default defineHooks((app) => {
  app.routerAdd('GET', '/api/hello', (): Hello => ({ hello: 'world' }));
});
`;

const servers = {
  basalt: basaltArgs,
  raw: (port, dir) => [join(root, 'bench/baseline/raw-health-server.mjs'), String(port), dir],
};
/** Basalt again with a hooks folder: empty (esbuild is never loaded), then one small file. */
const hooksVariants = {
  'empty basalt_hooks': (dir) => mkdirSync(join(dir, 'hooks')),
  'one hooks file': (dir) => {
    mkdirSync(join(dir, 'hooks'));
    writeFileSync(join(dir, 'hooks', 'hello.ts'), SMALL_HOOKS);
  },
};

const runners = [
  ...Object.entries(servers).map(([name, args]) => [name, args, undefined]),
  ...Object.entries(hooksVariants).map(([name, prepare]) => [name, basaltArgs, prepare]),
];

const results = {};
for (const [name, args, prepare] of runners) {
  const cold = [];
  const warm = [];
  const rss = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), `bench-${name.replace(/\W/g, '-')}-`));
    try {
      prepare?.(dir);
      const first = await measure(args, dir); // fresh directory: creates and migrates the database
      const second = await measure(args, dir); // existing directory
      cold.push(first.ms);
      warm.push(second.ms);
      rss.push(second.rss);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  results[name] = { cold: median(cold), warm: median(warm), rss: median(rss) };
}

const b = results.basalt;
const r = results.raw;
console.log(`startup benchmark, median of ${runs} runs (node ${process.version})`);
console.log('                       basalt      raw   ratio basalt/raw   target');
console.log(
  `cold start, new dir  ${b.cold.toFixed(0).padStart(6)} ms ${r.cold.toFixed(0).padStart(6)} ms ${(b.cold / r.cold).toFixed(2).padStart(8)}        < 1000 ms`,
);
console.log(
  `start, existing dir  ${b.warm.toFixed(0).padStart(6)} ms ${r.warm.toFixed(0).padStart(6)} ms ${(b.warm / r.warm).toFixed(2).padStart(8)}        < 1000 ms`,
);
console.log(
  `idle RSS             ${b.rss.toFixed(1).padStart(6)} MB ${r.rss.toFixed(1).padStart(6)} MB ${(b.rss / r.rss).toFixed(2).padStart(8)}        < 100 MB`,
);
for (const name of Object.keys(hooksVariants)) {
  const h = results[name];
  console.log(
    `with ${name.padEnd(19)} cold ${h.cold.toFixed(0).padStart(5)} ms, existing dir ${h.warm.toFixed(0).padStart(5)} ms, RSS ${h.rss.toFixed(1)} MB   (target < 1000 ms)`,
  );
}
