import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { pino, type Logger } from 'pino';
import { App } from '../core/app.js';
import { ApiError, isFieldError, type ErrorData } from '../core/errors.js';

/** The default data directory, relative to the working directory. */
export const DEFAULT_DIR = './basalt_data';

/** A logger writing JSON lines to stdout at BASALT_LOG_LEVEL (default `info`). */
export function cliLogger(): Logger {
  return pino({ level: process.env.BASALT_LOG_LEVEL ?? 'info' });
}

/** Where a command finds its data: the data directory and, optionally, a database server. */
export interface DataOptions {
  readonly dir: string;
  /** A database URL; BASALT_DATABASE_URL when not given; SQLite in `dir` when neither is. */
  readonly db?: string | undefined;
}

/** Adds `--dir` and `--db` to a command. */
export function addDataOptions(command: Command): Command {
  return command
    .option('--dir <dir>', 'the data directory', DEFAULT_DIR)
    .option(
      '--db <url>',
      'a database URL, postgres:// or mysql:// (default: $BASALT_DATABASE_URL, else SQLite in --dir)',
    );
}

/** `--migrationsDir`, by default `basalt_migrations` beside the data directory (as pb_migrations). */
export function migrationsDirOf(opts: {
  readonly dir: string;
  readonly migrationsDir?: string | undefined;
}): string {
  return resolve(opts.migrationsDir ?? join(dirname(resolve(opts.dir)), 'basalt_migrations'));
}

/** Adds `--migrationsDir` to a command. */
export function addMigrationsDirOption(command: Command): Command {
  return command.option(
    '--migrationsDir <dir>',
    'the migrations folder (default: basalt_migrations beside --dir)',
  );
}

/** The database URL and encryption key of a command: its options, else the environment. */
export function dataSettings(opts: DataOptions): {
  databaseUrl: string | undefined;
  encryptionKey: string | undefined;
} {
  return {
    databaseUrl: opts.db ?? process.env.BASALT_DATABASE_URL,
    encryptionKey: process.env.BASALT_ENCRYPTION_KEY,
  };
}

/** Opens the App of a data directory (and database server, when one is given). */
export function openApp(opts: DataOptions, logger?: Logger): Promise<App> {
  const { databaseUrl, encryptionKey } = dataSettings(opts);
  return App.open({
    dataDir: resolve(opts.dir),
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(encryptionKey ? { encryptionKey } : {}),
    ...(logger ? { logger } : {}),
  });
}

function describeData(data: ErrorData, prefix = ''): string[] {
  return Object.entries(data).flatMap(([key, value]) =>
    isFieldError(value)
      ? [`  ${prefix}${key}: ${value.message}`]
      : describeData(value, `${prefix}${key}.`),
  );
}

/** Prints an error for a person at a terminal and sets a failing exit code. */
export function reportCliError(error: unknown): void {
  if (error instanceof ApiError) {
    console.error(`Error: ${error.message}`);
    for (const line of describeData(error.data)) console.error(line);
  } else {
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exitCode = 1;
}
