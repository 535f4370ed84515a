import type { Expression, InsertQueryBuilder, SqlBool } from 'kysely';

/** An ordering operator. */
export type OrderingOperator = '<' | '<=' | '>' | '>=';

/** Cross-type comparisons for engines that type strictly (see SqlDialect.strictTypes). */
export interface StrictTypes {
  /** A boolean value as the number 1 or 0 (how SQLite stores and compares it). */
  boolToNumber(value: Expression<unknown>): Expression<unknown>;
  /**
   * `number op text` with SQLite's rules: text that reads as a number compares as that number,
   * any other text is greater than every number; NULL when either side is NULL.
   */
  orderNumberText(
    number: Expression<unknown>,
    op: OrderingOperator,
    text: Expression<unknown>,
  ): Expression<SqlBool>;
}

/**
 * The SQL pieces that differ between engines, used by the rule/filter compiler and by record
 * queries. Each engine implements it in `src/db/<engine>/sql-dialect.ts`; nothing outside those
 * folders branches on the engine (DESIGN.md principle 2).
 *
 * Every method returns a Kysely expression built with the `sql` tag: values are bound
 * parameters, identifiers come from `sql.ref`/`sql.id`, never from text. Arguments typed
 * `Expression` are already-built SQL (columns, parameters, sub-expressions); plain strings are
 * values to bind.
 */
export interface SqlDialect {
  /**
   * Whether a transaction must lock the rows it reads before updating them
   * (`SELECT ... FOR UPDATE`) so that concurrent updates are not lost. False on SQLite, whose
   * write transactions are already serialised.
   */
  readonly rowLocks: boolean;

  /**
   * The INSERT `insert`, made to skip a row that a unique key (`keyColumn`, or the primary
   * key) already holds instead of failing, so that two concurrent inserts of one key leave
   * one row and no error (PostgreSQL and SQLite `ON CONFLICT DO NOTHING`, MariaDB
   * `ON DUPLICATE KEY UPDATE key = key`). The second waits for the first to commit or roll
   * back. Callers read the row back by its key to learn which one is stored.
   */
  insertOrIgnore<DB, TB extends keyof DB, O>(
    insert: InsertQueryBuilder<DB, TB, O>,
    keyColumn: string,
  ): InsertQueryBuilder<DB, TB, O>;

  /**
   * Whether NULL sorts after every value in ascending order (PostgreSQL). SQLite and MySQL sort
   * it first; where this is true, sorts say NULLS FIRST / NULLS LAST to order as SQLite does.
   */
  readonly nullsLast: boolean;

  /**
   * A boolean as a bound parameter that compares equal to a stored bool column and to the
   * result of a condition (SQLite: 1 or 0, since better-sqlite3 cannot bind booleans).
   */
  bool(value: boolean): Expression<unknown>;

  /**
   * A number as a bound parameter. SQLite binds integers as INTEGER: better-sqlite3 binds every
   * JS number as REAL, and an INTEGER column compared with a REAL parameter takes SQLite's
   * generic comparison on every row it scans instead of its integer fast path.
   */
  number(value: number): Expression<unknown>;

  /**
   * `left LIKE pattern ESCAPE '\'` (or NOT LIKE when `negate`), case-insensitive at least for
   * ASCII letters. `pattern` is a complete LIKE pattern with `\` as the escape character.
   */
  like(
    left: Expression<unknown>,
    pattern: Expression<unknown>,
    negate: boolean,
  ): Expression<SqlBool>;

  /** Text concatenation of the parts, in order (NULL when any part is NULL). */
  concat(parts: readonly Expression<unknown>[]): Expression<unknown>;

  /**
   * Null-safe comparison that never yields NULL and treats two NULLs as equal: with
   * `distinct` true it is `left IS NOT right` (true when they differ), with false
   * `left IS right` (true when they are equal).
   */
  isDistinct(
    left: Expression<unknown>,
    right: Expression<unknown>,
    distinct: boolean,
  ): Expression<SqlBool>;

  /**
   * The value with NULL replaced by `''`, in a form that compares with `=` across the stored
   * types (API.md §2.1 null/empty normalisation: `COALESCE(x, '')`).
   */
  emptyIfNull(value: Expression<unknown>): Expression<unknown>;

  /** Lower-cased text of the value (`:lower`). */
  lower(value: Expression<unknown>): Expression<unknown>;

  /**
   * The JSON value stored as text in `json` at `path`: each segment is an object key, or an
   * array index when it is all digits; an empty path is the whole value. Strings, numbers and
   * booleans come out as SQL scalars (booleans as `bool` values), objects and arrays as their
   * minified JSON text, and a missing key, JSON `null` or text that is not JSON as NULL.
   */
  jsonExtract(json: Expression<unknown>, path: readonly string[]): Expression<unknown>;

  /**
   * A value from {@link jsonExtract} as a number, for an ordering against a number literal
   * (`meta.price > 10`): unchanged where jsonExtract already answers typed values (SQLite);
   * on engines where it answers text, that text read as a number, NULL when it is not one.
   */
  jsonNumber(value: Expression<unknown>): Expression<unknown>;

  /** The number of items of the JSON array stored as text in `json` (0 for `[]` and NULL). */
  jsonArrayLength(json: Expression<unknown>): Expression<unknown>;

  /**
   * A table source, aliased `alias`, with one row per item of the JSON array stored as text
   * in `json` and a text column `value`. It is joined as `LEFT JOIN <source> ON TRUE` and
   * `json` may reference earlier items of the same FROM clause (a LATERAL join).
   */
  jsonEach(json: Expression<unknown>, alias: string): Expression<unknown>;

  /** Whether the JSON array stored as text in `json` has an item equal to `value`. */
  jsonArrayContains(
    json: Expression<unknown>,
    value: Expression<unknown> | string,
  ): Expression<SqlBool>;

  /** Whether the JSON array stored as text in `json` has an item equal to any of `values`. */
  jsonArrayOverlaps(json: Expression<unknown>, values: readonly string[]): Expression<SqlBool>;

  /**
   * Present on engines that refuse to compare values of different SQL types (PostgreSQL:
   * `double precision > text` is an error), with what the rule compiler needs to compare them
   * as SQLite does instead. Absent where the engine compares across types itself.
   */
  readonly strictTypes?: StrictTypes;

  /** A random number per row, for `sort=@random`. */
  random(): Expression<unknown>;

  /** The insertion-order key of the rows of table alias `alias`, for `sort=@rowid`. */
  rowid(alias: string): Expression<unknown>;

  /**
   * SQLite's `strftime(format, [time, modifiers...])` semantics (UTC): formats `time` (the
   * current time when undefined) after applying the modifiers; `''` instead of NULL when the
   * time cannot be parsed. Absent on engines without an implementation yet: the compiler then
   * answers 400.
   */
  readonly strftime?: (
    format: Expression<unknown>,
    time: Expression<unknown> | undefined,
    modifiers: readonly Expression<unknown>[],
  ) => Expression<unknown>;

  /**
   * The great-circle distance in kilometres between two points given in degrees (Haversine,
   * earth radius 6371 km); NULL when any argument is NULL.
   */
  geoDistance(
    lonA: Expression<unknown>,
    latA: Expression<unknown>,
    lonB: Expression<unknown>,
    latB: Expression<unknown>,
  ): Expression<unknown>;
}
