// Builds Basalt: tsc emits dist/ (typed modules for people who embed Basalt), and esbuild
// bundles the CLI into dist/basalt.mjs, which starts about twice as fast as the unbundled
// modules because Node loads one file instead of hundreds (see bench/startup.mjs).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

/** Runs tsc for the library build; throws when it reports errors. */
export function compileTypes() {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
}

/**
 * Bundles the CLI; native addons stay external and load from node_modules. What the code
 * imports with `import()` (the PostgreSQL and MySQL drivers, nodemailer, file-type, the AWS
 * SDK) is split into chunks under dist/chunks/, so a server that never uses them never parses
 * them (bench/startup.mjs).
 */
export async function bundleCli() {
  rmSync(join(root, 'dist', 'chunks'), { recursive: true, force: true });
  await build({
    entryPoints: { basalt: join(root, 'src', 'cli', 'main.ts') },
    outdir: join(root, 'dist'),
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    external: ['better-sqlite3', 'better-sqlite3-13', '@node-rs/argon2', 'sharp', 'esbuild'],
    // CommonJS dependencies inside an ES module bundle need a real `require`.
    banner: {
      js: "import { createRequire as __basaltCreateRequire } from 'node:module';\nconst require = __basaltCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}

/** Runs the whole build; exits the process with 1 when it fails. */
export async function buildAll() {
  try {
    compileTypes();
    await bundleCli();
  } catch {
    console.error('The build failed; see the errors above.');
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await buildAll();
