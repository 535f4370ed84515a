import { sql, type Expression, type SqlBool } from 'kysely';
import { haversineSql, type HaversineParts } from '../geo-distance.js';
import { jsonPathText } from '../json-path.js';
import type { SqlDialect } from '../sql-dialect.js';
import { TEXT_COLLATION } from './column-types.js';

const HAVERSINE: HaversineParts = {
  // MariaDB's least() is NULL when an argument is NULL.
  smaller: (a, b) => sql`least(${a}, ${b})`,
  radians: (d) => sql`radians(${d})`,
};

/** The JSON text, or NULL when it is not valid JSON (JSON functions would warn or fail). */
function validJson(json: Expression<unknown>): Expression<unknown> {
  return sql`(case when json_valid(${json}) then ${json} end)`;
}

/** The JSON array stored as text, or `[]` for NULL, text that is not JSON and other values. */
function jsonArray(json: Expression<unknown>): Expression<unknown> {
  return sql`coalesce(case when json_valid(${json}) then case when json_type(${json}) = 'ARRAY' then ${json} end end, '[]')`;
}

/** One row per item of a JSON array, with its text (a string item unquoted) as `value`. */
function jsonTable(json: Expression<unknown>, alias: string): Expression<unknown> {
  const column = sql`${sql.id('value')} longtext character set utf8mb4 collate ${sql.raw(TEXT_COLLATION)} path '$'`;
  return sql`json_table(${jsonArray(json)}, '$[*]' columns (${column})) as ${sql.id(alias)}`;
}

/**
 * The MariaDB implementation of {@link SqlDialect}. Texts compare in the NO PAD binary
 * collation (as SQLite's BINARY); LIKE lowers both sides, so that `~` ignores case as on SQLite
 * without the accent folding of a `_ci` collation. JSON paths give SQL scalars through
 * JSON_VALUE (booleans as 1/0) and objects or arrays as minified JSON text.
 */
export const mysqlDialect: SqlDialect = {
  rowLocks: true,
  nullsLast: false,
  // Not INSERT IGNORE: that also turns other errors (a value too long) into warnings.
  insertOrIgnore: (insert, keyColumn) =>
    insert.modifyEnd(sql`on duplicate key update ${sql.ref(keyColumn)} = ${sql.ref(keyColumn)}`),
  bool: (value) => sql`${value ? 1 : 0}`,
  number: (value) => sql`${value}`,
  like: (left, pattern, negate) =>
    negate
      ? sql<SqlBool>`lower(${left}) not like lower(${pattern}) escape '\\\\'`
      : sql<SqlBool>`lower(${left}) like lower(${pattern}) escape '\\\\'`,
  concat: (parts) => sql`concat(${sql.join(parts)})`,
  isDistinct: (left, right, distinct) =>
    distinct ? sql<SqlBool>`not (${left} <=> ${right})` : sql<SqlBool>`(${left} <=> ${right})`,
  emptyIfNull: (value) => sql`coalesce(${value}, '')`,
  lower: (value) => sql`lower(${value})`,
  jsonExtract: (json, path) => {
    const valid = validJson(json);
    const at = jsonPathText(path);
    return sql`coalesce(json_value(${valid}, ${at}), json_compact(json_query(${valid}, ${at})))`;
  },
  // A JSON number's text always matches this pattern; anything else (text) is NULL. JSON
  // booleans come out of jsonExtract as 1/0 and stay numbers, as on SQLite.
  jsonNumber: (value) =>
    sql`(case when ${value} regexp '^-?[0-9]+([.][0-9]+)?([eE][+-]?[0-9]+)?$' then cast(${value} as double) end)`,
  jsonArrayLength: (json) => sql`json_length(${jsonArray(json)})`,
  jsonEach: (json, alias) => jsonTable(json, alias),
  jsonArrayContains: (json, value) =>
    sql<SqlBool>`exists (select 1 from ${jsonTable(json, 'je$')} where ${sql.ref('je$.value')} = ${value})`,
  jsonArrayOverlaps: (json, values) =>
    values.length === 0
      ? sql<SqlBool>`false`
      : sql<SqlBool>`exists (select 1 from ${jsonTable(json, 'je$')} where ${sql.ref('je$.value')} in (${sql.join(values)}))`,
  random: () => sql`rand()`,
  rowid: (alias) => sql.ref(`${alias}._rowid_`),
  // basalt_strftime() and its helpers: strftime.ts, created by `initialize`.
  strftime: (format, time, modifiers) => {
    const value = time ?? sql`'now'`;
    const mods = modifiers.length === 0 ? sql`'[]'` : sql`json_array(${sql.join(modifiers)})`;
    return sql`coalesce(basalt_strftime(${format}, ${value}, ${mods}), '')`;
  },
  geoDistance: (lonA, latA, lonB, latB) => haversineSql(HAVERSINE, lonA, latA, lonB, latB),
};
