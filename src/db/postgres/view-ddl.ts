import { sql } from 'kysely';
import type { ColumnInfo, Executor } from '../adapter.js';
import { columnsToCast, viewSelect } from '../view-select.js';
import { listPostgresColumns } from './introspect.js';

/** information_schema's names of PostgreSQL's text types. */
const TEXT_TYPES: ReadonlySet<string> = new Set(['text', 'character varying', 'character']);

/** Drops a view when it exists. */
export async function dropPostgresView(exec: Executor, name: string): Promise<void> {
  await sql`drop view if exists ${sql.id(name)}`.execute(exec);
}

/**
 * Creates the view `name` over `query`, the columns of `textColumns` cast to text (in the "C"
 * collation of Basalt's text columns, so that they compare and sort as those do). PostgreSQL
 * cannot change a view column's type in place: a view that needs casts is made again.
 */
export async function createPostgresView(
  exec: Executor,
  name: string,
  query: string,
  textColumns: readonly string[],
): Promise<ColumnInfo[]> {
  await sql`create view ${sql.id(name)} as ${viewSelect(query)}`.execute(exec);
  const columns = await listPostgresColumns(exec, name);
  const cast = columnsToCast(columns, textColumns, (type) => TEXT_TYPES.has(type));
  if (cast.size === 0) return columns;
  const select = viewSelect(query, columns, cast, (c) => sql`cast(${c} as text) collate "C"`);
  await dropPostgresView(exec, name);
  await sql`create view ${sql.id(name)} as ${select}`.execute(exec);
  return listPostgresColumns(exec, name);
}

/** Views of the current schema, by name. */
export async function listPostgresViews(exec: Executor): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select table_name as name from information_schema.views
    where table_schema = current_schema()
    order by table_name`.execute(exec);
  return result.rows.map((r) => r.name);
}
