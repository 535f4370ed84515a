import { sql, type Expression, type SqlBool } from 'kysely';
import { haversineSql, type HaversineParts } from '../geo-distance.js';
import type { SqlDialect } from '../sql-dialect.js';

const HAVERSINE: HaversineParts = {
  smaller: (a, b) => sql`least(${a}, ${b})`,
  radians: (d) => sql`radians((${d})::double precision)`,
};

/** JSON text as jsonb, or NULL when it is not valid JSON (see `basalt_jsonb` in functions.ts). */
function jsonb(json: Expression<unknown>): Expression<unknown> {
  return sql`basalt_jsonb((${json})::text)`;
}

/** The JSON array stored as text, or `[]` for NULL, non-JSON and non-array values. */
function jsonArray(json: Expression<unknown>): Expression<unknown> {
  return sql`basalt_jsonb_array((${json})::text)`;
}

/**
 * The PostgreSQL implementation of {@link SqlDialect}. PostgreSQL types strictly, so values
 * that SQLite compares across types are compared as text here (`emptyIfNull`, LIKE);
 * LIKE is ILIKE (case-insensitive, as SQLite's LIKE is for ASCII).
 */
export const postgresDialect: SqlDialect = {
  rowLocks: true,
  nullsLast: true,
  bool: (value) => sql`${value}`,
  like: (left, pattern, negate) =>
    negate
      ? sql<SqlBool>`(${left})::text not ilike ${pattern} escape '\\'`
      : sql<SqlBool>`(${left})::text ilike ${pattern} escape '\\'`,
  concat: (parts) =>
    sql`(${sql.join(
      parts.map((p) => sql`(${p})::text`),
      sql` || `,
    )})`,
  isDistinct: (left, right, distinct) =>
    distinct
      ? sql<SqlBool>`${left} is distinct from ${right}`
      : sql<SqlBool>`${left} is not distinct from ${right}`,
  emptyIfNull: (value) => sql`coalesce((${value})::text, '')`,
  lower: (value) => sql`lower((${value})::text)`,
  jsonExtract: (json, path) => sql`(${jsonb(json)} #>> ${sql.val(path)}::text[])`,
  jsonArrayLength: (json) => sql`jsonb_array_length(${jsonArray(json)})`,
  jsonEach: (json, alias) =>
    sql`jsonb_array_elements_text(${jsonArray(json)}) as ${sql.id(alias)}(value)`,
  jsonArrayContains: (json, value) =>
    sql<SqlBool>`exists (select 1 from jsonb_array_elements_text(${jsonArray(json)}) as ${sql.id('je$')}(value) where ${sql.ref('je$.value')} = (${value})::text)`,
  jsonArrayOverlaps: (json, values) =>
    values.length === 0
      ? sql<SqlBool>`false`
      : sql<SqlBool>`exists (select 1 from jsonb_array_elements_text(${jsonArray(json)}) as ${sql.id('je$')}(value) where ${sql.ref('je$.value')} in (${sql.join(values)}))`,
  random: () => sql`random()`,
  rowid: (alias) => sql.ref(`${alias}._rowid_`),
  geoDistance: (lonA, latA, lonB, latB) => haversineSql(HAVERSINE, lonA, latA, lonB, latB),
};
