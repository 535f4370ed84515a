/**
 * Infers the type of a multipart or urlencoded text value as PocketBase does (API.md §0):
 * `"true"`/`"false"` become booleans, a numeric string whose shortest float formatting is the
 * same text becomes a number (so `"007"`, `"1e3"`, `"0.0"` stay strings), anything else stays
 * a string.
 */
export function inferFormValue(raw: string): string | number | boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw !== '' && /^-?\d+(\.\d+)?$/.test(raw)) {
    const n = Number(raw);
    if (Number.isFinite(n) && String(n) === raw) return n;
  }
  return raw;
}

/** Collects form entries into an object; a repeated key becomes an array of its values. */
export function collectFormEntries(entries: Iterable<[string, string]>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, raw] of entries) {
    const value = inferFormValue(raw);
    const current = out[key];
    if (current === undefined) out[key] = value;
    else if (Array.isArray(current)) current.push(value);
    else out[key] = [current, value];
  }
  return out;
}
