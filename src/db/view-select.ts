import { sql, type RawBuilder } from 'kysely';
import type { ColumnInfo } from './adapter.js';

/** The alias of a view's query inside the view's own SELECT. */
const QUERY_ALIAS = 'basalt_view_query';

/**
 * The SELECT of a view over a superuser's query (trusted SQL text, kept as one query by
 * wrapping it as a derived table). Without `columns`, every column as the query gives it;
 * with them, those columns in order, each named in `cast` converted by `castText`.
 */
export function viewSelect(
  query: string,
  columns?: readonly ColumnInfo[],
  cast: ReadonlySet<string> = new Set(),
  castText: (column: RawBuilder<unknown>) => RawBuilder<unknown> = (c) => c,
): RawBuilder<unknown> {
  const from = sql`from (${sql.raw(query)}) as ${sql.id(QUERY_ALIAS)}`;
  if (!columns) return sql`select * ${from}`;
  // sql.id, not sql.ref: a column name may hold a dot.
  const list = columns.map((c) =>
    cast.has(c.name) ? sql`${castText(sql.id(c.name))} as ${sql.id(c.name)}` : sql.id(c.name),
  );
  return sql`select ${sql.join(list)} ${from}`;
}

/** The columns named in `textColumns` that the engine does not type as text. */
export function columnsToCast(
  columns: readonly ColumnInfo[],
  textColumns: readonly string[],
  isText: (type: string) => boolean,
): Set<string> {
  const wanted = new Set(textColumns);
  return new Set(columns.filter((c) => wanted.has(c.name) && !isText(c.type)).map((c) => c.name));
}
