import { join, relative } from 'node:path';
import type { Command } from 'commander';
import type { App } from '../core/app.js';
import { migrateDown, migrateUp, syncMigrationHistory } from '../core/migrations/app-migrations.js';
import { writeMigrationFile } from '../core/migrations/migration-files.js';
import { blankMigration, snakeCase } from '../core/migrations/migration-template.js';
import { migrationsFolder } from '../http/migrations-folder.js';
import {
  addDataOptions,
  addMigrationsDirOption,
  cliLogger,
  migrationsDirOf,
  openApp,
  reportCliError,
  type DataOptions,
} from './shared-options.js';

/** The options of every `migrate` subcommand. */
interface MigrateOptions extends DataOptions {
  readonly migrationsDir?: string;
}

/** Opens the App (system migrations applied), runs `fn` with the migrations folder, closes. */
async function withFolder(
  opts: MigrateOptions,
  fn: (app: App, dir: string) => Promise<void>,
): Promise<void> {
  const logger = cliLogger();
  const app = await openApp(opts, logger);
  try {
    await fn(app, migrationsDirOf(opts));
  } finally {
    await app.close();
  }
}

/** Parses `migrate down [n]`: a whole number from 1 (default 1). */
export function parseRevertCount(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new Error(`Invalid count "${text}"; expected how many migrations to revert, e.g. 1.`);
  }
  return n;
}

async function up(opts: MigrateOptions): Promise<void> {
  await withFolder(opts, async (app, dir) => {
    const applied = await migrateUp(app, migrationsFolder(app, dir));
    if (applied.length === 0) console.log('No new migrations to apply.');
    for (const file of applied) console.log(`Applied ${file}`);
  });
}

async function down(count: string | undefined, opts: MigrateOptions): Promise<void> {
  const n = parseRevertCount(count);
  await withFolder(opts, async (app, dir) => {
    const reverted = await migrateDown(app, migrationsFolder(app, dir), n);
    if (reverted.length === 0) console.log('No migrations to revert.');
    for (const file of reverted) console.log(`Reverted ${file}`);
  });
}

async function historySync(opts: MigrateOptions): Promise<void> {
  await withFolder(opts, async (app, dir) => {
    const removed = await syncMigrationHistory(app, migrationsFolder(app, dir));
    for (const file of removed) console.log(`Removed the record of ${file} (no such file).`);
    console.log('The _migrations table is in sync with the migration files.');
  });
}

function create(name: string, opts: MigrateOptions): void {
  const action = snakeCase(name);
  if (action === '') {
    throw new Error(`Invalid migration name "${name}"; use letters and digits, e.g. add_posts.`);
  }
  const dir = migrationsDirOf(opts);
  const file = writeMigrationFile(dir, { action, text: blankMigration() });
  console.log(`Created ${relative(process.cwd(), join(dir, file)) || file}`);
}

/** Runs a command's action, reporting its error (exit code 1). */
function reporting<A extends unknown[]>(
  action: (...args: A) => Promise<void> | void,
): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await action(...args);
    } catch (error) {
      reportCliError(error);
    }
  };
}

/** Adds `--migrationsDir`, `--dir` and `--db` to a subcommand. */
function withOptions(command: Command): Command {
  return addDataOptions(addMigrationsDirOption(command));
}

/**
 * `basalt migrate [up] | down [n] | create NAME | history-sync` (PocketBase's `migrate`): the
 * app's migrations folder (`--migrationsDir`, default `basalt_migrations` beside `--dir`).
 */
export function registerMigrateCommand(program: Command): void {
  const migrate = program
    .command('migrate')
    .description('Apply, revert or create the app migrations (basalt_migrations/).');
  withOptions(
    migrate
      .command('up', { isDefault: true })
      .description('Apply the migrations not applied yet, in file name order.'),
  ).action(reporting((opts: MigrateOptions) => up(opts)));
  withOptions(
    migrate
      .command('down')
      .argument('[n]', 'how many to revert', undefined)
      .description('Revert the last n applied migrations (default 1), the last first.'),
  ).action(reporting((n: string | undefined, opts: MigrateOptions) => down(n, opts)));
  withOptions(
    migrate
      .command('create')
      .argument('<name>', 'what the migration does, e.g. add_posts')
      .description('Write an empty migration file <unix time>_<name>.ts.'),
  ).action(
    reporting((name: string, opts: MigrateOptions) => {
      create(name, opts);
    }),
  );
  withOptions(
    migrate
      .command('history-sync')
      .description('Forget the applied migrations whose files no longer exist.'),
  ).action(reporting((opts: MigrateOptions) => historySync(opts)));
}
