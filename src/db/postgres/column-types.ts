import { sql, type Expression } from 'kysely';
import type { ColumnKind } from '../adapter.js';

/** PostgreSQL column type and default of each column kind. */
interface PostgresColumnType {
  readonly type: Expression<unknown>;
  readonly default: Expression<unknown>;
  readonly notNull: boolean;
}

/**
 * Text compares and sorts byte-wise (COLLATE "C"), as SQLite's BINARY collation does, whatever
 * the database's default collation. JSON values are stored as their text, as on SQLite, so
 * that what was written is what is read back (jsonb would reorder keys); queries cast them with
 * `basalt_jsonb()`.
 */
export const POSTGRES_COLUMN_TYPES: Record<
  Exclude<ColumnKind, 'primaryKey'>,
  PostgresColumnType
> = {
  text: { type: sql`text`, default: sql`''`, notNull: true },
  number: { type: sql`double precision`, default: sql`0`, notNull: true },
  bool: { type: sql`boolean`, default: sql`false`, notNull: true },
  json: { type: sql`text`, default: sql`null`, notNull: false },
  jsonArray: { type: sql`text`, default: sql`'[]'`, notNull: true },
  geoPoint: { type: sql`text`, default: sql`'{"lon":0,"lat":0}'`, notNull: true },
};

/**
 * The hidden insertion-order column of every collection table: PostgreSQL has no rowid, and
 * `sort=@rowid` must follow insertion order as on SQLite.
 */
export const ROWID_COLUMN = '_rowid_';
