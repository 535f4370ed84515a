import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../adapter.js';
import { MYSQL_COLUMN_TYPES } from './column-types.js';
import { HIDDEN_PREFIX } from './column-types.js';

// The single statements that schema changes, their undoing and their recovery are made of.
// Each `...IfNeeded` helper looks at information_schema first, so that running it again after
// a crash (or running it for a step that never ran) changes nothing.

const alter = (table: string, change: RawBuilder<unknown>) =>
  sql`alter table ${sql.table(table)} ${change}`;

/** True when the current database has a table of that name. */
export async function tableExists(exec: Executor, table: string): Promise<boolean> {
  const result = await sql<{ one: number }>`
    select 1 as one from information_schema.tables
    where table_schema = database() and table_name = ${table} limit 1`.execute(exec);
  return result.rows.length > 0;
}

/** True when `table` has a column of that name (visible or not). */
export async function columnExists(
  exec: Executor,
  table: string,
  column: string,
): Promise<boolean> {
  const result = await sql<{ one: number }>`
    select 1 as one from information_schema.columns
    where table_schema = database() and table_name = ${table} and column_name = ${column}
    limit 1`.execute(exec);
  return result.rows.length > 0;
}

/** True when `table` has an index of that name. */
export async function indexExists(exec: Executor, table: string, name: string): Promise<boolean> {
  const result = await sql<{ one: number }>`
    select 1 as one from information_schema.statistics
    where table_schema = database() and table_name = ${table} and index_name = ${name}
    limit 1`.execute(exec);
  return result.rows.length > 0;
}

/** Renames a table. */
export async function renameTableNow(exec: Executor, from: string, to: string): Promise<void> {
  await sql`rename table ${sql.table(from)} to ${sql.table(to)}`.execute(exec);
}

/** Renames a table back from `to` to `from` when it is still under `to`. */
export async function renameTableBack(exec: Executor, from: string, to: string): Promise<void> {
  if ((await tableExists(exec, to)) && !(await tableExists(exec, from))) {
    await renameTableNow(exec, to, from);
  }
}

/** Drops a table; nothing when it does not exist. */
export async function dropTableNow(exec: Executor, table: string): Promise<void> {
  await sql`drop table if exists ${sql.table(table)}`.execute(exec);
}

/** True when the current database has a view of that name. */
export async function viewExists(exec: Executor, view: string): Promise<boolean> {
  const result = await sql<{ one: number }>`
    select 1 as one from information_schema.views
    where table_schema = database() and table_name = ${view} limit 1`.execute(exec);
  return result.rows.length > 0;
}

/** Drops a view; nothing when it does not exist (DROP TABLE would leave a view in place). */
export async function dropViewNow(exec: Executor, view: string): Promise<void> {
  await sql`drop view if exists ${sql.table(view)}`.execute(exec);
}

/** Renames a column. */
export async function renameColumnNow(
  exec: Executor,
  table: string,
  from: string,
  to: string,
): Promise<void> {
  await alter(table, sql`rename column ${sql.id(from)} to ${sql.id(to)}`).execute(exec);
}

/** Renames a column back from `to` to `from` when it is still under `to`. */
export async function renameColumnBack(
  exec: Executor,
  table: string,
  from: string,
  to: string,
): Promise<void> {
  if ((await columnExists(exec, table, to)) && !(await columnExists(exec, table, from))) {
    await renameColumnNow(exec, table, to, from);
  }
}

/** Drops a column. */
export async function dropColumnNow(exec: Executor, table: string, column: string): Promise<void> {
  await alter(table, sql`drop column ${sql.id(column)}`).execute(exec);
}

/** Drops a column when it exists. */
export async function dropColumnIfExists(
  exec: Executor,
  table: string,
  column: string,
): Promise<void> {
  if (await columnExists(exec, table, column)) await dropColumnNow(exec, table, column);
}

/** Drops a column set aside under a unique trash name, in whichever table now holds it. */
export async function dropTrashColumn(exec: Executor, column: string): Promise<void> {
  const result = await sql<{ name: string }>`
    select table_name as name from information_schema.columns
    where table_schema = database() and column_name = ${column}`.execute(exec);
  for (const row of result.rows) await dropColumnNow(exec, row.name, column);
}

/** Sets every value of a column, then its default to that of its new kind. */
export async function convertInPlace(
  exec: Executor,
  table: string,
  column: string,
  to: 'text' | 'jsonArray',
  value: RawBuilder<unknown>,
  where: RawBuilder<unknown> = sql`true`,
): Promise<void> {
  await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${value} where ${where}`.execute(
    exec,
  );
  const def = MYSQL_COLUMN_TYPES[to].default;
  await alter(table, sql`alter column ${sql.id(column)} set default ${def}`).execute(exec);
}

/** Drops an index, and the invisible columns behind it; nothing when it does not exist. */
export async function dropIndexNow(exec: Executor, table: string, name: string): Promise<void> {
  const result = await sql<{ name: string }>`
    select column_name as name from information_schema.statistics
    where table_schema = database() and table_name = ${table} and index_name = ${name}`.execute(
    exec,
  );
  if (result.rows.length === 0) return;
  const helpers = result.rows
    .map((r) => r.name)
    .filter((column) => column.startsWith(HIDDEN_PREFIX.indexColumn));
  const drops = [
    sql`drop index ${sql.id(name)}`,
    ...helpers.map((column) => sql`drop column ${sql.id(column)}`),
  ];
  await alter(table, sql.join(drops)).execute(exec);
}

/** Drops an index set aside under a unique trash name, in whichever table now holds it. */
export async function dropTrashIndex(exec: Executor, name: string): Promise<void> {
  const result = await sql<{ name: string }>`
    select distinct table_name as name from information_schema.statistics
    where table_schema = database() and index_name = ${name}`.execute(exec);
  for (const row of result.rows) await dropIndexNow(exec, row.name, name);
}

/** Renames an index. */
export async function renameIndexNow(
  exec: Executor,
  table: string,
  from: string,
  to: string,
): Promise<void> {
  await alter(table, sql`rename index ${sql.id(from)} to ${sql.id(to)}`).execute(exec);
}

/** Renames an index back from `to` to `from` when it is still under `to`. */
export async function renameIndexBack(
  exec: Executor,
  table: string,
  from: string,
  to: string,
): Promise<void> {
  if (await indexExists(exec, table, to)) await renameIndexNow(exec, table, to, from);
}
