import type { Join, Operator } from './filter-token.js';

/**
 * A field, macro or bare word, e.g. `title`, `author.name`, `@request.auth.id`, `tags:each`.
 * `name` is the identifier without its modifier, `path` is `name` split on `.`, and `modifier`
 * is a trailing `:xxx` on the last segment (a colon in an earlier segment, as in
 * `@collection.users:alias.name`, stays part of that segment). `null`, `true` and `false` are
 * identifiers too: see {@link literalKeyword}.
 */
export interface IdentifierOperand {
  readonly kind: 'identifier';
  /** Offset of the first character in the source text. */
  readonly pos: number;
  readonly name: string;
  readonly path: readonly string[];
  readonly modifier?: string;
}

/** A number literal such as `123`, `10.5` or `-14`. */
export interface NumberOperand {
  readonly kind: 'number';
  /** Offset of the first character (the `-` of a negative number). */
  readonly pos: number;
  readonly value: number;
}

/** Quoted text with its quotes removed and escaped quotes unescaped. */
export interface TextOperand {
  readonly kind: 'text';
  /** Offset of the opening quote. */
  readonly pos: number;
  readonly value: string;
}

/** A function call such as `geoDistance(lon, lat, 1.5, 2)`. */
export interface FunctionOperand {
  readonly kind: 'function';
  /** Offset of the first character of the function name. */
  readonly pos: number;
  readonly name: string;
  readonly args: readonly Operand[];
}

/**
 * A `{:name}` placeholder: a value the caller binds by name (code's filters, never a client's).
 * It compiles to a bound parameter, never to SQL text.
 */
export interface ParamOperand {
  readonly kind: 'param';
  /** Offset of the `{`. */
  readonly pos: number;
  /** The name between `{:` and `}`. */
  readonly name: string;
}

/** Either side of a comparison. */
export type Operand =
  IdentifierOperand | NumberOperand | TextOperand | FunctionOperand | ParamOperand;

/** `left op right`, e.g. `created > @yesterday`. */
export interface Comparison {
  readonly kind: 'comparison';
  /** Offset of the left operand. */
  readonly pos: number;
  readonly left: Operand;
  readonly op: Operator;
  readonly right: Operand;
}

/** One entry of a group: how it joins the entry before it, and the entry itself. */
export interface GroupItem {
  /** Always 'and' for the first item of a group. */
  readonly join: Join;
  readonly node: FilterNode;
}

/**
 * A parenthesised group, or the whole filter. Items stay a flat left-to-right list, never a
 * precedence tree: the SQL compiler emits them in order inside one pair of parentheses so that
 * SQL's own precedence applies, as PocketBase does (`a || b && c` -> `(a OR b AND c)`).
 */
export interface ExpressionGroup {
  readonly kind: 'group';
  /** Offset of the `(`, or of the first token for the whole filter. */
  readonly pos: number;
  readonly items: readonly GroupItem[];
}

/** What a group holds: comparisons and nested groups. */
export type FilterNode = Comparison | ExpressionGroup;

/** A bare word that may stand for a literal when it does not resolve to a field. */
export type LiteralKeyword = 'null' | 'true' | 'false';

/**
 * Returns 'null', 'true' or 'false' when `operand` is that bare word (any case, one segment, no
 * modifier), otherwise undefined. The compiler treats it as a literal only when no field of
 * that name exists.
 */
export function literalKeyword(operand: Operand): LiteralKeyword | undefined {
  if (operand.kind !== 'identifier' || operand.modifier !== undefined) return undefined;
  if (operand.path.length !== 1) return undefined;
  const word = operand.name.toLowerCase();
  return word === 'null' || word === 'true' || word === 'false' ? word : undefined;
}
