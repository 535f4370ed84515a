import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect } from 'vitest';
import { createEngineDatabase, type EngineDatabase } from './test-engine.js';

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'basalt.mjs');

/** How a run of the `basalt` binary ended. */
export interface CliResult {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** A fresh data directory and an empty database on the run's engine, for one test. */
export interface CliSandbox {
  readonly dir: string;
  /** The database's URL (empty on SQLite). */
  readonly url: string;
  /** Runs the built `basalt` binary with `--dir` set to the sandbox's directory. */
  run(args: readonly string[], env?: Record<string, string>): CliResult;
}

function runBasalt(dir: string, args: readonly string[], env: Record<string, string>): CliResult {
  const res = spawnSync(process.execPath, [BIN, ...args, `--dir=${dir}`], {
    encoding: 'utf8',
    env: { ...process.env, BASALT_LOG_LEVEL: 'warn', ...env },
  });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

/**
 * Gives every test of the calling file its own sandbox (made before it, removed after it) and
 * returns the accessor of the current one.
 */
export function useCliSandbox(prefix: string): () => CliSandbox {
  let current: { sandbox: CliSandbox; database: EngineDatabase } | undefined;
  beforeEach(async () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    const database = await createEngineDatabase();
    const sandbox = {
      dir,
      url: database.url ?? '',
      run: (args: readonly string[], env: Record<string, string> = {}) => runBasalt(dir, args, env),
    };
    current = { sandbox, database };
  });
  afterEach(async () => {
    if (!current) return;
    await current.database.drop();
    rmSync(current.sandbox.dir, { recursive: true, force: true });
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('A CLI sandbox exists only while a test runs.');
    return current.sandbox;
  };
}

/**
 * Checks that `basalt serve` refuses, with a clear error and a non-zero exit, the sandbox's
 * server on a port where nothing listens and a login as `user` (which must not exist), never
 * showing the password.
 */
export function expectRefusedConnections(sandbox: CliSandbox, user: string): void {
  const unreachable = new URL(sandbox.url);
  unreachable.port = '1';
  const refused = sandbox.run(['serve', `--db=${unreachable.toString()}`]);
  expect(refused.code).not.toBe(0);
  expect(refused.err).toContain('Cannot connect to');

  const wrongUser = new URL(sandbox.url);
  wrongUser.username = user;
  wrongUser.password = 'secret-value';
  const denied = sandbox.run(['serve', `--db=${wrongUser.toString()}`]);
  expect(denied.code).not.toBe(0);
  expect(denied.err).toContain(user);
  expect(denied.err).not.toContain('secret-value');
}

/**
 * Creates a superuser through `--db=<sandbox url>`, lets `check` look at the database, then
 * updates the password through `BASALT_DATABASE_URL=<envUrl>` (the same database).
 */
export async function expectDbUrlAndEnvWork(
  sandbox: CliSandbox,
  envUrl: string,
  check: () => Promise<void>,
): Promise<void> {
  const args = ['superuser', 'upsert', 'a@example.com'];
  const first = sandbox.run([...args, 'long-password-1', `--db=${sandbox.url}`]);
  expect(first).toMatchObject({ code: 0 });
  await check();
  const second = sandbox.run([...args, 'long-password-2'], { BASALT_DATABASE_URL: envUrl });
  expect(second.out).toContain('Updated the password');
}

/** The tables of a new Basalt database (system tables and `users`), sorted by name. */
export const BASALT_TABLES: readonly string[] = [
  '_authIds',
  '_authOrigins',
  '_collections',
  '_cronTicks',
  '_externalAuths',
  '_idempotencyKeys',
  '_jobs',
  '_mfas',
  '_migrations',
  '_otps',
  '_params',
  '_superusers',
  'users',
];
