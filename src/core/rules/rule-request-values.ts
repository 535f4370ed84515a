import type { IdentifierOperand } from '../../lib/filter/index.js';
import { isMultiValue, type Field } from '../field/field-model.js';
import type { Compiler } from './rule-compiler.js';
import { modifierNotApplicable, type Modifier } from './rule-modifiers.js';
import { jsValueOperand, literalOperand, lowered, type Resolved } from './rule-operand.js';

/** A value looked up in the request: whether the key exists, and its value. */
export interface Lookup {
  readonly found: boolean;
  readonly value: unknown;
}

/** Nothing found. */
export const NOT_FOUND: Lookup = { found: false, value: undefined };

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path` inside `value` (object keys; array indexes for digit segments). */
export function lookup(value: unknown, path: readonly string[]): Lookup {
  let current = value;
  for (const key of path) {
    if (Array.isArray(current) && /^\d+$/.test(key)) {
      const items: readonly unknown[] = current;
      const index = Number(key);
      if (index >= items.length) return NOT_FOUND;
      current = items[index];
    } else if (isRecord(current) && Object.hasOwn(current, key)) {
      current = current[key];
    } else {
      return NOT_FOUND;
    }
  }
  return { found: true, value: current };
}

/** The items of a select/file/relation value: a list as it is, one value, or none. */
export function listItems(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null || value === '' ? [] : [value];
}

/** The distinct non-empty relation ids of a value. */
export function relationIds(value: unknown): string[] {
  const ids = listItems(value).filter((v): v is string => typeof v === 'string' && v !== '');
  return [...new Set(ids)];
}

/**
 * A select/file/relation value as compared bare: a single field as its one value (`''` when
 * empty), a multi field as its list (bound as JSON text, as it is stored).
 */
export function listFieldValue(field: Field, value: unknown): unknown {
  const items = listItems(value);
  return isMultiValue(field) ? items : (items.at(-1) ?? '');
}

/**
 * A `@request.*` value known before the query runs. `:isset` tells whether the key exists,
 * `:lower` lower-cases; any other modifier is a 400 (API.md §2.3).
 */
export function staticValue(
  c: Compiler,
  operand: IdentifierOperand,
  modifier: Modifier | undefined,
  found: Lookup,
): Resolved {
  if (modifier === 'isset') return literalOperand(c.dialect, found.found);
  if (modifier !== undefined && modifier !== 'lower') {
    throw modifierNotApplicable(c, operand, modifier);
  }
  const value = jsValueOperand(c.dialect, found.found ? found.value : null);
  return modifier === 'lower' ? lowered(c.dialect, value) : value;
}
