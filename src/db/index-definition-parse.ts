/**
 * The parser of index definitions: turns PocketBase-style `CREATE INDEX` text into an
 * {@link IndexDefinition}. Tokens come from `index-definition-tokenize.ts`, limits and checks
 * from `index-definition-rules.ts` (re-exported here for the formatter and the public module).
 */
import type {
  IndexColumn,
  IndexCompareOp,
  IndexDefinition,
  IndexLiteral,
  IndexWhere,
} from './index-definition.js';
import {
  INDEX_DEFINITION_LIMITS,
  IndexDefinitionError,
  assertIdentifier,
  assertIndexColumns,
  indexWhereDepth,
} from './index-definition-rules.js';
import type { Token } from './index-definition-tokenize.js';
import {
  RESERVED,
  TokenStream,
  describe,
  identifierText,
  tokenize,
} from './index-definition-tokenize.js';

export {
  INDEX_DEFINITION_LIMITS,
  IndexDefinitionError,
  assertIdentifier,
  assertIndexColumns,
  indexWhereDepth,
  isPlainIndexNumber,
} from './index-definition-rules.js';

function expectIdentifier(s: TokenStream, what: string, message: string): string {
  const token = s.peek();
  const name = identifierText(token);
  if (name === undefined) throw new IndexDefinitionError(message, token.pos);
  assertIdentifier(name, what, token.pos);
  s.next();
  return name;
}

/**
 * Parses one index definition in PocketBase's style:
 * `CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (col [COLLATE NOCASE] [ASC|DESC], ...)
 * [WHERE cond] [;]`. Keywords are case-insensitive; identifiers are bare or quoted with
 * backticks, double quotes or brackets. The result is canonical: `ASC`, `COLLATE BINARY` and
 * `IF NOT EXISTS` are dropped, `==`/`<>` become `=`/`!=`, and comparisons are written
 * column-first. Throws IndexDefinitionError for anything else.
 */
export function parseIndexDefinition(sql: string): IndexDefinition {
  const max = INDEX_DEFINITION_LIMITS.maxLength;
  if (sql.length > max) {
    throw new IndexDefinitionError(`The index definition is longer than ${max} characters.`);
  }
  const s = new TokenStream(tokenize(sql), sql.length);
  if (s.peek().kind === 'end') throw new IndexDefinitionError('The index definition is empty.', 0);
  const { unique, name, table } = parseHeader(s);
  const columns = parseColumns(s);
  const where = s.accept('keyword', 'WHERE') ? parseWhere(s) : undefined;
  parseEnd(s);
  return where === undefined
    ? { name, table, unique, columns }
    : { name, table, unique, columns, where };
}

function parseHeader(s: TokenStream): { unique: boolean; name: string; table: string } {
  s.expect('keyword', 'CREATE', 'Expected "CREATE INDEX" at the start of the index definition.');
  const unique = s.accept('keyword', 'UNIQUE');
  s.expect('keyword', 'INDEX', `Expected "INDEX" after "${unique ? 'UNIQUE' : 'CREATE'}".`);
  if (s.accept('keyword', 'IF')) {
    s.expect('keyword', 'NOT', 'Expected "NOT EXISTS" after "IF".');
    s.expect('keyword', 'EXISTS', 'Expected "EXISTS" after "IF NOT".');
  }
  const name = expectIdentifier(s, 'index name', 'Expected the index name after "INDEX".');
  s.expect('keyword', 'ON', 'Expected "ON" after the index name.');
  const table = expectIdentifier(s, 'table name', 'Expected the table name after "ON".');
  return { unique, name, table };
}

function parseColumns(s: TokenStream): IndexColumn[] {
  s.expect('symbol', '(', 'Expected "(" after the table name.');
  const open = s.peek().pos;
  if (s.isSymbol(')')) throw new IndexDefinitionError('An index needs at least one column.', open);
  const columns: IndexColumn[] = [];
  for (;;) {
    const column = parseColumn(s);
    columns.push(column);
    if (s.accept('symbol', ',')) continue;
    if (s.accept('symbol', ')')) break;
    throw columnTailError(s.peek(), column.name);
  }
  assertIndexColumns(columns, open);
  return columns;
}

