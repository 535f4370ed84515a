import { syntaxError } from './filter-error.js';

/**
 * Throws `FilterSyntaxError` when `text` is longer than `maxBytes` UTF-8 bytes; the
 * position is the first character that no longer fits.
 */
export function checkByteLength(text: string, maxBytes: number): void {
  // Cheap exits: UTF-8 uses 1 to 3 bytes per UTF-16 unit (a surrogate pair, 2 units, is 4 bytes).
  if (text.length * 3 <= maxBytes) return;
  let bytes = 0;
  let index = 0;
  for (const char of text) {
    bytes += utf8Length(char.codePointAt(0) ?? 0);
    if (bytes > maxBytes) {
      throw syntaxError(`Filter is longer than ${maxBytes} bytes`, index);
    }
    index += char.length;
  }
}

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  return codePoint < 0x10000 ? 3 : 4;
}
