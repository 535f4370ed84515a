import type { DbAdapter } from '../../db/adapter.js';
import type { DatabaseLocation } from '../../db/open-adapter.js';
import {
  isSameLocation,
  openDatabaseToFill,
  openExistingDatabase,
} from '../../db/open-for-copy.js';
import { copyTableRows } from '../../db/table-copy.js';
import { App } from '../app.js';
import { planCopy, verifyCounts, type CopyPlan, type CopySide } from './data-copy-plan.js';
import { DataCopyError, readSourceContents } from './data-copy-source.js';
import { assertEmptyTarget, createTargetSchema, dropLeftoverTables } from './data-copy-target.js';

/** Follows a copy as it goes (the CLI draws a progress bar from it). */
export interface CopyObserver {
  /** The target has its schema; these tables, with these row counts, are copied next. */
  planned?(plan: CopyPlan): void;
  /** `rows` more rows of `table` were written. The copy waits for a returned promise. */
  copied?(table: string, rows: number): void | Promise<void>;
  /** Every row of `table` was written (also for an empty table). The copy waits for a returned promise. */
  tableDone?(table: string, rows: number): void | Promise<void>;
}

/** What a finished copy did. */
export interface CopyResult {
  readonly collections: number;
  readonly tables: readonly { readonly table: string; readonly rows: number }[];
  /** Every row copied, system tables included. */
  readonly rows: number;
  /** Source tables that are not Basalt's, left out. */
  readonly skipped: readonly string[];
  readonly durationMs: number;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Creates the target's schema, copies every table and checks the counts, in `from`/`to`. */
async function copyInside(
  target: App,
  from: CopySide,
  to: CopySide,
  observer: CopyObserver,
): Promise<Omit<CopyResult, 'durationMs'>> {
  const contents = await readSourceContents(from.adapter, from.exec);
  const systemTables = await createTargetSchema(target, to.exec, contents.collections);
  const plan = await planCopy(from, to, contents, systemTables);
  observer.planned?.(plan);
  const tables = [];
  for (const spec of plan.tables) {
    const rows = await copyTableRows(from, to.exec, spec, (n) =>
      observer.copied?.(spec.table, n),
    ).catch((error: unknown) => {
      throw new DataCopyError(`Copying table ${spec.table} failed: ${reasonOf(error)}`, {
        cause: error,
      });
    });
    tables.push({ table: spec.table, rows });
    await observer.tableDone?.(spec.table, rows);
  }
  await verifyCounts(from.exec, to.exec, plan.tables);
  const rows = tables.reduce((sum, t) => sum + t.rows, 0);
  return { collections: contents.collections.length, tables, rows, skipped: plan.skipped };
}

/**
 * Copies a whole Basalt database (collections, records, settings and every system table) into
 * an empty target database, all or nothing: the source is read in one transaction and the
 * target written in one, under the target's migration lock; the target must hold no table.
 * When anything fails after the target was found empty, the transaction rolls back and any
 * table that survives it (engines whose DDL commits implicitly) is dropped.
 */
export async function copyDatabase(
  source: DbAdapter,
  target: App,
  observer: CopyObserver = {},
): Promise<CopyResult> {
  const started = performance.now();
  // Set once the target was found empty: from then on, a failure drops what survives it.
  const state = { writing: false };
  try {
    const result = await target.db.withMigrationLock(() =>
      source.transaction((fromExec) =>
        target.db.transaction(async (toExec) => {
          await assertEmptyTarget(target.db, toExec);
          state.writing = true;
          const from = { adapter: source, exec: fromExec };
          return copyInside(target, from, { adapter: target.db, exec: toExec }, observer);
        }),
      ),
    );
    return { ...result, durationMs: performance.now() - started };
  } catch (error) {
    if (state.writing) await dropLeftovers(target.db, error);
    throw error;
  }
}

/** A failed copy whose leftover tables could not be dropped either: the target is not as it was. */
export class CopyCleanupError extends DataCopyError {}

async function dropLeftovers(adapter: DbAdapter, failure: unknown): Promise<void> {
  try {
    await dropLeftoverTables(adapter);
  } catch (cleanupError) {
    throw new CopyCleanupError(
      `${reasonOf(failure)} Removing the tables the copy created failed too ` +
        `(${reasonOf(cleanupError)}); drop them by hand.`,
      { cause: failure },
    );
  }
}

/**
 * `basalt migrate-data`: opens the source (which must exist) and the target (a new SQLite
 * data directory is created), copies with {@link copyDatabase}, and on failure removes a
 * SQLite database file that opening the target created.
 */
export async function migrateData(
  from: DatabaseLocation,
  to: DatabaseLocation,
  observer: CopyObserver = {},
): Promise<CopyResult> {
  if (isSameLocation(from, to)) {
    throw new DataCopyError('The source and the target are the same database.');
  }
  const source = await openExistingDatabase(from);
  try {
    const target = await openDatabaseToFill(to);
    let copied = false;
    try {
      const result = await copyDatabase(
        source,
        App.over({ dataDir: to.dataDir }, target.adapter),
        observer,
      );
      copied = true;
      return result;
    } finally {
      await (copied ? target.adapter.destroy() : target.discard());
    }
  } finally {
    await source.destroy();
  }
}
