import type { FieldError } from '../errors.js';
import { fieldError } from '../validation-errors.js';

// The length and pattern checks that text and password fields share.

/** Length in code points: a surrogate pair counts once. */
function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xdc00 || unit > 0xdfff) n++;
  }
  return n;
}

/** Whether `text` has between `min` and `max` code points (0: no bound). */
export function checkLength(text: string, min: number, max: number): FieldError | undefined {
  // A code point is one or two UTF-16 units, so between length/2 and length of them: count
  // them only when those bounds do not decide (a 500-character body costs 19,000
  // instructions to count).
  const units = text.length;
  const decided = (min <= 0 || Math.ceil(units / 2) >= min) && (max <= 0 || units <= max);
  const length = decided ? units : codePoints(text);
  if (min > 0 && length < min) return fieldError('validation_min_text_constraint', { min });
  if (max > 0 && length > max) return fieldError('validation_max_text_constraint', { max });
  return undefined;
}

/** Whether `text` matches `pattern` (a Unicode regular expression; '' matches anything). */
export function checkPattern(text: string, pattern: string): FieldError | undefined {
  if (pattern === '' || new RegExp(pattern, 'u').test(text)) return undefined;
  return fieldError('validation_invalid_format');
}
