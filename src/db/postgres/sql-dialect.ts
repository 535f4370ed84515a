import { sql, type Expression, type SqlBool } from 'kysely';
import { haversineSql, type HaversineParts } from '../geo-distance.js';
import type { SqlDialect, StrictTypes } from '../sql-dialect.js';

const HAVERSINE: HaversineParts = {
  // Not least(): PostgreSQL's least() skips NULLs, and a NULL coordinate must give NULL.
  smaller: (a, b) => sql`(case when ${b} > ${a} then ${a} else ${b} end)`,
  radians: (d) => sql`radians((${d})::double precision)`,
};

/** The JSON array stored as text, or `[]` for NULL, non-JSON and non-array values. */
function jsonArray(json: Expression<unknown>): Expression<unknown> {
  return sql`basalt_jsonb_array((${json})::text)`;
}

const ORDERING = { '<': sql`<`, '<=': sql`<=`, '>': sql`>`, '>=': sql`>=` } as const;

const STRICT_TYPES: StrictTypes = {
  boolToNumber: (value) => sql`(${value})::int`,
  orderNumberText: (number, op, text) => {
    // Every use typed: a bound parameter alone (`$1 is null`) has no type PostgreSQL can infer.
    const n = sql`(${number})::double precision`;
    const t = sql`(${text})::text`;
    const numberFirst = op === '<' || op === '<=' ? sql`true` : sql`false`;
    // The pattern: text that SQLite's numeric affinity reads as a number.
    return sql<SqlBool>`(case when ${n} is null or ${t} is null then null when ${t} ~ '^[[:space:]]*[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?[[:space:]]*$' then ${n} ${ORDERING[op]} trim(${t})::double precision else ${numberFirst} end)`;
  },
};

/**
 * The PostgreSQL implementation of {@link SqlDialect}. PostgreSQL types strictly, so values
 * that SQLite compares across types are compared as text here (`emptyIfNull`, LIKE);
 * LIKE is ILIKE (case-insensitive, as SQLite's LIKE is for ASCII).
 */
export const postgresDialect: SqlDialect = {
  rowLocks: true,
  nullsLast: true,
  insertOrIgnore: (insert) => insert.onConflict((oc) => oc.doNothing()),
  strictTypes: STRICT_TYPES,
  bool: (value) => sql`${value}`,
  number: (value) => sql`${value}`,
  like: (left, pattern, negate) =>
    negate
      ? sql<SqlBool>`(${left})::text not ilike ${pattern} escape '\\'`
      : sql<SqlBool>`(${left})::text ilike ${pattern} escape '\\'`,
  concat: (parts) =>
    sql`(${sql.join(
      parts.map((p) => sql`(${p})::text`),
      sql` || `,
    )})`,
  // As text, like emptyIfNull: the two sides may be of different types (or an untyped NULL).
  isDistinct: (left, right, distinct) =>
    distinct
      ? sql<SqlBool>`(${left})::text is distinct from (${right})::text`
      : sql<SqlBool>`(${left})::text is not distinct from (${right})::text`,
  emptyIfNull: (value) => sql`coalesce((${value})::text, '')`,
  lower: (value) => sql`lower((${value})::text)`,
  jsonExtract: (json, path) => sql`(basalt_json((${json})::text) #>> ${sql.val(path)}::text[])`,
  // A JSON number's text always matches this pattern; anything else (text, bool) is NULL.
  // The value may also be a number already (geoDistance() compares like a JSON value).
  jsonNumber: (value) =>
    sql`(case when (${value})::text ~ '^-?[0-9]+([.][0-9]+)?([eE][+-]?[0-9]+)?$' then (${value})::text::double precision end)`,
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
  strftime: (format, time, modifiers) => {
    const value = time === undefined ? sql`'now'` : sql`(${time})::text`;
    const mods =
      modifiers.length === 0
        ? sql`array[]::text[]`
        : sql`array[${sql.join(modifiers.map((m) => sql`(${m})::text`))}]`;
    return sql`coalesce(basalt_strftime((${format})::text, ${value}, ${mods}), '')`;
  },
  geoDistance: (lonA, latA, lonB, latB) => haversineSql(HAVERSINE, lonA, latA, lonB, latB),
};
