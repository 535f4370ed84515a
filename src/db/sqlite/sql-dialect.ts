import { sql, type Expression, type SqlBool } from 'kysely';
import { haversineSql, type HaversineParts } from '../geo-distance.js';
import { jsonPathText } from '../json-path.js';
import type { SqlDialect } from '../sql-dialect.js';

const HAVERSINE: HaversineParts = {
  smaller: (a, b) => sql`min(${a}, ${b})`,
  radians: (d) => sql`radians(${d})`,
};

/**
 * The JSON text, or NULL when it is not valid JSON: the JSON functions raise an error on
 * malformed text, which would fail a whole list query because of one odd stored value.
 */
function validJson(json: Expression<unknown>): Expression<unknown> {
  return sql`case when json_valid(${json}) then ${json} end`;
}

/**
 * The SQLite implementation of {@link SqlDialect}. It relies on the JSON1 and math functions
 * that better-sqlite3's bundled SQLite is compiled with. LIKE is ASCII case-insensitive by
 * default in SQLite.
 */
export const sqliteDialect: SqlDialect = {
  rowLocks: false,
  nullsLast: false,
  insertOrIgnore: (insert) => insert.onConflict((oc) => oc.doNothing()),
  // INTEGER parameters (BigInt: better-sqlite3 binds JS numbers as REAL); see SqlDialect.number.
  bool: (value) => sql`${value ? 1n : 0n}`,
  number: (value) => (Number.isSafeInteger(value) ? sql`${BigInt(value)}` : sql`${value}`),
  like: (left, pattern, negate) =>
    negate
      ? sql<SqlBool>`${left} not like ${pattern} escape '\\'`
      : sql<SqlBool>`${left} like ${pattern} escape '\\'`,
  concat: (parts) => sql`(${sql.join(parts, sql` || `)})`,
  isDistinct: (left, right, distinct) =>
    distinct ? sql<SqlBool>`${left} is not ${right}` : sql<SqlBool>`${left} is ${right}`,
  emptyIfNull: (value) => sql`coalesce(${value}, '')`,
  lower: (value) => sql`lower(${value})`,
  jsonExtract: (json, path) => sql`json_extract(${validJson(json)}, ${jsonPathText(path)})`,
  jsonNumber: (value) => value,
  jsonArrayLength: (json) => sql`coalesce(json_array_length(${validJson(json)}), 0)`,
  jsonEach: (json, alias) => sql`json_each(${validJson(json)}) as ${sql.id(alias)}`,
  jsonArrayContains: (json, value) =>
    sql<SqlBool>`exists (select 1 from json_each(${validJson(json)}) as ${sql.id('je$')} where ${sql.ref('je$.value')} = ${value})`,
  jsonArrayOverlaps: (json, values) =>
    values.length === 0
      ? sql<SqlBool>`false`
      : sql<SqlBool>`exists (select 1 from json_each(${validJson(json)}) as ${sql.id('je$')} where ${sql.ref('je$.value')} in (${sql.join(values)}))`,
  random: () => sql`random()`,
  rowid: (alias) => sql.ref(`${alias}._rowid_`),
  strftime: (format, time, modifiers) => {
    const args = time === undefined ? [format] : [format, time, ...modifiers];
    return sql`coalesce(strftime(${sql.join(args)}), '')`;
  },
  geoDistance: (lonA, latA, lonB, latB) => haversineSql(HAVERSINE, lonA, latA, lonB, latB),
};
