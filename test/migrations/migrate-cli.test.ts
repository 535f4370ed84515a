import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliSandbox, type CliResult } from '../helpers/cli-sandbox.js';
import { migrationSource } from './migrations-dir.js';

// `basalt migrate up|down|create|history-sync` (the built CLI), every engine.

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'basalt.mjs');
const sandbox = useCliSandbox('basalt-migrate-cli-');

const CREATE_NOTES = migrationSource(
  "    await app.createCollection({ name: 'notes', type: 'base', fields: [{ name: 'text', type: 'text' }] });",
  "    await app.deleteCollection('notes');",
);

/** The sandbox's migrations folder (made on first use) and the options naming it and the db. */
function setup(): { dir: string; args: string[] } {
  const s = sandbox();
  const dir = join(s.dir, 'basalt_migrations');
  mkdirSync(dir, { recursive: true });
  const args = [`--migrationsDir=${dir}`, ...(s.url === '' ? [] : [`--db=${s.url}`])];
  return { dir, args };
}

function migrate(...args: string[]): CliResult {
  const { args: options } = setup();
  return sandbox().run(['migrate', ...args, ...options]);
}

/** Runs `basalt migrate up` as a child process without waiting for it. */
function spawnUp(): Promise<CliResult> {
  const { args } = setup();
  const child = spawn(process.execPath, [BIN, 'migrate', 'up', ...args, `--dir=${sandbox().dir}`], {
    env: { ...process.env, BASALT_LOG_LEVEL: 'warn' },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      resolve({ code, out, err });
    });
  });
}

describe('basalt migrate', { timeout: 240_000 }, () => {
  it('create writes an empty template named <unix time>_<snake_case name>.ts', () => {
    const { dir } = setup();
    const res = migrate('create', 'AddPosts index');
    expect(res.code).toBe(0);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{10}_add_posts_index\.ts$/);
    expect(res.out).toContain(`Created `);
    expect(res.out).toContain(files[0]);
    const text = readFileSync(join(dir, files[0] ?? ''), 'utf8');
    expect(text).toContain('export default defineMigration({');
    expect(text).toContain('async down(app) {');
    // The template applies (it does nothing) and a bad name is refused.
    expect(migrate('up').out).toContain(`Applied ${files[0] ?? ''}`);
    const bad = migrate('create', '!!!');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('Invalid migration name');
  });

  it('up, down and history-sync: messages and exit codes', () => {
    const { dir } = setup();
    writeFileSync(join(dir, '1700000001_create_notes.ts'), CREATE_NOTES);
    const up = migrate('up');
    expect(up).toMatchObject({ code: 0 });
    expect(up.out).toContain('Applied 1700000001_create_notes.ts');
    expect(migrate('up').out).toContain('No new migrations to apply.');
    expect(migrate().out).toContain('No new migrations to apply.'); // `up` is the default

    writeFileSync(
      join(dir, '1700000002_broken.ts'),
      migrationSource(
        "    await app.createCollection({ name: 'x', type: 'base' });\n    throw new Error('boom');",
      ),
    );
    const failed = migrate('up');
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('basalt_migrations/1700000002_broken.ts:6:');
    expect(failed.err).toContain('boom');
    rmSync(join(dir, '1700000002_broken.ts'));

    const down = migrate('down');
    expect(down).toMatchObject({ code: 0 });
    expect(down.out).toContain('Reverted 1700000001_create_notes.ts');
    expect(migrate('down', '1').out).toContain('No migrations to revert.');
    const badCount = migrate('down', 'abc');
    expect(badCount.code).toBe(1);
    expect(badCount.err).toContain('Invalid count "abc"');

    expect(migrate('up').out).toContain('Applied 1700000001_create_notes.ts');
    rmSync(join(dir, '1700000001_create_notes.ts'));
    const sync = migrate('history-sync');
    expect(sync).toMatchObject({ code: 0 });
    expect(sync.out).toContain('Removed the record of 1700000001_create_notes.ts');
    expect(migrate('down').out).toContain('No migrations to revert.');
  });

  it('two processes migrating at once apply each migration once', async () => {
    const { dir } = setup();
    writeFileSync(join(dir, '1700000001_create_notes.ts'), CREATE_NOTES);
    writeFileSync(
      join(dir, '1700000002_more.ts'),
      migrationSource("    await app.createCollection({ name: 'more', type: 'base' });"),
    );
    const results = await Promise.all([spawnUp(), spawnUp()]);
    for (const r of results) expect(r, r.err).toMatchObject({ code: 0 });
    const out = results.map((r) => r.out).join('\n');
    expect(out.match(/Applied 1700000001_create_notes\.ts/g)).toHaveLength(1);
    expect(out.match(/Applied 1700000002_more\.ts/g)).toHaveLength(1);
  });
});
