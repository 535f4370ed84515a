import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort, waitForHealth } from '../helpers/basalt-process.js';

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'basalt.mjs');
const TRACE = join(import.meta.dirname, '..', 'helpers', 'module-trace.mjs');

/**
 * Packages a SQLite server that sends no mail, stores no files and has an empty hooks folder
 * must never load.
 */
const UNUSED_ON_SQLITE = ['pg', 'pg-pool', 'mysql2', 'nodemailer', 'sharp', 'file-type', 'esbuild'];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'basalt-startup-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The package a source path of a source map belongs to, or undefined for Basalt's own code. */
function packageOf(source: string): string | undefined {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source);
  return m?.[1];
}

/** The packages in a loaded file: itself when it is a package file, else its source map's. */
function packagesIn(url: string): string[] {
  if (!url.startsWith('file:')) return [];
  const path = fileURLToPath(url);
  const own = packageOf(path);
  if (own) return [own];
  const map = `${path}.map`;
  if (!existsSync(map)) return [];
  const parsed = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
  return parsed.sources.flatMap((s) => packageOf(s) ?? []);
}

describe('start-up weight', () => {
  it('a SQLite server loads no database driver, mailer or image library it does not use', async () => {
    const port = await freePort();
    const trace = join(dir, 'modules.txt');
    mkdirSync(join(dir, 'basalt_hooks')); // the default hooks folder, beside --dir, empty
    const child = spawn(
      process.execPath,
      ['--import', TRACE, BIN, 'serve', `--http=127.0.0.1:${String(port)}`, `--dir=${dir}/data`],
      { env: { ...process.env, BASALT_LOG_LEVEL: 'warn', BASALT_MODULE_TRACE: trace } },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      expect(await waitForHealth(`http://127.0.0.1:${String(port)}`)).toBe(true);
      const list = await fetch(`http://127.0.0.1:${String(port)}/api/collections/users/records`);
      expect(list.status).toBeLessThan(500);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);

    const urls = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
    const loaded = new Set(urls.flatMap(packagesIn));
    // The trace sees the bundle's own sources and the external packages it imports.
    expect(urls.some((u) => u.endsWith('/dist/basalt.mjs'))).toBe(true);
    expect(loaded).toContain('fastify');
    expect(loaded).toContain('@node-rs/argon2');
    for (const name of UNUSED_ON_SQLITE) expect(loaded, name).not.toContain(name);
  });
});
