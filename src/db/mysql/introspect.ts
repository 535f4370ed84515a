import { sql } from 'kysely';
import type { ColumnInfo, Executor } from '../adapter.js';
import { HIDDEN_PREFIX, JOURNAL_TABLE, ROWID_INDEX } from './column-types.js';

const isTrash = (name: string): boolean => name.startsWith(HIDDEN_PREFIX.trash);

// information_schema sorts by its own case-insensitive collation; names sort here as on
// SQLite (by code unit).
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Tables of the current database, without those dropped by a transaction still running and
 * the journal of schema changes.
 */
export async function listMysqlTables(exec: Executor): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = database() and table_type = 'BASE TABLE'`.execute(exec);
  return result.rows
    .map((r) => r.name)
    .filter((name) => !isTrash(name) && name !== JOURNAL_TABLE)
    .sort(byName);
}

/**
 * Columns of a table in definition order, without the invisible ones (the insertion order and
 * the columns behind indexes) and those dropped by a transaction still running.
 */
export async function listMysqlColumns(exec: Executor, table: string): Promise<ColumnInfo[]> {
  const result = await sql<{ name: string; type: string; nullable: string }>`
    select column_name as name, data_type as type, is_nullable as nullable
    from information_schema.columns
    where table_schema = database() and table_name = ${table}
      and extra not like '%INVISIBLE%'
    order by ordinal_position`.execute(exec);
  return result.rows
    .filter((r) => !isTrash(r.name))
    .map((r) => ({ name: r.name, type: r.type, notNull: r.nullable === 'NO' }));
}

/** Indexes made with CREATE INDEX (not the primary key, nor the insertion order's key). */
export async function listMysqlIndexes(exec: Executor, table: string): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select distinct index_name as name from information_schema.statistics
    where table_schema = database() and table_name = ${table}
      and index_name <> 'PRIMARY' and index_name <> ${ROWID_INDEX}`.execute(exec);
  return result.rows
    .map((r) => r.name)
    .filter((name) => !isTrash(name))
    .sort(byName);
}
