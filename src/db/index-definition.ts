/**
 * Collection index definitions (the `indexes` strings of a collection, API.md §3.4).
 *
 * Basalt never executes user SQL text: each string is parsed into an {@link IndexDefinition},
 * validated, and each engine adapter regenerates the DDL with its own quoting (calling
 * {@link renderIndexWhereSql} for partial indexes). This module is pure: no database access.
 * Parsing lives in `index-definition-parse.ts`, formatting in `index-definition-format.ts`;
 * import everything from here.
 */
import { assertIdentifier, assertIndexColumns } from './index-definition-parse.js';

export {
  INDEX_DEFINITION_LIMITS,
  IndexDefinitionError,
  parseIndexDefinition,
} from './index-definition-parse.js';
export { formatIndexDefinition, renderIndexWhereSql } from './index-definition-format.js';
export type { RenderIndexWhereOptions } from './index-definition-format.js';

/** One indexed column. */
export interface IndexColumn {
  /** Column (field) name: `^[A-Za-z_][A-Za-z0-9_]*$`, at most 63 characters. */
  name: string;
  /** `COLLATE NOCASE` (ASCII case-insensitive); absent means the default binary collation. */
  collate?: 'nocase';
  /** Sort order; absent means ascending. The parser never returns `'asc'` (it is the default). */
  direction?: 'asc' | 'desc';
}

/** A comparison operator of a WHERE condition (`==` and `<>` are parsed as `=` and `!=`). */
export type IndexCompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** A literal of a WHERE condition: a single-quoted string, a plain number, TRUE/FALSE or NULL. */
export type IndexLiteral = string | number | boolean | null;

/** `column op value`; `5 < views` is stored column-first as `views > 5`. */
export interface IndexWhereCompare {
  kind: 'compare';
  column: string;
  op: IndexCompareOp;
  value: IndexLiteral;
}

/** `column IS NULL`, or `column IS NOT NULL` when `negated`. */
export interface IndexWhereIsNull {
  kind: 'isNull';
  column: string;
  negated: boolean;
}

/** `NOT operand`. */
export interface IndexWhereNot {
  kind: 'not';
  operand: IndexWhere;
}

/**
 * `a AND b AND ...` or `a OR b OR ...`: at least two operands. The parser flattens nested nodes
 * of the same kind, so an `and` never has an `and` operand (nor an `or` an `or`).
 */
export interface IndexWhereLogical {
  kind: 'and' | 'or';
  operands: IndexWhere[];
}

/** The WHERE condition of a partial index, a small AST discriminated by `kind`. */
export type IndexWhere = IndexWhereCompare | IndexWhereIsNull | IndexWhereNot | IndexWhereLogical;

/** A parsed index definition (`IF NOT EXISTS` is accepted on input but not recorded). */
export interface IndexDefinition {
  /** Index name, an identifier. */
  name: string;
  /** Table (collection) name, an identifier. */
  table: string;
  /** `CREATE UNIQUE INDEX`. */
  unique: boolean;
  /** 1 to 32 distinct columns (compared case-insensitively). */
  columns: IndexColumn[];
  /** Partial index condition. */
  where?: IndexWhere;
}

/**
 * Returns a copy of `def` on table `newTable` (used when a collection is renamed). The index
 * name is kept, as PocketBase does. Throws IndexDefinitionError if `newTable` is not an
 * identifier.
 */
export function renameIndexTable(def: IndexDefinition, newTable: string): IndexDefinition {
  assertIdentifier(newTable, 'table name');
  return { ...copyWithColumns(def, (name) => name), table: newTable };
}

/**
 * Returns a copy of `def` with column `from` renamed to `to` in the column list and the WHERE
 * condition (used when a field is renamed). Names match case-insensitively, as SQLite resolves
 * them. Throws IndexDefinitionError if `to` is not an identifier or already is another column.
 */
export function renameIndexColumn(def: IndexDefinition, from: string, to: string): IndexDefinition {
  assertIdentifier(to, 'column name');
  const key = from.toLowerCase();
  const copy = copyWithColumns(def, (name) => (name.toLowerCase() === key ? to : name));
  assertIndexColumns(copy.columns);
  return copy;
}

function copyWithColumns(def: IndexDefinition, rename: (name: string) => string): IndexDefinition {
  const columns = def.columns.map((column) => ({ ...column, name: rename(column.name) }));
  const copy: IndexDefinition = { name: def.name, table: def.table, unique: def.unique, columns };
  if (def.where) copy.where = mapWhereColumns(def.where, rename);
  return copy;
}

function mapWhereColumns(node: IndexWhere, rename: (name: string) => string): IndexWhere {
  switch (node.kind) {
    case 'compare':
    case 'isNull':
      return { ...node, column: rename(node.column) };
    case 'not':
      return { kind: 'not', operand: mapWhereColumns(node.operand, rename) };
    case 'and':
    case 'or':
      return { kind: node.kind, operands: node.operands.map((o) => mapWhereColumns(o, rename)) };
  }
}