function parseColumn(s: TokenStream): IndexColumn {
  const column: IndexColumn = {
    name: expectIdentifier(s, 'column name', 'Expected a column name.'),
  };
  if (s.accept('keyword', 'COLLATE') && parseCollation(s) === 'nocase') column.collate = 'nocase';
  if (s.accept('keyword', 'DESC')) column.direction = 'desc';
  else s.accept('keyword', 'ASC'); // ascending is the default, so it is not recorded
  return column;
}

function parseCollation(s: TokenStream): 'nocase' | 'binary' {
  const token = s.next();
  const text = token.kind === 'word' ? token.raw : token.kind === 'quoted' ? token.text : '';
  const collation = text.toLowerCase();
  if (collation === 'nocase' || collation === 'binary') return collation;
  throw new IndexDefinitionError(
    `Unsupported collation ${describe(token)}: only NOCASE (or BINARY) is allowed.`,
    token.pos,
  );
}

function columnTailError(token: Token, column: string): IndexDefinitionError {
  if (token.kind === 'symbol' && token.raw === '(') {
    return new IndexDefinitionError('Function calls are not allowed in index columns.', token.pos);
  }
  if (token.kind === 'end') {
    return new IndexDefinitionError('Expected ")" to close the column list.', token.pos);
  }
  return new IndexDefinitionError(
    `Expected "," or ")" after column "${column}", found ${describe(token)}: only plain column names are allowed.`,
    token.pos,
  );
}

function parseEnd(s: TokenStream): void {
  const semicolon = s.accept('symbol', ';');
  const token = s.peek();
  if (token.kind === 'end') return;
  const message = semicolon
    ? 'Only one statement is allowed: ";" may only end the index definition.'
    : `Unexpected ${describe(token)} after the index definition.`;
  throw new IndexDefinitionError(message, token.pos);
}

// ---- WHERE: or := and (OR and)*; and := not (AND not)*; not := NOT not | primary;
// primary := "(" or ")" | operand op operand | operand IS [NOT] NULL

const COMPARE_OPS = new Map<string, IndexCompareOp>([
  ['=', '='],
  ['==', '='],
  ['!=', '!='],
  ['<>', '!='],
  ['<', '<'],
  ['<=', '<='],
  ['>', '>'],
  ['>=', '>='],
]);

