import { spawn, execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import autocannon from 'autocannon';
import { generateDataset, SUPERUSER } from './bench/lib/dataset.mjs';
import { setUpBasalt } from './bench/lib/basalt-setup.mjs';
const scenario = process.argv[2] ?? 'get';
const dir = '/tmp/profdir'; rmSync(dir, { recursive: true, force: true });
execFileSync('node', ['dist/basalt.mjs', 'superuser', 'upsert', SUPERUSER.email, SUPERUSER.password, `--dir=${dir}`]);
const child = spawn('node', ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', 'dist/basalt.mjs', 'serve', '--http=127.0.0.1:8199', `--dir=${dir}`], { env: { ...process.env, BASALT_LOG_LEVEL: 'warn' }, stdio: 'inherit' });
const base = 'http://127.0.0.1:8199';
for (;;) { if (await fetch(base + '/api/health').then(r => r.ok, () => false)) break; await new Promise(r => setTimeout(r, 50)); }
const ds = generateDataset({ posts: 2000 });
const token = await setUpBasalt(base, ds, () => {});
let i = 0;
const opts = scenario === 'get'
  ? { requests: [{ setupRequest: (r) => ({ ...r, path: `/api/collections/posts/records/${ds.posts[i++ % ds.posts.length].id}` }) }] }
  : { requests: [{ method: 'POST', path: '/api/collections/posts/records', headers: { 'content-type': 'application/json', authorization: token }, body: JSON.stringify(ds.createBody) }] };
const res = await autocannon({ url: base, connections: 32, duration: 6, ...opts });
console.log(scenario, 'rps', res.requests.average, 'p99', res.latency.p99, 'non2xx', res.non2xx);
child.kill('SIGINT');
await new Promise(r => child.on('exit', r));
