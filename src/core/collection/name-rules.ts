/**
 * Naming rules for collections and fields. Names become SQL table and column names on three
 * engines, so they are plain identifiers, at most 63 characters (PostgreSQL's limit), and never
 * an SQL reserved word, even though Basalt always quotes identifiers: raw SQL written by users
 * (view queries, the SQL console, other tools on the same database) should not need quoting.
 */

/** The longest collection or field name. */
export const MAX_NAME_LENGTH = 63;

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Words reserved in SQLite, PostgreSQL or MySQL/MariaDB that are most likely to be used as
 * names by mistake; each makes unquoted SQL ambiguous on at least one engine.
 */
const SQL_RESERVED = new Set(
  `add all alter analyze and as asc between both by case cast check collate column constraint
  create cross current_date current_time current_timestamp database default delete desc
  distinct drop else end escape except exists false fetch for foreign from full grant group
  having if in index inner insert intersect into is join key leading left like limit natural
  not null offset on or order outer primary references returning right rowid select set
  table then to trailing true union unique update using values when where window with`
    .split(/\s+/)
    .filter((w) => w !== ''),
);

/** Why a name is not acceptable, or undefined when it is. */
export type NameProblem = 'format' | 'length' | 'reserved';

/** Checks a collection or field name against the shared rules. */
export function checkName(name: string): NameProblem | undefined {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return 'length';
  if (!NAME_RE.test(name)) return 'format';
  if (SQL_RESERVED.has(name.toLowerCase())) return 'reserved';
  return undefined;
}
