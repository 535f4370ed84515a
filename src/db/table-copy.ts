import { sql, type Expression } from 'kysely';
import type { DbAdapter, Executor } from './adapter.js';
import type { DynamicRow } from './schema-types.js';

/** One table to copy between two databases that both have it with the same columns. */
export interface TableCopy {
  readonly table: string;
  /** The columns to copy (both sides have them; hidden engine columns excluded). */
  readonly columns: readonly string[];
  /**
   * A unique key of the source rows, given the table's alias, whose order is the order in which
   * rows are copied: the insertion order (`SqlDialect.rowid`) for collection tables, so that
   * the target numbers them in the same order.
   */
  readonly orderKey: (alias: string) => Expression<unknown>;
}

/**
 * Bound parameters per INSERT at most: under SQLite's 32766, PostgreSQL's and MySQL's 65535.
 */
const MAX_PARAMETERS = 30_000;
/** Rows per page read and per INSERT at most (measured: larger pages gain nothing). */
const MAX_BATCH_ROWS = 1000;

// The key's output name, which is no valid column name (`$`), so it never hides a column.
const KEY = '$copy_key';
const ALIAS = 'src';

/** Rows per batch for a table with `columns` columns. */
export function batchRows(columns: number): number {
  return Math.max(1, Math.min(MAX_BATCH_ROWS, Math.floor(MAX_PARAMETERS / Math.max(1, columns))));
}

/** The columns of a table read under the alias `src`. */
function selectedColumns(spec: TableCopy) {
  return sql.join(spec.columns.map((c) => sql`${sql.ref(`${ALIAS}.${c}`)} as ${sql.id(c)}`));
}

/**
 * Reads a table in key order a page at a time, each page one range read that follows the
 * last key of the one before (keyset pagination): efficient where the key is indexed.
 */
async function* keyRangePages(
  exec: Executor,
  spec: TableCopy,
  limit: number,
): AsyncGenerator<DynamicRow[]> {
  const key = spec.orderKey(ALIAS);
  let after: unknown;
  for (;;) {
    const where = after === undefined ? sql`` : sql`where ${key} > ${after}`;
    const { rows } = await sql<DynamicRow>`select ${selectedColumns(spec)}, ${key} as ${sql.id(KEY)}
      from ${sql.table(spec.table)} as ${sql.id(ALIAS)} ${where}
      order by ${key} limit ${sql.lit(limit)}`.execute(exec);
    after = rows[rows.length - 1]?.[KEY];
    if (rows.length > 0) yield rows;
    if (rows.length < limit) return;
  }
}

/** The rows of a table in key order, a page at a time: through the engine's cursor if it has one. */
function tablePages(
  source: RowSource,
  spec: TableCopy,
  limit: number,
): AsyncIterable<DynamicRow[]> {
  if (!source.adapter.scanRows) return keyRangePages(source.exec, spec, limit);
  const key = spec.orderKey(ALIAS);
  const query = sql`select ${selectedColumns(spec)} from ${sql.table(spec.table)} as ${sql.id(ALIAS)}
    order by ${key}`;
  return source.adapter.scanRows(source.exec, query, limit);
}

/**
 * A value as every engine's driver binds it into the column that holds it: booleans (read
 * as true/false from PostgreSQL) become 1/0, as Basalt writes them on every engine
 * (better-sqlite3 cannot bind booleans; PostgreSQL and MySQL read 1/0 into boolean columns).
 */
function portableValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** Inserts the table's columns of `rows` with one parameterized multi-row INSERT. */
async function insertRows(exec: Executor, spec: TableCopy, rows: readonly DynamicRow[]) {
  const values = rows.map((row) =>
    Object.fromEntries(spec.columns.map((c) => [c, portableValue(row[c])])),
  );
  await exec.insertInto(spec.table).values(values).execute();
}

/** Where rows are read: a database and the transaction (scans need one) to read in. */
export interface RowSource {
  readonly adapter: DbAdapter;
  readonly exec: Executor;
}

/**
 * Copies every row of a table from `from` into `to` in key order, in batches of multi-row
 * INSERTs; the next page is read while the current one is written. Calls (and awaits)
 * `onRows` with the size of each written batch and returns how many rows were copied.
 */
export async function copyTableRows(
  from: RowSource,
  to: Executor,
  spec: TableCopy,
  onRows: (rows: number) => void | Promise<void>,
): Promise<number> {
  const pages = tablePages(from, spec, batchRows(spec.columns.length))[Symbol.asyncIterator]();
  let copied = 0;
  let next = pages.next();
  for (;;) {
    const page = await next;
    if (page.done === true) return copied;
    next = pages.next();
    // A failed write ends the copy; the read already under way must not surface unhandled.
    next.catch(() => undefined);
    await insertRows(to, spec, page.value);
    copied += page.value.length;
    await onRows(page.value.length);
  }
}

/** The number of rows of a table. */
export async function countRows(exec: Executor, table: string): Promise<number> {
  const result = await sql<{ n: number | string | bigint }>`select count(*) as ${sql.id('n')}
    from ${sql.table(table)}`.execute(exec);
  return Number(result.rows[0]?.n ?? 0);
}
