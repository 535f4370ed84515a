import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { hasSuperuser } from '../core/auth/superuser-admin.js';
import { createBasalt, type BasaltOptions } from '../http/basalt.js';
import {
  addDataOptions,
  addMigrationsDirOption,
  cliLogger,
  dataSettings,
  migrationsDirOf,
  reportCliError,
  type DataOptions,
} from './shared-options.js';

/** Parses `host:port` (or `:port`, or a bare port) of `--http`. */
export function parseHttpAddress(text: string): { host: string; port: number } {
  const match = /^(?:(.*):)?(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || !Number.isInteger(port) || port > 65535) {
    throw new Error(`Invalid --http address "${text}"; expected host:port, e.g. 127.0.0.1:8090.`);
  }
  const host = (match[1] ?? '').replace(/^\[(.*)\]$/, '$1');
  return { host: host === '' ? '0.0.0.0' : host, port };
}

/** How long requests in flight may take to finish on SIGINT/SIGTERM, by default, in seconds. */
const DEFAULT_SHUTDOWN_GRACE_S = '10';

/** The options of `serve`. */
export interface ServeOptions extends DataOptions {
  readonly http: string;
  readonly shutdownGrace: string;
  readonly hooksDir?: string;
  readonly migrationsDir?: string;
  readonly dev?: boolean;
  readonly idempotencyLease?: string;
  readonly types?: string;
}

/** `--hooksDir`, by default `basalt_hooks` beside the data directory (as pb_hooks beside pb_data). */
export function hooksDirOf(opts: { readonly dir: string; readonly hooksDir?: string }): string {
  return resolve(opts.hooksDir ?? join(dirname(resolve(opts.dir)), 'basalt_hooks'));
}

/** Parses a number of seconds (fractions allowed, 0 to 3600) into milliseconds. */
function parseSeconds(flag: string, text: string): number {
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds < 0 || seconds > 3600) {
    throw new Error(`Invalid ${flag} "${text}"; expected seconds from 0 to 3600.`);
  }
  return Math.round(seconds * 1000);
}

/** Parses `--shutdown-grace` (seconds, fractions allowed) into milliseconds. */
export function parseShutdownGrace(text: string): number {
  return parseSeconds('--shutdown-grace', text);
}

/**
 * The types file `serve` keeps current: `--types`, else with `--dev` the hooks' types in
 * `<hooksDir>/basalt-types.d.ts` when the hooks folder exists (no SDK part: a hooks folder
 * needs no `pocketbase` package).
 */
export function typesOf(opts: ServeOptions, hooksDir: string): BasaltOptions['types'] {
  if (opts.types !== undefined) return { file: resolve(opts.types) };
  if (opts.dev !== true || !existsSync(hooksDir)) return undefined;
  return { file: join(hooksDir, 'basalt-types.d.ts'), options: { sdk: false } };
}

async function serve(opts: ServeOptions): Promise<void> {
  const address = parseHttpAddress(opts.http);
  const graceMs = parseShutdownGrace(opts.shutdownGrace);
  const logger = cliLogger();
  const { databaseUrl, encryptionKey } = dataSettings(opts);
  const hooksDir = hooksDirOf(opts);
  const basalt = await createBasalt({
    dataDir: opts.dir,
    db: databaseUrl,
    encryptionKey,
    logger,
    hooksDir,
    migrationsDir: migrationsDirOf(opts),
    dev: opts.dev === true,
    types: typesOf(opts, hooksDir),
    idempotencyLeaseMs:
      opts.idempotencyLease === undefined
        ? undefined
        : parseSeconds('--idempotency-lease', opts.idempotencyLease),
  });
  const { app } = basalt;
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    basalt.close({ graceMs }).catch((error: unknown) => {
      logger.error({ err: error }, 'shutdown failed');
      process.exitCode = 1;
    });
  };
  process.once('SIGINT', () => {
    shutdown('SIGINT');
  });
  process.once('SIGTERM', () => {
    shutdown('SIGTERM');
  });
  await basalt.listen({ host: address.host, port: address.port });
  const shownHost = address.host.includes(':') ? `[${address.host}]` : address.host;
  console.log(
    `\nBasalt is running.\n  REST API: http://${shownHost}:${String(address.port)}/api/\n`,
  );
  if (!(await hasSuperuser(app))) {
    console.log(
      'No superuser exists yet. Create one with:\n' +
        `  npx basalt superuser upsert EMAIL PASSWORD --dir=${resolve(opts.dir)}\n`,
    );
  }
}

/**
 * `basalt serve [--http=127.0.0.1:8090] [--dir=./basalt_data] [--db=postgres://...]
 * [--hooksDir=./basalt_hooks] [--migrationsDir=./basalt_migrations] [--dev]`.
 */
export function registerServeCommand(program: Command): void {
  const command = program
    .command('serve')
    .description('Start the HTTP server.')
    .option('--http <address>', 'the address to listen on', '127.0.0.1:8090')
    .option(
      '--shutdown-grace <seconds>',
      'on SIGTERM/SIGINT, how long requests in flight may take to finish',
      DEFAULT_SHUTDOWN_GRACE_S,
    )
    .option('--hooksDir <dir>', 'the hooks folder (default: basalt_hooks beside --dir)')
    .option(
      '--dev',
      'reload the hooks folder on change; write a migration for each collection change made through the API; keep basalt_hooks/basalt-types.d.ts current',
    )
    .option('--types <file>', "keep this TypeScript file holding the collections' types")
    .option(
      '--idempotency-lease <seconds>',
      'how long an Idempotency-Key stays claimed by a request in flight (default 60)',
    );
  addMigrationsDirOption(command);
  addDataOptions(command).action(async (opts: ServeOptions) => {
    try {
      await serve(opts);
    } catch (error) {
      reportCliError(error);
    }
  });
}
