import { sql } from 'kysely';
import type { DbAdapter, Executor, SchemaRecovery } from './adapter.js';

/** One system migration: a unique, ordered name and the change it makes. */
export interface Migration<C> {
  readonly name: string;
  up(context: C): Promise<void>;
}

/** A database that holds tables but is not a Basalt database: Basalt writes nothing to it. */
export class ForeignDatabaseError extends Error {}

/** Names (of tables, migrations...) for a message: the first five, then `...`. */
export function shownNames(names: readonly string[]): string {
  return names.slice(0, 5).join(', ') + (names.length > 5 ? ', ...' : '');
}

async function assertBasaltOrEmpty(adapter: DbAdapter): Promise<void> {
  const tables = await adapter.listTables(adapter.db);
  if (tables.length === 0 || tables.includes('_migrations')) return;
  throw new ForeignDatabaseError(
    `The database holds tables that Basalt does not own (${shownNames(tables)}); use an empty database.`,
  );
}

async function ensureMigrationsTable(exec: Executor): Promise<void> {
  await exec.schema
    .createTable('_migrations')
    .ifNotExists()
    .addColumn('file', sql`varchar(255)`, (c) => c.primaryKey().notNull())
    .addColumn('applied', 'bigint', (c) => c.notNull())
    .execute();
}

/** Whether `_migrations` records the migration `name` as applied. */
export async function isApplied(tx: Executor, name: string): Promise<boolean> {
  const row = await tx
    .selectFrom('_migrations')
    .select('file')
    .where('file', '=', name)
    .executeTakeFirst();
  return row !== undefined;
}

/** Records the migration `name` as applied now. */
export async function recordApplied(tx: Executor, name: string): Promise<void> {
  await tx.insertInto('_migrations').values({ file: name, applied: Date.now() }).execute();
}

/** Removes the record of the migration `name` (reverted, or its file is gone). */
export async function forgetApplied(tx: Executor, name: string): Promise<void> {
  await tx.deleteFrom('_migrations').where('file', '=', name).execute();
}

/**
 * The recorded migrations, the most recently applied first (ties: the greater name first, as
 * migrations of one run are applied in name order).
 */
export async function appliedMigrations(exec: Executor): Promise<string[]> {
  const rows = await exec
    .selectFrom('_migrations')
    .select('file')
    .orderBy('applied', 'desc')
    .orderBy('file', 'desc')
    .execute();
  return rows.map((r) => r.file);
}

/** Applies one migration inside `tx` and records it, unless `_migrations` says it ran already. */
async function applyMigration<C>(
  tx: Executor,
  migration: Migration<C>,
  makeContext: (tx: Executor) => C,
): Promise<boolean> {
  if (await isApplied(tx, migration.name)) return false;
  await migration.up(makeContext(tx));
  await recordApplied(tx, migration.name);
  return true;
}

/**
 * Applies every pending migration inside the caller's transaction `tx`, creating
 * `_migrations` when missing: for tools that build a whole database in one transaction
 * (`migrate-data`). The caller holds the migration lock and has checked the database.
 */
export async function applyMigrationsIn<C>(
  tx: Executor,
  migrations: readonly Migration<C>[],
  makeContext: (tx: Executor) => C,
): Promise<void> {
  await ensureMigrationsTable(tx);
  for (const migration of migrations) await applyMigration(tx, migration, makeContext);
}

/**
 * Recovers the schema changes that a stopped process left half made (see
 * DbAdapter#recoverSchemaChanges), holding the migration lock so that two starting processes
 * never recover at once. Nothing is written to a database that Basalt does not own
 * (ForeignDatabaseError). Undefined on engines with transactional DDL.
 */
export async function recoverSchemaChanges(
  adapter: DbAdapter,
): Promise<SchemaRecovery | undefined> {
  if (!adapter.recoverSchemaChanges) return undefined;
  return adapter.withMigrationLock(async () => {
    await assertBasaltOrEmpty(adapter);
    return adapter.recoverSchemaChanges?.();
  });
}

/**
 * Applies the migrations that have not run yet, in order, each in its own transaction, while
 * holding the engine's migration lock. Each transaction checks again that its migration is
 * still pending, so two processes starting at once never apply one twice. A database with
 * tables but no `_migrations` is refused (ForeignDatabaseError) before anything is written.
 * `makeContext` gives each migration what it needs on top of the transaction.
 * Returns the names of the migrations this call applied.
 */
export async function runMigrations<C>(
  adapter: DbAdapter,
  migrations: readonly Migration<C>[],
  makeContext: (tx: Executor) => C,
): Promise<string[]> {
  return adapter.withMigrationLock(async () => {
    await assertBasaltOrEmpty(adapter);
    await ensureMigrationsTable(adapter.db);
    const applied: string[] = [];
    for (const migration of migrations) {
      const ran = await adapter.transaction((tx) => applyMigration(tx, migration, makeContext));
      if (ran) applied.push(migration.name);
    }
    return applied;
  });
}
