import { sql } from 'kysely';
import type { DbAdapter, Executor } from './adapter.js';

/** One system migration: a unique, ordered name and the change it makes. */
export interface Migration<C> {
  readonly name: string;
  up(context: C): Promise<void>;
}

async function ensureMigrationsTable(adapter: DbAdapter): Promise<void> {
  await adapter.db.schema
    .createTable('_migrations')
    .ifNotExists()
    .addColumn('file', sql`varchar(255)`, (c) => c.primaryKey().notNull())
    .addColumn('applied', 'bigint', (c) => c.notNull())
    .execute();
}

async function isApplied(tx: Executor, name: string): Promise<boolean> {
  const row = await tx
    .selectFrom('_migrations')
    .select('file')
    .where('file', '=', name)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Applies the migrations that have not run yet, in order, each in its own transaction, while
 * holding the engine's migration lock. Each transaction checks again that its migration is
 * still pending, so two processes starting at once never apply one twice.
 * `makeContext` gives each migration what it needs on top of the transaction.
 * Returns the names of the migrations this call applied.
 */
export async function runMigrations<C>(
  adapter: DbAdapter,
  migrations: readonly Migration<C>[],
  makeContext: (tx: Executor) => C,
): Promise<string[]> {
  return adapter.withMigrationLock(async () => {
    await ensureMigrationsTable(adapter);
    const applied: string[] = [];
    for (const migration of migrations) {
      const ran = await adapter.transaction(async (tx) => {
        if (await isApplied(tx, migration.name)) return false;
        await migration.up(makeContext(tx));
        await tx
          .insertInto('_migrations')
          .values({ file: migration.name, applied: Date.now() })
          .execute();
        return true;
      });
      if (ran) applied.push(migration.name);
    }
    return applied;
  });
}
