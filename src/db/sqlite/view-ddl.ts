import { sql, type RawBuilder } from 'kysely';
import type { ColumnInfo, Executor } from '../adapter.js';
import { columnsToCast, viewSelect } from '../view-select.js';
import { listSqliteColumns } from './introspect.js';

/** SQLite's rule for TEXT affinity: a declared type naming TEXT, CHAR or CLOB. */
const isSqliteText = (type: string): boolean => /TEXT|CHAR|CLOB/i.test(type);

/** Drops a view when it exists. */
export async function dropSqliteView(exec: Executor, name: string): Promise<void> {
  await sql`drop view if exists ${sql.id(name)}`.execute(exec);
}

/**
 * Creates a view, then compiles its SELECT: SQLite accepts a view over unknown tables or
 * columns and reports them only when the view is used, so a view that does not run is dropped
 * again and its error thrown.
 */
async function createChecked(
  exec: Executor,
  name: string,
  select: RawBuilder<unknown>,
): Promise<void> {
  await sql`create view ${sql.id(name)} as ${select}`.execute(exec);
  try {
    await sql`select * from ${sql.id(name)} limit 0`.execute(exec);
  } catch (error) {
    await dropSqliteView(exec, name);
    throw error;
  }
}

/** Creates the view `name` over `query`, the columns of `textColumns` cast to text. */
export async function createSqliteView(
  exec: Executor,
  name: string,
  query: string,
  textColumns: readonly string[],
): Promise<ColumnInfo[]> {
  await createChecked(exec, name, viewSelect(query));
  const columns = await listSqliteColumns(exec, name);
  const cast = columnsToCast(columns, textColumns, isSqliteText);
  if (cast.size === 0) return columns;
  await dropSqliteView(exec, name);
  await createChecked(
    exec,
    name,
    viewSelect(query, columns, cast, (c) => sql`cast(${c} as text)`),
  );
  return listSqliteColumns(exec, name);
}

/** Views of the database file, by name. */
export async function listSqliteViews(exec: Executor): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select name from sqlite_master where type = 'view' order by name`.execute(exec);
  return result.rows.map((r) => r.name);
}
