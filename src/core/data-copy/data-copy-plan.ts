import { sql } from 'kysely';
import type { DbAdapter, Executor } from '../../db/adapter.js';
import { shownNames } from '../../db/migrator.js';
import { countRows, type TableCopy } from '../../db/table-copy.js';
import { DataCopyError, type SourceContents } from './data-copy-source.js';

/** One table of the copy, with the number of rows the source holds. */
export interface PlannedTable extends TableCopy {
  readonly rows: number;
}

/** The tables to copy, in order, and the source tables that are not Basalt's. */
export interface CopyPlan {
  readonly tables: readonly PlannedTable[];
  /** Source tables that are neither a system table nor a collection's: not copied. */
  readonly skipped: readonly string[];
}

/** Either side of the copy: its adapter and the transaction it is read or written in. */
export interface CopySide {
  readonly adapter: DbAdapter;
  readonly exec: Executor;
}

/** Column names of a table, refusing a table whose columns differ between the two sides. */
async function sharedColumns(from: CopySide, to: CopySide, table: string): Promise<string[]> {
  const source = (await from.adapter.listColumns(from.exec, table)).map((c) => c.name);
  const target = new Set((await to.adapter.listColumns(to.exec, table)).map((c) => c.name));
  const onlySource = source.filter((c) => !target.has(c));
  const onlyTarget = [...target].filter((c) => !source.includes(c));
  if (onlySource.length > 0 || onlyTarget.length > 0) {
    const parts = [
      onlySource.length > 0 ? `only in the source: ${shownNames(onlySource)}` : '',
      onlyTarget.length > 0 ? `only in the target: ${shownNames(onlyTarget)}` : '',
    ].filter((p) => p !== '');
    throw new DataCopyError(`The columns of table ${table} differ (${parts.join('; ')}).`);
  }
  return source;
}

/**
 * Plans the copy once the target has its schema: the target's system tables first (ordered
 * by their key, the first column), then every collection table in insertion order.
 */
export async function planCopy(
  from: CopySide,
  to: CopySide,
  contents: SourceContents,
  systemTables: readonly string[],
): Promise<CopyPlan> {
  const missing = systemTables.filter((t) => !contents.tables.includes(t));
  if (missing.length > 0) {
    throw new DataCopyError(`The source lacks the system tables ${shownNames(missing)}.`);
  }
  // A view collection's rows are its query's: its view is made on the target, not copied.
  const collectionTables = contents.collections.filter((c) => c.type !== 'view').map((c) => c.name);
  const tables: PlannedTable[] = [];
  for (const table of [...systemTables, ...collectionTables]) {
    const columns = await sharedColumns(from, to, table);
    const key = columns[0] ?? '';
    const orderKey = collectionTables.includes(table)
      ? (alias: string) => from.adapter.dialect.rowid(alias)
      : (alias: string) => sql.ref(`${alias}.${key}`);
    tables.push({ table, columns, orderKey, rows: await countRows(from.exec, table) });
  }
  const planned = new Set(tables.map((t) => t.table));
  return { tables, skipped: contents.tables.filter((t) => !planned.has(t)) };
}

/**
 * Compares every table's row count on both sides, after the copy and inside its
 * transactions; any difference fails the copy.
 */
export async function verifyCounts(
  from: Executor,
  to: Executor,
  tables: readonly PlannedTable[],
): Promise<void> {
  const differences: string[] = [];
  for (const { table } of tables) {
    const source = await countRows(from, table);
    const target = await countRows(to, table);
    if (source !== target) differences.push(`${table}: ${source} in the source, ${target} copied`);
  }
  if (differences.length > 0) {
    throw new DataCopyError(
      `The row counts differ after the copy (${differences.join('; ')}); ` +
        'was the source written to meanwhile? Stop its servers and copy again.',
    );
  }
}
