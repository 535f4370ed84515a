/**
 * The rules every index definition must respect, whether parsed from text or built in code:
 * limits, the error class, and identifier, column and number checks. Shared by the tokenizer,
 * the parser and the formatter of `index-definition.ts`.
 */
import type { IndexColumn, IndexWhere } from './index-definition.js';

/** Limits every index definition must respect, whether parsed from text or built in code. */
export const INDEX_DEFINITION_LIMITS = {
  /** Characters of SQL text (input of the parser, output of the formatter). */
  maxLength: 2000,
  /** Characters of one identifier: PostgreSQL truncates longer names, so we refuse them. */
  maxIdentifierLength: 63,
  /** Columns of one index (SQLite's default limit is higher; nobody needs more). */
  maxColumns: 32,
  /** Nesting of the WHERE condition, counted in AST levels and in parentheses/NOTs. */
  maxWhereDepth: 32,
} as const;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Thrown for an index definition outside the supported grammar or limits. */
export class IndexDefinitionError extends Error {
  override name = 'IndexDefinitionError';
  /** 0-based character offset in the parsed text where the problem was found, when known. */
  readonly position: number | undefined;

  /** @param position 0-based offset of the offending token in the input, if any. */
  constructor(message: string, position?: number) {
    super(message);
    this.position = position;
  }
}

/**
 * Throws unless `name` is a plain identifier (`^[A-Za-z_][A-Za-z0-9_]*$`, at most 63 characters).
 * `what` names the role in the message, e.g. "column name".
 */
export function assertIdentifier(name: string, what: string, position?: number): void {
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}...` : name);
  if (name.length > INDEX_DEFINITION_LIMITS.maxIdentifierLength) {
    const max = INDEX_DEFINITION_LIMITS.maxIdentifierLength;
    throw new IndexDefinitionError(
      `The ${what} ${shown} is longer than ${max} characters.`,
      position,
    );
  }
  if (!IDENTIFIER.test(name)) {
    throw new IndexDefinitionError(
      `Invalid ${what} ${shown}: use letters, digits and underscores, not starting with a digit.`,
      position,
    );
  }
}

/**
 * Throws unless `columns` holds 1 to 32 valid, distinct column names. Names are compared
 * case-insensitively, as SQLite resolves them and as collection field names are unique.
 */
export function assertIndexColumns(columns: readonly IndexColumn[], position?: number): void {
  if (columns.length === 0) {
    throw new IndexDefinitionError('An index needs at least one column.', position);
  }
  const max = INDEX_DEFINITION_LIMITS.maxColumns;
  if (columns.length > max) {
    throw new IndexDefinitionError(`An index can have at most ${max} columns.`, position);
  }
  const seen = new Set<string>();
  for (const column of columns) {
    assertIdentifier(column.name, 'column name', position);
    const key = column.name.toLowerCase();
    if (seen.has(key)) {
      throw new IndexDefinitionError(`Duplicate index column "${column.name}".`, position);
    }
    seen.add(key);
  }
}

/**
 * Whether `value` can appear as a number literal: finite, a safe integer or a decimal that
 * JavaScript prints without an exponent (the grammar has no exponents), so that the formatted
 * text parses back to the same number.
 */
export function isPlainIndexNumber(value: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (Number.isInteger(value)) return Number.isSafeInteger(value);
  return !String(value).includes('e');
}

/** The number of AST levels of a WHERE condition (a single comparison is 1). */
export function indexWhereDepth(node: IndexWhere): number {
  switch (node.kind) {
    case 'compare':
    case 'isNull':
      return 1;
    case 'not':
      return 1 + indexWhereDepth(node.operand);
    case 'and':
    case 'or':
      return 1 + Math.max(...node.operands.map(indexWhereDepth));
  }
}
