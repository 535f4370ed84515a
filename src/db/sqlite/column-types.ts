import { sql, type Expression } from 'kysely';
import type { ColumnKind } from '../adapter.js';

/** SQLite column type and default of each column kind. */
interface SqliteColumnType {
  readonly type: Expression<unknown>;
  readonly default: string | number | null;
  readonly notNull: boolean;
}

/**
 * JSON columns use TEXT affinity: a column declared `JSON` would get NUMERIC affinity and turn
 * the JSON text `123` into an integer.
 */
export const SQLITE_COLUMN_TYPES: Record<Exclude<ColumnKind, 'primaryKey'>, SqliteColumnType> = {
  text: { type: sql`text`, default: '', notNull: true },
  number: { type: sql`numeric`, default: 0, notNull: true },
  bool: { type: sql`boolean`, default: 0, notNull: true },
  json: { type: sql`text`, default: null, notNull: false },
  jsonArray: { type: sql`text`, default: '[]', notNull: true },
  geoPoint: { type: sql`text`, default: '{"lon":0,"lat":0}', notNull: true },
};
