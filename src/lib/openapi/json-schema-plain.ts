import type { JsonSchema } from './openapi-model.js';

/** TypeBox `type`s of JavaScript values that JSON cannot carry. */
const NOT_JSON_TYPES = new Set([
  'undefined',
  'void',
  'bigint',
  'symbol',
  'Uint8Array',
  'Function',
  'Constructor',
  'Promise',
  'AsyncIterator',
  'Iterator',
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function plainValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainValue);
  if (isObject(value)) return plainJsonSchema(value);
  return value;
}

/** A schema of a JavaScript-only TypeBox type, as the JSON it serializes to. */
function jsOnlyType(type: string, schema: Record<string, unknown>): JsonSchema | undefined {
  if (type === 'Date') return { type: 'string', format: 'date-time' };
  if (type === 'RegExp') {
    return typeof schema.source === 'string'
      ? { type: 'string', pattern: schema.source }
      : { type: 'string' };
  }
  if (NOT_JSON_TYPES.has(type)) return { description: `A ${type} value (not JSON).` };
  return undefined;
}

/**
 * A TypeBox schema (or any JSON Schema object) as plain JSON Schema 2020-12, for an OpenAPI
 * 3.1 document: TypeBox's symbol keys (`[Kind]`, `[OptionalKind]`...) are left out (they are
 * not own string keys), draft-07 tuples (`items: [...]`, `additionalItems`) become
 * `prefixItems` / `items`, and types of JavaScript values (Date, RegExp, Uint8Array, ...)
 * become the JSON they serialize to, or an unconstrained schema. Recursive TypeBox schemas
 * (`$id` + `$ref` "T0") are kept as they are.
 */
export function plainJsonSchema(schema: Readonly<Record<string, unknown>>): JsonSchema {
  const type = schema.type;
  if (typeof type === 'string') {
    const replaced = jsOnlyType(type, schema);
    if (replaced) return replaced;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(schema)) {
    if (key === 'items' && Array.isArray(schema.items)) {
      out.prefixItems = schema.items.map(plainValue);
      continue;
    }
    if (key === 'additionalItems') {
      if (Array.isArray(schema.items)) out.items = plainValue(schema.additionalItems);
      continue;
    }
    out[key] = plainValue(schema[key]);
  }
  return out;
}
