import { appliedMigrations, forgetApplied, isApplied, recordApplied } from '../../db/migrator.js';
import type { App } from '../app.js';
import { ApiError, isFieldError, type ErrorData } from '../errors.js';
import { noTimeLimit } from '../transaction-call.js';
import { migrationApp, type MigrationDefinition } from './migration-app.js';

/**
 * The name of an app migration file (`*.ts|*.js`, as recorded in `_migrations`); the system
 * migrations' names (`0001_system_tables`) never match, so the two are never confused.
 */
export const APP_MIGRATION_FILE = /^[^.][^/\\]*(?<!\.d)\.[cm]?[jt]s$/;

/** One loaded migration file of the app's migrations folder. */
export interface AppMigration {
  /** The file name, as recorded in `_migrations`: `1733580000_created_posts.ts`. */
  readonly file: string;
  readonly definition: MigrationDefinition;
}

/** An app's migrations folder, as the runner sees it. */
export interface MigrationSource {
  /** The migration files' names, in the order they apply (by name). */
  readonly files: readonly string[];
  /** Loads (builds and imports) the given files, in the given order. */
  load(files: readonly string[]): Promise<AppMigration[]>;
  /** Where `error`, thrown by `file`'s up or down, happened: `basalt_migrations/x.ts:12:5`. */
  locate(file: string, error: unknown): string;
}

function describeData(data: ErrorData, prefix = ''): string[] {
  return Object.entries(data).flatMap(([key, value]) =>
    isFieldError(value)
      ? [`${prefix}${key}: ${value.message}`]
      : describeData(value, `${prefix}${key}.`),
  );
}

/** An error's message, with an ApiError's field errors. */
function detailOf(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = describeData(error.data);
    return fields.length > 0 ? `${error.message} (${fields.join('; ')})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * A migration's `up` or `down` failed: its transaction rolled back (the schema and the data
 * as before, nothing recorded). The message starts with the file (and line when known).
 */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';

  constructor(
    /** The file name, as in `_migrations`. */
    readonly file: string,
    readonly action: 'apply' | 'revert',
    location: string,
    cause: unknown,
  ) {
    super(`${location}: failed to ${action} the migration: ${detailOf(cause)}`, { cause });
  }
}

/**
 * Runs one migration's `up` (or `down`) in a transaction of its own, in which collection
 * changes are allowed, holding the schema gate alone; records (or forgets) it in the same
 * transaction, after checking it is still pending (or applied). Returns false when another
 * process did it first.
 */
async function runOne(
  app: App,
  source: MigrationSource,
  migration: AppMigration,
  action: 'apply' | 'revert',
): Promise<boolean> {
  const { file, definition } = migration;
  try {
    return await app.schemaGate.exclusive(() =>
      app.transaction(async (scope) => {
        app.schemaGate.allowChangesIn(scope);
        // The migration's collection changes were visible in the registry: forget them.
        scope.afterRollback(() => app.collections.reload(app.db.db));
        const recorded = await isApplied(scope.db, file);
        if (recorded === (action === 'apply')) return false;
        if (action === 'apply') {
          await definition.up(migrationApp(app, scope));
          await recordApplied(scope.db, file);
        } else {
          await definition.down?.(migrationApp(app, scope));
          await forgetApplied(scope.db, file);
        }
        return true;
      }, noTimeLimit()),
    );
  } catch (error) {
    throw new MigrationError(file, action, source.locate(file, error), error);
  }
}

/**
 * Applies the migration files not recorded in `_migrations`, in name order, each in its own
 * transaction, holding the migration lock (two processes starting at once apply each once).
 * Files are loaded only when some are pending. The first failure rolls its migration back and
 * rejects with a MigrationError naming the file; the ones before it stay applied. Returns the
 * files applied.
 */
export async function migrateUp(app: App, source: MigrationSource): Promise<string[]> {
  if (source.files.length === 0) return [];
  return app.db.withMigrationLock(async () => {
    // Another process may have applied some while this one waited for the lock: the
    // collections this App loaded at open would be out of date.
    await app.collections.reload(app.db.db);
    const applied = new Set(await appliedMigrations(app.db.db));
    const pending = source.files.filter((f) => !applied.has(f));
    if (pending.length === 0) return [];
    const done: string[] = [];
    for (const migration of await source.load(pending)) {
      if (await runOne(app, source, migration, 'apply')) done.push(migration.file);
    }
    if (done.length > 0) app.logger.info({ migrations: done }, 'applied migrations');
    return done;
  });
}

/**
 * Reverts the last `count` applied migrations whose files exist (the last applied first),
 * each in its own transaction: its `down` (none: nothing to undo), then its record removed.
 * Returns the files reverted.
 */
export async function migrateDown(
  app: App,
  source: MigrationSource,
  count: number,
): Promise<string[]> {
  return app.db.withMigrationLock(async () => {
    const present = new Set(source.files);
    const applied = await appliedMigrations(app.db.db);
    const last = applied.filter((f) => present.has(f)).slice(0, Math.max(0, count));
    if (last.length === 0) return [];
    const done: string[] = [];
    for (const migration of await source.load(last)) {
      if (await runOne(app, source, migration, 'revert')) done.push(migration.file);
    }
    return done;
  });
}

/**
 * Removes from `_migrations` the records of app migration files that no longer exist (as
 * PocketBase's `migrate history-sync`); system migrations are never touched. Returns them.
 */
export async function syncMigrationHistory(app: App, source: MigrationSource): Promise<string[]> {
  return app.db.withMigrationLock(async () => {
    const present = new Set(source.files);
    const applied = await appliedMigrations(app.db.db);
    const missing = applied.filter((f) => APP_MIGRATION_FILE.test(f) && !present.has(f));
    await app.transaction(async (scope) => {
      for (const file of missing) await forgetApplied(scope.db, file);
    });
    return missing;
  });
}

/** The app migrations recorded as applied, the last applied first. */
export async function appliedAppMigrations(app: App): Promise<string[]> {
  return (await appliedMigrations(app.db.db)).filter((f) => APP_MIGRATION_FILE.test(f));
}