/** The operator with its operands swapped: `5 < x` is `x > 5`. */
const FLIPPED: Record<IndexCompareOp, IndexCompareOp> = {
  '=': '=',
  '!=': '!=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};

const WORD_LITERALS = new Map<string, boolean | null>([
  ['TRUE', true],
  ['FALSE', false],
  ['NULL', null],
]);

type Operand =
  | { kind: 'column'; name: string; token: Token }
  | { kind: 'literal'; value: IndexLiteral; token: Token };

function parseWhere(s: TokenStream): IndexWhere {
  const where = parseOr(s, 0);
  if (indexWhereDepth(where) > INDEX_DEFINITION_LIMITS.maxWhereDepth) {
    throw new IndexDefinitionError('The WHERE condition is nested too deeply.');
  }
  return where;
}

function parseOr(s: TokenStream, depth: number): IndexWhere {
  const operands = [parseAnd(s, depth)];
  while (s.accept('keyword', 'OR')) operands.push(parseAnd(s, depth));
  return joinWhere('or', operands);
}

function parseAnd(s: TokenStream, depth: number): IndexWhere {
  const operands = [parseNot(s, depth)];
  while (s.accept('keyword', 'AND')) operands.push(parseNot(s, depth));
  return joinWhere('and', operands);
}

/** Joins operands, flattening nested nodes of the same kind: `a AND (b AND c)` has 3 operands. */
function joinWhere(kind: 'and' | 'or', operands: IndexWhere[]): IndexWhere {
  const [first] = operands;
  if (operands.length === 1 && first !== undefined) return first;
  return { kind, operands: operands.flatMap((o) => (o.kind === kind ? o.operands : [o])) };
}

function nested(s: TokenStream, depth: number): number {
  if (depth >= INDEX_DEFINITION_LIMITS.maxWhereDepth) {
    throw new IndexDefinitionError('The WHERE condition is nested too deeply.', s.peek().pos);
  }
  return depth + 1;
}

function parseNot(s: TokenStream, depth: number): IndexWhere {
  if (!s.accept('keyword', 'NOT')) return parsePrimary(s, depth);
  return { kind: 'not', operand: parseNot(s, nested(s, depth)) };
}

function parsePrimary(s: TokenStream, depth: number): IndexWhere {
  if (!s.accept('symbol', '(')) return parseComparison(s);
  const inner = parseOr(s, nested(s, depth));
  s.expect('symbol', ')', `Expected ")" in the WHERE condition, found ${describe(s.peek())}.`);
  return inner;
}

function parseComparison(s: TokenStream): IndexWhere {
  const left = parseOperand(s);
  if (s.accept('keyword', 'IS')) return parseIsNull(s, left);
  const token = s.peek();
  const op = token.kind === 'symbol' ? COMPARE_OPS.get(token.raw) : undefined;
  if (op === undefined) {
    throw new IndexDefinitionError(
      `Expected =, !=, <>, <, <=, >, >= or IS after ${describe(left.token)}, found ${describe(token)}.`,
      token.pos,
    );
  }
  s.next();
  return makeComparison(left, op, parseOperand(s));
}

function parseOperand(s: TokenStream): Operand {
  const token = s.next();
  switch (token.kind) {
    case 'string':
    case 'number':
      return { kind: 'literal', value: token.value, token };
    case 'quoted':
      return { kind: 'column', name: token.text, token };
    case 'word':
      return wordOperand(s, token);
    default:
      throw new IndexDefinitionError(
        `Expected a column or a value in the WHERE condition, found ${describe(token)}.`,
        token.pos,
      );
  }
}

function wordOperand(s: TokenStream, token: Token): Operand {
  const upper = token.raw.toUpperCase();
  const literal = WORD_LITERALS.get(upper);
  if (literal !== undefined) return { kind: 'literal', value: literal, token };
  if (upper === 'SELECT' || upper === 'EXISTS') {
    throw new IndexDefinitionError('Subqueries are not allowed in index conditions.', token.pos);
  }
  if (s.isSymbol('(')) {
    throw new IndexDefinitionError(
      'Function calls are not allowed in index conditions.',
      token.pos,
    );
  }
  if (RESERVED.has(upper)) {
    throw new IndexDefinitionError(
      `Expected a column or a value in the WHERE condition, found ${describe(token)}.`,
      token.pos,
    );
  }
  return { kind: 'column', name: token.raw, token };
}

function makeComparison(left: Operand, op: IndexCompareOp, right: Operand): IndexWhere {
  if (left.kind === 'column' && right.kind === 'literal') {
    assertIdentifier(left.name, 'column name', left.token.pos);
    return { kind: 'compare', column: left.name, op, value: right.value };
  }
  if (left.kind === 'literal' && right.kind === 'column') {
    assertIdentifier(right.name, 'column name', right.token.pos);
    return { kind: 'compare', column: right.name, op: FLIPPED[op], value: left.value };
  }
  const doubleQuoted = [left, right].find((o) => o.token.raw.startsWith('"'));
  if (left.kind === 'column' && doubleQuoted !== undefined) {
    throw new IndexDefinitionError(
      `${doubleQuoted.token.raw} is a column name in SQL: write string values in single quotes.`,
      doubleQuoted.token.pos,
    );
  }
  throw new IndexDefinitionError(
    'A comparison needs a column on one side and a value on the other.',
    left.token.pos,
  );
}

function parseIsNull(s: TokenStream, left: Operand): IndexWhere {
  const negated = s.accept('keyword', 'NOT');
  s.expect('keyword', 'NULL', `Expected NULL after "${negated ? 'IS NOT' : 'IS'}".`);
  if (left.kind !== 'column') {
    throw new IndexDefinitionError('IS [NOT] NULL needs a column on its left.', left.token.pos);
  }
  assertIdentifier(left.name, 'column name', left.token.pos);
  return { kind: 'isNull', column: left.name, negated };
}
