import type { DbAdapter, Executor } from '../../db/adapter.js';
import { applyMigrationsIn, shownNames } from '../../db/migrator.js';
import type { App } from '../app.js';
import type { Collection } from '../collection/collection-model.js';
import {
  createCollectionTable,
  dropCollectionTable,
} from '../collection/collection-schema-sync.js';
import { loadCollections } from '../collection/collection-store.js';
import { buildView, viewsInDependencyOrder, ViewBuildError } from '../collection/view-build.js';
import { SYSTEM_MIGRATIONS } from '../migrations/system-migrations.js';
import { DataCopyError } from './data-copy-source.js';

/**
 * Refuses a target that holds any table: a Basalt database (never overwritten) or tables
 * Basalt does not own. Nothing has been written when this throws.
 */
export async function assertEmptyTarget(adapter: DbAdapter, exec: Executor): Promise<void> {
  const tables = [...(await adapter.listTables(exec)), ...(await adapter.listViews(exec))];
  if (tables.length === 0) return;
  const advice = 'migrate-data copies into an empty database only.';
  throw new DataCopyError(
    tables.includes('_migrations')
      ? `The target already holds a Basalt database; ${advice}`
      : `The target holds tables that Basalt does not own (${shownNames(tables)}); ${advice}`,
  );
}

/**
 * Gives an empty target database the schema of `collections`, inside the transaction `tx`:
 * this version's system migrations make the system tables (and whatever the engine's SQL
 * needs); the default collections they create are dropped and every source collection's
 * table, columns and indexes are created as for a new collection, and every view collection's
 * view from its query (which must run on the target's engine). The system tables are left
 * empty for the copy. Returns their names (the tables that are no collection's).
 */
export async function createTargetSchema(
  app: App,
  tx: Executor,
  collections: readonly Collection[],
): Promise<string[]> {
  await applyMigrationsIn(tx, SYSTEM_MIGRATIONS, (migrationTx) => ({ app, tx: migrationTx }));
  for (const c of await loadCollections(tx)) await dropCollectionTable(app.db, tx, c);
  const systemTables = await app.db.listTables(tx);
  for (const table of systemTables) await tx.deleteFrom(table).execute();
  for (const c of collections) {
    if (c.type !== 'view') await createCollectionTable(app.db, tx, c);
  }
  for (const view of viewsInDependencyOrder(collections)) {
    try {
      await buildView(app, tx, view, collections);
    } catch (error) {
      if (!(error instanceof ViewBuildError)) throw error;
      throw new DataCopyError(
        `The query of the view collection ${view.name} does not run on the target (${error.message}); ` +
          'change it to SQL that both engines accept, then copy again.',
      );
    }
  }
  return systemTables;
}

/**
 * Drops every table of a target that was empty before a copy that failed: engines whose DDL
 * commits implicitly (MySQL) keep the tables after the rollback; on the others there are none.
 */
export async function dropLeftoverTables(adapter: DbAdapter): Promise<void> {
  for (const view of await adapter.listViews(adapter.db)) await adapter.dropView(adapter.db, view);
  for (const table of await adapter.listTables(adapter.db)) {
    await adapter.dropTable(adapter.db, table);
  }
  await adapter.dropOwnTables?.();
}
