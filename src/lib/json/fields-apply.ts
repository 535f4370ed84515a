import { isJsonObject } from '../json-merge.js';
import { applyModifier } from './fields-modifier.js';
import type { FieldPick, FieldSelection, FieldsProjection } from './fields-types.js';

/** Anything shaped like a PocketBase `ListResult`: its own keys plus an `items` array. */
export interface ListResultLike {
  readonly items: readonly unknown[];
}

/**
 * Applies a parsed `fields` projection to a response value and returns the result; the input is
 * never modified (kept subtrees are shared, not copied).
 *
 * - An object keeps only the selected keys, in its own key order. `*` keeps every key at its
 *   level, while longer paths still narrow the keys they name.
 * - An array applies the selection to each object element; other elements (primitives, nested
 *   arrays) pass through unchanged, as in PocketBase. This also bounds the recursion by the
 *   projection's depth.
 * - Primitives pass through; a path that goes below a primitive keeps the primitive.
 * - `:excerpt` turns a kept string into a plain-text excerpt; other values are left as they are.
 * - An object with a `toJSON` method (a Date, a model class) is first converted the way
 *   `JSON.stringify` would, so that the projection sees what the client would.
 *
 * With a `none` projection the value is returned as it is.
 */
export function applyFieldsProjection(value: unknown, projection: FieldsProjection): unknown {
  if (projection.kind === 'none') return value;
  return applySelection(toJsonValue(value, ''), projection.root);
}

/**
 * Applies a projection to each element of a list response's `items` only; the list's own keys
 * (`page`, `perPage`, `totalItems`, `totalPages`, ...) are kept, as API.md §0 requires.
 */
export function applyToListResult<T extends ListResultLike>(
  body: T,
  projection: FieldsProjection,
): Omit<T, 'items'> & { items: unknown[] } {
  if (projection.kind === 'none') return { ...body, items: [...body.items] };
  const root = projection.root;
  const items = body.items.map((item, index) => applyItem(toJsonValue(item, String(index)), root));
  return { ...body, items };
}

/** True when `value` is an object with an `items` array, i.e. can go to applyToListResult. */
export function isListResult(value: unknown): value is ListResultLike {
  return isJsonObject(value) && Array.isArray(value.items);
}

/** Projects an object level, or each element of an array; anything else passes through. */
function applySelection(value: unknown, selection: FieldSelection): unknown {
  if (Array.isArray(value)) {
    return value.map((item: unknown, index) =>
      applyItem(toJsonValue(item, String(index)), selection),
    );
  }
  return applyItem(value, selection);
}

/** Projects one object; non-objects (including arrays inside arrays) pass through. */
function applyItem(value: unknown, selection: FieldSelection): unknown {
  if (!isJsonObject(value)) return value;
  const entries: [string, unknown][] = [];
  for (const [key, child] of Object.entries(value)) {
    const pick = selection.keys.get(key) ?? selection.star;
    if (pick !== null) entries.push([key, applyPick(child, key, pick)]);
  }
  // fromEntries defines own properties, so a `__proto__` key stays a plain key.
  return Object.fromEntries(entries);
}

/** Applies what was picked for one key to that key's value. */
function applyPick(value: unknown, key: string, pick: FieldPick): unknown {
  if (pick.kind === 'nested') return applySelection(toJsonValue(value, key), pick.selection);
  return pick.modifier === null ? value : applyModifier(value, pick.modifier);
}

/** Calls `toJSON(key)` when the value has one, as JSON.stringify does; else returns the value. */
function toJsonValue(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || !('toJSON' in value)) return value;
  const toJSON: unknown = value.toJSON;
  if (typeof toJSON !== 'function') return value;
  const converted: unknown = Reflect.apply(toJSON, value, [key]);
  return converted;
}
