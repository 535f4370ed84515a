import { FieldsParamError, quoteFields } from './fields-error.js';
import type { FieldModifier } from './fields-types.js';
import { toExcerpt } from './html-excerpt.js';

/** `name(args)`, no nested parentheses; the caller has already trimmed the text. */
const CALL = /^([A-Za-z_][A-Za-z0-9_]*)\s*\(([^()]*)\)$/;
const DIGITS = /^[0-9]+$/;

/** The values Go's strconv.ParseBool accepts, which PocketBase uses for `withEllipsis`. */
const BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ['1', true],
  ['t', true],
  ['T', true],
  ['true', true],
  ['TRUE', true],
  ['True', true],
  ['0', false],
  ['f', false],
  ['F', false],
  ['false', false],
  ['FALSE', false],
  ['False', false],
]);

/**
 * Parses the modifier after a path's `:` (`excerpt(200, true)`); `pos` is where `text` starts
 * in the whole param, for error positions. Throws {@link FieldsParamError} on anything else.
 */
export function parseModifier(text: string, pos: number): FieldModifier {
  const call = CALL.exec(text);
  if (call === null) {
    throw new FieldsParamError(
      `expected a modifier like excerpt(maxChars, withEllipsis?), got ${quoteFields(text)}`,
      pos,
    );
  }
  const name = call[1] ?? '';
  if (name !== 'excerpt') throw new FieldsParamError(`unknown modifier ${quoteFields(name)}`, pos);
  const args = (call[2] ?? '').split(',').map((arg) => arg.trim());
  if (args.length > 2) {
    throw new FieldsParamError(
      'too many excerpt arguments, expected (maxChars, withEllipsis?)',
      pos,
    );
  }
  return {
    kind: 'excerpt',
    maxChars: parseMaxChars(args[0] ?? '', pos),
    withEllipsis: parseWithEllipsis(args[1], pos),
  };
}

/** The first excerpt argument: a positive safe integer in plain decimal digits. */
function parseMaxChars(arg: string, pos: number): number {
  const value = DIGITS.test(arg) ? Number(arg) : Number.NaN;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new FieldsParamError(
      `excerpt maxChars must be a positive integer, got ${quoteFields(arg)}`,
      pos,
    );
  }
  return value;
}

/** The optional second excerpt argument; absent means false. */
function parseWithEllipsis(arg: string | undefined, pos: number): boolean {
  if (arg === undefined) return false;
  const value = BOOLEANS.get(arg);
  if (value === undefined) {
    throw new FieldsParamError(
      `excerpt withEllipsis must be true or false, got ${quoteFields(arg)}`,
      pos,
    );
  }
  return value;
}

/** Applies a modifier to a kept value. `excerpt` changes strings only; other values pass. */
export function applyModifier(value: unknown, modifier: FieldModifier): unknown {
  if (typeof value !== 'string') return value;
  return toExcerpt(value, modifier.maxChars, modifier.withEllipsis);
}
