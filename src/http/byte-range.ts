import type { ByteRange } from '../core/files/file-storage.js';

/** What a Range header asks of an object of `size` bytes. */
export type RangeRequest =
  | { readonly kind: 'whole' }
  | { readonly kind: 'range'; readonly range: ByteRange }
  | { readonly kind: 'unsatisfiable' };

const WHOLE = { kind: 'whole' } as const;

/**
 * Reads a `Range: bytes=...` header (RFC 9110 §14.1.2) for one range: `a-b`, `a-` and the
 * suffix `-n`. Headers it does not serve (other units, several ranges, malformed text) mean
 * the whole object, which the RFC allows; a range starting past the end is unsatisfiable.
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (!header) return WHOLE;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return WHOLE;
  const [, first = '', last = ''] = m;
  if (first === '' && last === '') return WHOLE;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = Number(first);
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (end < start) return WHOLE;
  return { kind: 'range', range: { start, end } };
}
