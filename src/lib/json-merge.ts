/** A JSON object. */
export type JsonObject = { [key: string]: unknown };

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Merges a JSON patch over a base value the way decoding JSON into an existing struct does:
 * objects merge key by key, recursively; any other value (arrays included) replaces. The
 * inputs are not modified.
 */
export function mergeJson(base: unknown, patch: unknown): unknown {
  if (!isJsonObject(base) || !isJsonObject(patch)) return patch;
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    // Own keys only: a `__proto__` key in parsed JSON must not reach the prototype chain.
    Object.defineProperty(out, key, {
      value: Object.hasOwn(base, key) ? mergeJson(base[key], value) : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
