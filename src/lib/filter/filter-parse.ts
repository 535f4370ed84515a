import type {
  Comparison,
  ExpressionGroup,
  FilterNode,
  FunctionOperand,
  GroupItem,
  Operand,
} from './filter-ast.js';
import { FilterSyntaxError, quoteSource, syntaxError } from './filter-error.js';
import { parseIdentifier } from './filter-identifier.js';
import { checkByteLength } from './filter-length.js';
import {
  DEFAULT_MAX_EXPRESSIONS,
  MAX_FUNCTION_ARGS,
  MAX_FUNCTION_DEPTH,
  MAX_GROUP_DEPTH,
} from './filter-limits.js';
import type { Token } from './filter-token.js';
import { Lexer, tokenSource } from './filter-tokenize.js';

/** Limits applied while parsing a filter or rule. */
export interface FilterParseOptions {
  /** Maximum UTF-8 byte length of the text; none when omitted (lists pass 3500). */
  readonly maxLength?: number;
  /** Maximum number of comparisons; 200 when omitted. */
  readonly maxExpressions?: number;
}

/**
 * Recursive-descent parser over a lazily read token stream, with one token of lookahead.
 * Grammar: group := item (join item)*; item := '(' group ')' | operand op operand.
 */
class FilterParser {
  private readonly lexer: Lexer;
  /** The lookahead token; read lazily so a lexical error is not reported ahead of its turn. */
  private current: Token | undefined;
  private comparisons = 0;

  constructor(
    private readonly text: string,
    private readonly maxExpressions: number,
  ) {
    this.lexer = new Lexer(text);
  }

  parseRoot(): ExpressionGroup {
    const first = this.peek();
    if (first.kind === 'end') throw syntaxError('Empty filter', 0);
    const group = this.parseGroupBody(first.start, 0);
    const rest = this.peek();
    if (rest.kind === 'rparen') {
      throw syntaxError('Unbalanced parentheses: unexpected ")"', rest.start);
    }
    if (rest.kind !== 'end') throw this.unexpected(rest);
    return group;
  }

  /** The next token, not consumed. A method, so TypeScript does not keep stale narrowing. */
  private peek(): Token {
    this.current ??= this.lexer.next();
    return this.current;
  }

  private take(): Token {
    const token = this.peek();
    this.current = undefined;
    return token;
  }

  private unexpected(token: Token): FilterSyntaxError {
    const shown = quoteSource(tokenSource(this.text, token));
    return syntaxError(`Unexpected token ${shown}`, token.start);
  }

  private parseGroupBody(pos: number, depth: number): ExpressionGroup {
    const items: GroupItem[] = [{ join: 'and', node: this.parseItem(depth) }];
    while (this.peek().kind === 'join') {
      const joinToken = this.take();
      if (joinToken.kind !== 'join') throw this.unexpected(joinToken);
      const next = this.peek();
      if (next.kind === 'end' || next.kind === 'rparen') {
        const shown = quoteSource(tokenSource(this.text, joinToken));
        throw syntaxError(`Dangling ${shown}`, joinToken.start);
      }
      items.push({ join: joinToken.join, node: this.parseItem(depth) });
    }
    return { kind: 'group', pos, items };
  }

  private parseItem(depth: number): FilterNode {
    return this.peek().kind === 'lparen'
      ? this.parseParenthesised(depth + 1)
      : this.parseComparison();
  }

  private parseParenthesised(depth: number): ExpressionGroup {
    const open = this.take();
    if (depth > MAX_GROUP_DEPTH) {
      throw syntaxError(`Parentheses nest deeper than ${MAX_GROUP_DEPTH} levels`, open.start);
    }
    if (this.peek().kind === 'rparen') {
      throw syntaxError('Empty parentheses', open.start);
    }
    const group = this.parseGroupBody(open.start, depth);
    const close = this.take();
    if (close.kind === 'end') {
      throw new FilterSyntaxError(
        `Unbalanced parentheses: "(" at position ${open.start} is not closed.`,
        open.start,
      );
    }
    if (close.kind !== 'rparen') throw this.unexpected(close);
    return group;
  }

  private parseComparison(): Comparison {
    const pos = this.peek().start;
    this.comparisons++;
    if (this.comparisons > this.maxExpressions) {
      throw syntaxError(`Too many expressions (max ${this.maxExpressions})`, pos);
    }
    const left = this.parseOperand(0);
    const opToken = this.take();
    if (opToken.kind === 'end') {
      throw syntaxError('Missing operator', opToken.start);
    }
    if (opToken.kind !== 'operator') throw this.unexpected(opToken);
    const right = this.parseOperand(0);
    return { kind: 'comparison', pos, left, op: opToken.op, right };
  }

  /** Reads one operand; `depth` is how many function calls enclose it. */
  private parseOperand(depth: number): Operand {
    const token = this.take();
    switch (token.kind) {
      case 'identifier':
        return parseIdentifier(token.name, token.start);
      case 'number':
        return { kind: 'number', pos: token.start, value: token.value };
      case 'text':
        return { kind: 'text', pos: token.start, value: token.value };
      case 'param':
        return { kind: 'param', pos: token.start, name: token.name };
      case 'function':
        return this.parseCall(token.name, token.start, depth + 1);
      case 'end':
        throw syntaxError('Missing operand', token.start);
      default:
        throw this.unexpected(token);
    }
  }

  /** Reads the arguments and `)` of a call whose `name(` was just consumed. */
  private parseCall(name: string, pos: number, depth: number): FunctionOperand {
    if (depth > MAX_FUNCTION_DEPTH) {
      throw syntaxError(`Function calls nest deeper than ${MAX_FUNCTION_DEPTH} levels`, pos);
    }
    const args: Operand[] = [];
    if (this.peek().kind === 'rparen') {
      this.take();
      return { kind: 'function', pos, name, args };
    }
    for (;;) {
      if (args.length === MAX_FUNCTION_ARGS) {
        const at = this.peek().start;
        throw syntaxError(`Function "${name}" takes at most ${MAX_FUNCTION_ARGS} arguments`, at);
      }
      args.push(this.parseOperand(depth));
      const separator = this.take();
      if (separator.kind === 'rparen') return { kind: 'function', pos, name, args };
      if (separator.kind === 'end') {
        throw syntaxError(`Unclosed function call "${name}("`, pos);
      }
      if (separator.kind !== 'comma') throw this.unexpected(separator);
    }
  }
}

/**
 * Parses filter or rule text into a fresh, unfrozen AST, with no caching. Most callers want the
 * cached, frozen `parseFilter` instead. Throws {@link FilterSyntaxError} on any invalid input.
 */
export function parseFilterUncached(
  text: string,
  options: FilterParseOptions = {},
): ExpressionGroup {
  if (options.maxLength !== undefined) checkByteLength(text, options.maxLength);
  const parser = new FilterParser(text, options.maxExpressions ?? DEFAULT_MAX_EXPRESSIONS);
  return parser.parseRoot();
}
