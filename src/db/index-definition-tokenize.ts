/**
 * The lexer of index definitions: splits SQL text into tokens and offers a cursor over them.
 * Used by `index-definition-parse.ts`.
 */
import { IndexDefinitionError, isPlainIndexNumber } from './index-definition-rules.js';

/** A lexical token; `raw` is the source text, `pos` its 0-based offset. */
export type Token =
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
export function tokenize(sql: string): Token[] {
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
export class TokenStream {
  private index = 0;
  private readonly end: Token;

  /** Reads `tokens`; past the last one it returns an `end` token at offset `length`. */
  constructor(
    private readonly tokens: readonly Token[],
    length: number,
  ) {
    this.end = { kind: 'end', raw: '', pos: length };
  }

  /** The current token, without consuming it. */
  peek(): Token {
    return this.tokens[this.index] ?? this.end;
  }

  /** Consumes and returns the current token. */
  next(): Token {
    const token = this.peek();
    this.index += 1;
    return token;
  }

  /** Whether the current token is the bare word `keyword` (upper case), in any case. */
  isKeyword(keyword: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.raw.toUpperCase() === keyword;
  }

  /** Whether the current token is the symbol `symbol`. */
  isSymbol(symbol: string): boolean {
    const token = this.peek();
    return token.kind === 'symbol' && token.raw === symbol;
  }

  /** Consumes the current token if it is the given keyword or symbol; says whether it did. */
  accept(kind: 'keyword' | 'symbol', text: string): boolean {
    const found = kind === 'keyword' ? this.isKeyword(text) : this.isSymbol(text);
    if (found) this.index += 1;
    return found;
  }

  /** Consumes the given keyword or symbol, or throws IndexDefinitionError with `message`. */
  expect(kind: 'keyword' | 'symbol', text: string, message: string): void {
    if (!this.accept(kind, text)) throw new IndexDefinitionError(message, this.peek().pos);
  }
}

/** Bare words that are never identifiers; quote them (`"on"`) to use them as names. */
export const RESERVED = new Set(
  'CREATE UNIQUE INDEX IF NOT EXISTS ON COLLATE ASC DESC WHERE AND OR IS NULL TRUE FALSE SELECT'.split(
    ' ',
  ),
);

/** How a token is named in error messages: its quoted text (cut at 40 characters) or "the end". */
export function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the definition';
  return JSON.stringify(token.raw.length > 40 ? `${token.raw.slice(0, 40)}...` : token.raw);
}

/** The identifier a token spells (quoted, or a bare non-reserved word), if it is one. */
export function identifierText(token: Token): string | undefined {
  if (token.kind === 'quoted') return token.text;
  if (token.kind === 'word' && !RESERVED.has(token.raw.toUpperCase())) return token.raw;
  return undefined;
}
