import { sql } from 'kysely';
import type { ColumnInfo, Executor } from '../adapter.js';

/** Tables in the database file, without SQLite's own. */
export async function listSqliteTables(exec: Executor): Promise<string[]> {
  const result = await sql<{
    name: string;
  }>`select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name`.execute(
    exec,
  );
  return result.rows.map((r) => r.name);
}

/** Columns of a table from `pragma_table_info`. */
export async function listSqliteColumns(exec: Executor, table: string): Promise<ColumnInfo[]> {
  const result = await sql<{
    name: string;
    type: string;
    notnull: number;
  }>`select name, type, "notnull" from pragma_table_info(${table}) order by cid`.execute(exec);
  return result.rows.map((r) => ({ name: r.name, type: r.type, notNull: r.notnull === 1 }));
}

/** Indexes made with CREATE INDEX (not the automatic ones of PRIMARY KEY or UNIQUE). */
export async function listSqliteIndexes(exec: Executor, table: string): Promise<string[]> {
  const result = await sql<{
    name: string;
  }>`select name from pragma_index_list(${table}) where origin = 'c' order by name`.execute(exec);
  return result.rows.map((r) => r.name);
}
