/** Characters that are special in a LIKE pattern with `\` as the escape character. */
const SPECIAL = new Set(['\\', '%', '_']);

/**
 * Whether `text` has a `%` that no backslash escapes (a `\\` pair is an escaped backslash, so
 * the `%` after it counts).
 */
export function hasUnescapedPercent(text: string): boolean {
  let escaped = false;
  for (const ch of text) {
    if (ch === '%' && !escaped) return true;
    escaped = ch === '\\' && !escaped;
  }
  return false;
}

/**
 * Escapes `\`, `%` and `_` with a backslash unless already escaped, so that the text matches
 * itself in a LIKE pattern: `50%_off` becomes `50\%\_off`, while `a\_b` stays as it is.
 */
export function escapeLike(text: string): string {
  // UTF-16 units are enough: the special characters are ASCII and never half of a pair.
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    const next = text.charAt(i + 1);
    if (ch === '\\' && SPECIAL.has(next)) {
      out += ch + next;
      i++;
    } else {
      out += SPECIAL.has(ch) ? `\\${ch}` : ch;
    }
  }
  return out;
}

/**
 * The LIKE pattern of `~` (API.md §2.1): `%text%` with the special characters escaped, unless
 * the text already holds an unescaped `%`, in which case it is used verbatim as the pattern
 * (`title ~ "Lorem%"` is a prefix match).
 */
export function likePattern(text: string): string {
  return hasUnescapedPercent(text) ? text : `%${escapeLike(text)}%`;
}
