import { quoteSource, syntaxError } from './filter-error.js';
import { assertIdentifier, isFunctionName, isIdentifierStart } from './filter-identifier.js';
import { scanNumber, scanOperator, scanText, scanWord, skipTrivia } from './filter-scan.js';
import type { Token } from './filter-token.js';

/** The name of a `{:name}` placeholder. */
const PARAM_NAME = /^[A-Za-z0-9_]+$/;

/**
 * Turns filter text into tokens one at a time, so that the parser reports whichever problem
 * comes first in the text, lexical or grammatical. After the last token it keeps returning an
 * `end` token positioned at the end of the text.
 */
export class Lexer {
  private offset = 0;

  /** Starts reading `text` from its beginning. */
  constructor(private readonly text: string) {}

  /** Reads and returns the next token; throws `FilterSyntaxError` on invalid input. */
  next(): Token {
    const start = skipTrivia(this.text, this.offset);
    const token = this.read(start);
    this.offset = token.end;
    return token;
  }

  private read(start: number): Token {
    const text = this.text;
    if (start >= text.length) return { kind: 'end', start, end: start };
    const ch = text.charAt(start);
    const end = start + 1;
    if (ch === '(') return { kind: 'lparen', start, end };
    if (ch === ')') return { kind: 'rparen', start, end };
    if (ch === ',') return { kind: 'comma', start, end };
    if (text.startsWith('&&', start)) return { kind: 'join', join: 'and', start, end: end + 1 };
    if (text.startsWith('||', start)) return { kind: 'join', join: 'or', start, end: end + 1 };
    if (ch === "'" || ch === '"') return { kind: 'text', start, ...scanText(text, start) };
    if (/[0-9]/.test(ch) || /^-[0-9]/.test(text.slice(start, start + 2))) {
      return { kind: 'number', start, ...scanNumber(text, start) };
    }
    if (isIdentifierStart(ch)) return this.readWord(start);
    if (text.startsWith('{:', start)) return this.readParam(start);
    const op = scanOperator(text, start);
    if (op !== undefined) return { kind: 'operator', op: op.value, start, end: op.end };
    const shown = String.fromCodePoint(text.codePointAt(start) ?? 0);
    throw syntaxError(`Unexpected character ${quoteSource(shown)}`, start);
  }

  /** A `{:name}` placeholder; the name is a plain word (letters, digits, `_`). */
  private readParam(start: number): Token {
    const close = this.text.indexOf('}', start + 2);
    const name = close < 0 ? '' : this.text.slice(start + 2, close);
    if (!PARAM_NAME.test(name)) {
      throw syntaxError('Invalid placeholder, expected {:name}', start);
    }
    return { kind: 'param', name, start, end: close + 1 };
  }

  /** An identifier, or a function name when `(` follows straight away. */
  private readWord(start: number): Token {
    const { value: name, end } = scanWord(this.text, start);
    if (this.text.charAt(end) !== '(') {
      assertIdentifier(name, start);
      return { kind: 'identifier', name, start, end };
    }
    if (!isFunctionName(name)) {
      throw syntaxError(`Invalid function name ${quoteSource(name)}`, start);
    }
    return { kind: 'function', name, start, end: end + 1 };
  }
}

/**
 * Splits the whole of `text` into tokens, ending with an `end` token. Mostly for tests and
 * tooling: the parser pulls tokens lazily from a {@link Lexer}.
 */
export function tokenize(text: string): Token[] {
  const lexer = new Lexer(text);
  const tokens: Token[] = [];
  for (;;) {
    const token = lexer.next();
    tokens.push(token);
    if (token.kind === 'end') return tokens;
  }
}

/** The source text of a token, for error messages (`end of filter` for the end token). */
export function tokenSource(text: string, token: Token): string {
  return token.kind === 'end' ? 'end of filter' : text.slice(token.start, token.end);
}
