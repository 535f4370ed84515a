import type {
  IndexColumn,
  IndexDefinition,
  IndexLiteral,
  IndexWhere,
  IndexWhereLogical,
} from './index-definition.js';
import {
  INDEX_DEFINITION_LIMITS,
  IndexDefinitionError,
  assertIdentifier,
  assertIndexColumns,
  isPlainIndexNumber,
} from './index-definition-parse.js';

/** Options of {@link renderIndexWhereSql}. */
export interface RenderIndexWhereOptions {
  /**
   * Also double backslashes inside string literals. Set it for MySQL/MariaDB unless the session
   * runs with NO_BACKSLASH_ESCAPES: there a backslash escapes the next character, so a value
   * ending in `\` would otherwise swallow the closing quote.
   */
  backslashEscapes?: boolean;
}

const COMPARE_OPS = new Set<string>(['=', '!=', '<', '<=', '>', '>=']);

const backtick = (name: string): string => `\`${name}\``;

/**
 * Formats a definition as canonical PocketBase-style SQL with backtick-quoted identifiers, e.g.
 * "CREATE UNIQUE INDEX `idx_users_email` ON `users` (`email`) WHERE `email` != ''".
 * `COLLATE NOCASE` and `DESC` are kept, `ASC` is omitted, the WHERE condition is rebuilt from
 * its AST with the fewest parentheses that keep its structure. Validates the definition first
 * and throws IndexDefinitionError if it breaks a rule or limit of the grammar, so the output
 * always parses: for a canonical definition (as returned by parseIndexDefinition),
 * `parseIndexDefinition(formatIndexDefinition(def))` deep-equals `def`.
 */
export function formatIndexDefinition(def: IndexDefinition): string {
  assertIdentifier(def.name, 'index name');
  assertIdentifier(def.table, 'table name');
  assertIndexColumns(def.columns);
  const unique = def.unique ? 'UNIQUE ' : '';
  const columns = def.columns.map(formatColumn).join(', ');
  const where = def.where ? ` WHERE ${renderIndexWhereSql(def.where, backtick)}` : '';
  const sql = `CREATE ${unique}INDEX ${backtick(def.name)} ON ${backtick(def.table)} (${columns})${where}`;
  const max = INDEX_DEFINITION_LIMITS.maxLength;
  if (sql.length > max) {
    throw new IndexDefinitionError(`The index definition is longer than ${max} characters.`);
  }
  return sql;
}

function formatColumn(column: IndexColumn): string {
  const collate = column.collate === 'nocase' ? ' COLLATE NOCASE' : '';
  const direction = column.direction === 'desc' ? ' DESC' : '';
  return `${backtick(column.name)}${collate}${direction}`;
}

/**
 * Renders a WHERE condition as SQL for an engine's DDL (which cannot take bound parameters).
 * Column names are checked against the identifier rule, then quoted with `quoteIdent`.
 * Literals are inlined safely: strings single-quoted with `'` doubled (and `\` doubled with
 * `backslashEscapes`), numbers only if finite and plain, booleans as TRUE/FALSE, null as NULL.
 * Operators come from a fixed list. Throws IndexDefinitionError for a node outside the grammar,
 * so even a hand-built AST cannot smuggle SQL text through.
 */
export function renderIndexWhereSql(
  where: IndexWhere,
  quoteIdent: (name: string) => string,
  options: RenderIndexWhereOptions = {},
): string {
  const backslashEscapes = options.backslashEscapes === true;
  const context: RenderContext = {
    column: (name) => {
      assertIdentifier(name, 'column name');
      return quoteIdent(name);
    },
    literal: (value) => renderLiteral(value, backslashEscapes),
  };
  return renderNode(where, context, 1);
}

interface RenderContext {
  column: (name: string) => string;
  literal: (value: IndexLiteral) => string;
}

function renderNode(node: IndexWhere, context: RenderContext, depth: number): string {
  if (depth > INDEX_DEFINITION_LIMITS.maxWhereDepth) {
    throw new IndexDefinitionError('The WHERE condition is nested too deeply.');
  }
  switch (node.kind) {
    case 'compare':
      if (!COMPARE_OPS.has(node.op)) {
        throw new IndexDefinitionError(`Unsupported operator ${JSON.stringify(node.op)}.`);
      }
      return `${context.column(node.column)} ${node.op} ${context.literal(node.value)}`;
    case 'isNull':
      return `${context.column(node.column)} IS ${node.negated ? 'NOT NULL' : 'NULL'}`;
    case 'not':
      return `NOT ${renderChild(node.operand, 'not', context, depth)}`;
    case 'and':
    case 'or':
      return renderLogical(node, context, depth);
  }
  // Unreachable for typed input; guards an AST that came from untyped data.
  throw new IndexDefinitionError('Unknown WHERE condition node.');
}

function renderLogical(node: IndexWhereLogical, context: RenderContext, depth: number): string {
  const keyword = node.kind === 'and' ? 'AND' : 'OR';
  if (node.operands.length < 2) {
    throw new IndexDefinitionError(`An ${keyword} condition needs at least two operands.`);
  }
  return node.operands
    .map((operand) => renderChild(operand, node.kind, context, depth))
    .join(` ${keyword} `);
}

/**
 * Renders a child node, parenthesised only where SQL precedence (NOT > AND > OR) would
 * otherwise regroup it: an AND/OR under NOT, an OR under AND.
 */
function renderChild(
  child: IndexWhere,
  parent: 'not' | 'and' | 'or',
  context: RenderContext,
  depth: number,
): string {
  const sql = renderNode(child, context, depth + 1);
  const logical = child.kind === 'and' || child.kind === 'or';
  const parens = (parent === 'not' && logical) || (parent === 'and' && child.kind === 'or');
  return parens ? `(${sql})` : sql;
}

function renderLiteral(value: IndexLiteral, backslashEscapes: boolean): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!isPlainIndexNumber(value)) {
      throw new IndexDefinitionError(`The number ${String(value)} cannot be used in an index.`);
    }
    return String(value);
  }
  if (value.includes('\u0000')) {
    throw new IndexDefinitionError('String literals must not contain NUL characters.');
  }
  const quoted = value.replaceAll("'", "''");
  return `'${backslashEscapes ? quoted.replaceAll('\\', '\\\\') : quoted}'`;
}
