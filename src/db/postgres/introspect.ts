import { sql } from 'kysely';
import type { ColumnInfo, Executor } from '../adapter.js';
import { ROWID_COLUMN } from './column-types.js';

/** Tables of the current schema. */
export async function listPostgresTables(exec: Executor): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
    order by table_name`.execute(exec);
  return result.rows.map((r) => r.name);
}

/** Columns of a table in definition order, without the hidden insertion-order column. */
export async function listPostgresColumns(exec: Executor, table: string): Promise<ColumnInfo[]> {
  const result = await sql<{ name: string; type: string; nullable: string }>`
    select column_name as name, data_type as type, is_nullable as nullable
    from information_schema.columns
    where table_schema = current_schema() and table_name = ${table}
      and column_name <> ${ROWID_COLUMN}
    order by ordinal_position`.execute(exec);
  return result.rows.map((r) => ({ name: r.name, type: r.type, notNull: r.nullable === 'NO' }));
}

/** Indexes made with CREATE INDEX (not those behind PRIMARY KEY or UNIQUE constraints). */
export async function listPostgresIndexes(exec: Executor, table: string): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select i.indexname as name from pg_indexes i
    where i.schemaname = current_schema() and i.tablename = ${table}
      and not exists (
        select 1 from pg_constraint c
        join pg_namespace n on n.oid = c.connamespace
        where n.nspname = i.schemaname and c.conname = i.indexname
      )
    order by i.indexname`.execute(exec);
  return result.rows.map((r) => r.name);
}
