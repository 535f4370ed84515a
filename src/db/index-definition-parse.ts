import type {
  IndexColumn,
  IndexCompareOp,
  IndexDefinition,
  IndexLiteral,
  IndexWhere,
} from './index-definition.js';

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

/** A lexical token; `raw` is the source text, `pos` its 0-based offset. */
type Token =
  | { kind: 'word' | 'symbol' | 'end'; raw: string; pos: number }
  | { kind: 'quoted'; raw: string; pos: number; text: string }
  | { kind: 'string'; raw: string; pos: number; value: string }
  | { kind: 'number'; raw: string; pos: number; value: number };

// Longest first, so that "<=" is not read as "<" followed by "=".
const SYMBOLS = ['==', '!=', '<>', '<=', '>=', '=', '<', '>', '(', ')', ',', ';'];
const CLOSING_QUOTE = new Map([
  ['`', '`'],
  ['"', '"'],
  ['[', ']'],
]);

/** Splits `sql` into tokens; rejects comments, unknown characters and unterminated quotes. */
function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    if (/\s/.test(sql.charAt(i))) {
      i += 1;
      continue;
    }
    const token = scanToken(sql, i);
    tokens.push(token);
    i += token.raw.length;
  }
  return tokens;
}

function scanToken(sql: string, start: number): Token {
  const ch = sql.charAt(start);
  const pair = sql.slice(start, start + 2);
  if (pair === '--' || pair === '/*') {
    throw new IndexDefinitionError('Comments are not allowed in index definitions.', start);
  }
  if (ch === "'") return scanString(sql, start);
  const close = CLOSING_QUOTE.get(ch);
  if (close !== undefined) return scanQuoted(sql, start, close);
  if (/[0-9]/.test(ch) || /^-[0-9]/.test(pair)) return scanNumber(sql, start);
  const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(start))?.[0];
  if (word !== undefined) return { kind: 'word', raw: word, pos: start };
  const symbol = SYMBOLS.find((s) => sql.startsWith(s, start));
  if (symbol !== undefined) return { kind: 'symbol', raw: symbol, pos: start };
  throw new IndexDefinitionError(`Unexpected character ${JSON.stringify(ch)}.`, start);
}

function scanString(sql: string, start: number): Token {
  let value = '';
  let i = start + 1;
  for (;;) {
    const quote = sql.indexOf("'", i);
    if (quote < 0) throw new IndexDefinitionError('Unterminated string literal.', start);
    value += sql.slice(i, quote);
    i = quote + 1;
    if (sql.charAt(i) !== "'") break;
    value += "'";
    i += 1;
  }
  if (value.includes('\u0000')) {
    throw new IndexDefinitionError('String literals must not contain NUL characters.', start);
  }
  return { kind: 'string', raw: sql.slice(start, i), pos: start, value };
}

function scanQuoted(sql: string, start: number, close: string): Token {
  const end = sql.indexOf(close, start + 1);
  if (end < 0) throw new IndexDefinitionError('Unterminated quoted identifier.', start);
  // A doubled closing quote is an escaped quote character, which no valid identifier contains.
  if (close !== ']' && sql.charAt(end + 1) === close) {
    throw new IndexDefinitionError(
      'Quoted identifiers may only contain letters, digits and underscores.',
      start,
    );
  }
  const raw = sql.slice(start, end + 1);
  return { kind: 'quoted', raw, pos: start, text: sql.slice(start + 1, end) };
}

function scanNumber(sql: string, start: number): Token {
  const raw = /^-?[A-Za-z0-9_.]*/.exec(sql.slice(start))?.[0] ?? '';
  if (!/^-?[0-9]+(?:\.[0-9]+)?$/.test(raw)) {
    throw new IndexDefinitionError(
      `Invalid number "${raw}": numbers are plain decimals like -12.5, and identifiers must not start with a digit.`,
      start,
    );
  }
  const value = Number(raw);
  if (!isPlainIndexNumber(value)) {
    throw new IndexDefinitionError(`The number ${raw} is out of range.`, start);
  }
  // `-0` would not survive formatting (it prints as "0"), so it is stored as 0.
  return { kind: 'number', raw, pos: start, value: value === 0 ? 0 : value };
}

/** A cursor over the tokens, with keyword and symbol helpers. */
class TokenStream {
  private index = 0;
  private readonly end: Token;

  constructor(
    private readonly tokens: readonly Token[],
    length: number,
  ) {
    this.end = { kind: 'end', raw: '', pos: length };
  }

  peek(): Token {
    return this.tokens[this.index] ?? this.end;
  }

  next(): Token {
    const token = this.peek();
    this.index += 1;
    return token;
  }

  isKeyword(keyword: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.raw.toUpperCase() === keyword;
  }

  isSymbol(symbol: string): boolean {
    const token = this.peek();
    return token.kind === 'symbol' && token.raw === symbol;
  }

  accept(kind: 'keyword' | 'symbol', text: string): boolean {
    const found = kind === 'keyword' ? this.isKeyword(text) : this.isSymbol(text);
    if (found) this.index += 1;
    return found;
  }

  expect(kind: 'keyword' | 'symbol', text: string, message: string): void {
    if (!this.accept(kind, text)) throw new IndexDefinitionError(message, this.peek().pos);
  }
}

/** Bare words that are never identifiers; quote them (`"on"`) to use them as names. */
const RESERVED = new Set(
  'CREATE UNIQUE INDEX IF NOT EXISTS ON COLLATE ASC DESC WHERE AND OR IS NULL TRUE FALSE SELECT'.split(
    ' ',
  ),
);

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the definition';
  return JSON.stringify(token.raw.length > 40 ? `${token.raw.slice(0, 40)}...` : token.raw);
}

/** The identifier a token spells (quoted, or a bare non-reserved word), if it is one. */
function identifierText(token: Token): string | undefined {
  if (token.kind === 'quoted') return token.text;
  if (token.kind === 'word' && !RESERVED.has(token.raw.toUpperCase())) return token.raw;
  return undefined;
}

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
