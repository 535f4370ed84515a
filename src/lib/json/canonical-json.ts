/**
 * The canonical JSON text of a value: object keys sorted (by UTF-16 code units), no spaces,
 * numbers and strings as JSON.stringify writes them. Two values that are equal as JSON
 * (whatever the key order they were written in) give the same text, so its hash identifies
 * a request body (idempotency keys). `undefined` members are left out as JSON.stringify does;
 * an `undefined` value itself is the empty text. Buffers are not JSON: hash them apart.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  const parts: string[] = [];
  write(value, parts);
  return parts.join('');
}

function write(value: unknown, out: string[]): void {
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    // Not JSON; never in a parsed body.
    out.push('null');
    return;
  }
  if (value === null || typeof value !== 'object') {
    out.push(JSON.stringify(value));
    return;
  }
  if (value instanceof Date) {
    out.push(JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item: unknown, i) => {
      if (i > 0) out.push(',');
      write(item === undefined ? null : item, out);
    });
    out.push(']');
    return;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  out.push('{');
  entries.forEach(([key, item], i) => {
    if (i > 0) out.push(',');
    out.push(JSON.stringify(key), ':');
    write(item, out);
  });
  out.push('}');
}
