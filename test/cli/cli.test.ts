import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort, waitForHealth } from '../helpers/basalt-process.js';

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'basalt.mjs');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'basalt-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function basalt(args: string[], input?: string) {
  const res = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, BASALT_LOG_LEVEL: 'warn' },
  });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

describe('basalt CLI', () => {
  it('has --help on every command', () => {
    for (const args of [
      ['--help'],
      ['serve', '--help'],
      ['superuser', '--help'],
      ['superuser', 'upsert', '--help'],
      ['superuser', 'delete', '--help'],
      ['migrate-data', '--help'],
      ['typegen', '--help'],
    ]) {
      const res = basalt(args);
      expect(res.code, args.join(' ')).toBe(0);
      expect(res.out).toContain('Usage: basalt');
    }
    expect(basalt(['serve', '--help']).out).toContain('--http <address>');
    expect(basalt(['migrate-data', '--help']).out).toContain('--from <dir|url>');
    expect(basalt(['typegen', '--help']).out).toContain('--out <file>');
  });

  it('manages superusers', () => {
    const d = `--dir=${dir}`;
    expect(basalt(['superuser', 'upsert', 'a@example.com', 'first-password', d])).toMatchObject({
      code: 0,
      out: 'Created superuser a@example.com.\n',
    });
    expect(basalt(['superuser', 'upsert', 'a@example.com', 'second-password', d]).out).toContain(
      'Updated the password',
    );
    const dup = basalt(['superuser', 'create', 'a@example.com', 'third-password', d]);
    expect(dup.code).toBe(1);
    expect(dup.err).toContain('email: Value must be unique.');
    const bad = basalt(['superuser', 'create', 'not-an-email', 'short', d]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('email: Must be a valid email address.');
    expect(bad.err).toContain('password: Must be at least 8 character(s).');
    expect(basalt(['superuser', 'create', 'b@example.com', d], 'piped-password-1\n')).toMatchObject(
      { code: 0 },
    );
    expect(basalt(['superuser', 'update', 'b@example.com', 'changed-password', d]).code).toBe(0);
    expect(basalt(['superuser', 'delete', 'b@example.com', d]).code).toBe(0);
    expect(basalt(['superuser', 'delete', 'b@example.com', d]).code).toBe(1);
  });

  it('serves the API and tells how to create the first superuser', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [BIN, 'serve', `--http=127.0.0.1:${String(port)}`, `--dir=${dir}`],
      {
        env: { ...process.env, BASALT_LOG_LEVEL: 'warn' },
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      expect(await waitForHealth(`http://127.0.0.1:${String(port)}`)).toBe(true);
      expect(out).toContain(`REST API: http://127.0.0.1:${String(port)}/api/`);
      expect(out).toContain(`npx basalt superuser upsert EMAIL PASSWORD --dir=${dir}`);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('fails clearly on a bad --http address', () => {
    const res = basalt(['serve', '--http=nonsense', `--dir=${dir}`]);
    expect(res.code).toBe(1);
    expect(res.err).toContain('Invalid --http address');
  });
});
