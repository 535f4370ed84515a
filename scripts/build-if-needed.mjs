// Builds dist/ when it is missing or older than any source file, so that `npm start` and
// `npm test` work on a fresh clone without a separate build step.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildAll } from './build.mjs';

const root = new URL('..', import.meta.url).pathname;
const outputs = [join(root, 'dist', 'basalt.mjs'), join(root, 'dist', 'index.js')];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (time > newest) newest = time;
  }
  return newest;
}

const sources = Math.max(
  newestMtime(join(root, 'src')),
  ...['tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'scripts/build.mjs'].map(
    (f) => statSync(join(root, f)).mtimeMs,
  ),
);
const stale = outputs.some((out) => !existsSync(out) || statSync(out).mtimeMs < sources);
if (stale) {
  console.error('Building Basalt...');
  await buildAll();
}
