/** Every comparison operator, the plain ones first, then the "any/at-least-one" variants. */
export const OPERATORS = [
  '=',
  '!=',
  '>',
  '>=',
  '<',
  '<=',
  '~',
  '!~',
  '?=',
  '?!=',
  '?>',
  '?>=',
  '?<',
  '?<=',
  '?~',
  '?!~',
] as const;

/** A comparison operator such as `=`, `!~` or `?>=`. */
export type Operator = (typeof OPERATORS)[number];

/** An operator without the `?` (any-item) prefix. */
export type BaseOperator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | '!~';

/** How an item joins the one before it: `&&` is 'and', `||` is 'or'. */
export type Join = 'and' | 'or';

/** Where a token starts and ends (end exclusive) in the source text. */
interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * One token of filter text. Whitespace and `//` comments produce no token; the stream always
 * finishes with an `end` token. A `param` token is a `{:name}` placeholder. A `function` token is a name directly followed by `(` (both
 * consumed), so its arguments and the closing `)` follow as ordinary tokens.
 */
export type Token =
  | (Span & { readonly kind: 'lparen' })
  | (Span & { readonly kind: 'rparen' })
  | (Span & { readonly kind: 'comma' })
  | (Span & { readonly kind: 'operator'; readonly op: Operator })
  | (Span & { readonly kind: 'join'; readonly join: Join })
  | (Span & { readonly kind: 'number'; readonly value: number })
  | (Span & { readonly kind: 'text'; readonly value: string })
  | (Span & { readonly kind: 'identifier'; readonly name: string })
  | (Span & { readonly kind: 'function'; readonly name: string })
  | (Span & { readonly kind: 'param'; readonly name: string })
  | (Span & { readonly kind: 'end' });

/** The kind names of {@link Token}. */
export type TokenKind = Token['kind'];

/** Returns the operator spelled by `text`, or undefined when it is not one. */
export function toOperator(text: string): Operator | undefined {
  return OPERATORS.find((op) => op === text);
}

const BASE_OPERATOR: Readonly<Record<Operator, BaseOperator>> = {
  '=': '=',
  '!=': '!=',
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
  '~': '~',
  '!~': '!~',
  '?=': '=',
  '?!=': '!=',
  '?>': '>',
  '?>=': '>=',
  '?<': '<',
  '?<=': '<=',
  '?~': '~',
  '?!~': '!~',
};

/** Whether `op` is one of the `?` "at least one item" variants. */
export function isAnyOperator(op: Operator): boolean {
  return op.startsWith('?');
}

/** The operator without its `?` prefix: `?>=` gives `>=`, `=` gives `=`. */
export function baseOperator(op: Operator): BaseOperator {
  return BASE_OPERATOR[op];
}
