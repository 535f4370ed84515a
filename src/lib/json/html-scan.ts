/**
 * One piece of markup that starts at a `<`, read the way an HTML5 tokenizer would, in time
 * linear in its length: `end` is the index just after it.
 *
 * - `start` / `end`: a tag; `name` is lower-cased, attributes are skipped (quoted values may
 *   contain `>`). `selfClosing` means the tag ended in `/>`.
 * - `other`: a comment, doctype, processing instruction, `</>`, or a tag cut off by the end of
 *   the input; none of it is text.
 * - `text`: the `<` does not start markup (`a < b`, `<3`) and is a literal character.
 */
export type Markup =
  | {
      readonly kind: 'start';
      readonly name: string;
      readonly selfClosing: boolean;
      readonly end: number;
    }
  | { readonly kind: 'end'; readonly name: string; readonly end: number }
  | { readonly kind: 'other'; readonly end: number }
  | { readonly kind: 'text' };

const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;

/** Reads the markup at `html[i]`, which must be `<`. */
export function readMarkup(html: string, i: number): Markup {
  const next = html.charCodeAt(i + 1);
  if (next === BANG) return { kind: 'other', end: skipDeclaration(html, i) };
  if (next === QUESTION) return { kind: 'other', end: afterNext(html, '>', i) };
  if (next === SLASH) return readEndTag(html, i);
  if (!isAsciiLetter(next)) return { kind: 'text' };
  const nameEnd = scanName(html, i + 1);
  const rest = scanTagRest(html, nameEnd);
  if (rest === null) return { kind: 'other', end: html.length };
  const name = html.slice(i + 1, nameEnd).toLowerCase();
  return { kind: 'start', name, selfClosing: rest.selfClosing, end: rest.end };
}

/**
 * Skips the content of a raw-text element (script, style, textarea, ...) that starts at
 * `from`, up to and including its end tag; returns the index after it (or the input's length).
 */
export function skipRawText(html: string, from: number, name: string): number {
  let at = html.indexOf('</', from);
  while (at >= 0) {
    const after = at + 2 + name.length;
    if (html.slice(at + 2, after).toLowerCase() === name && endsName(html.charCodeAt(after))) {
      return scanTagRest(html, after)?.end ?? html.length;
    }
    at = html.indexOf('</', at + 2);
  }
  return html.length;
}

/** `<!--...-->` (also the abrupt `<!-->`), or a `<!DOCTYPE ...>`-like declaration. */
function skipDeclaration(html: string, i: number): number {
  if (!html.startsWith('<!--', i)) return afterNext(html, '>', i);
  const close = html.indexOf('-->', i + 2);
  return close < 0 ? html.length : close + 3;
}

/** Reads `</name ...>`, `</>` (dropped), `</` + junk (a bogus comment) or a final `</`. */
function readEndTag(html: string, i: number): Markup {
  const first = html.charCodeAt(i + 2);
  if (Number.isNaN(first)) return { kind: 'text' };
  if (first === GT) return { kind: 'other', end: i + 3 };
  if (!isAsciiLetter(first)) return { kind: 'other', end: afterNext(html, '>', i) };
  const nameEnd = scanName(html, i + 2);
  const end = scanTagRest(html, nameEnd)?.end ?? html.length;
  return { kind: 'end', name: html.slice(i + 2, nameEnd).toLowerCase(), end };
}

/** The index after the next `char` from `from`, or the input's length when there is none. */
function afterNext(html: string, char: string, from: number): number {
  const at = html.indexOf(char, from);
  return at < 0 ? html.length : at + 1;
}

/** The index where a tag name starting at `from` ends (whitespace, `/`, `>` or the end). */
function scanName(html: string, from: number): number {
  let i = from;
  while (i < html.length && !endsName(html.charCodeAt(i))) i++;
  return i;
}

/**
 * Skips a tag's attributes up to its `>`; a quote right after `=` opens a value that may contain
 * `>`. Returns null when the input ends first (an HTML5 tokenizer then drops the tag).
 */
function scanTagRest(html: string, from: number): { end: number; selfClosing: boolean } | null {
  let afterEquals = false;
  for (let i = from; i < html.length; i++) {
    const c = html.charCodeAt(i);
    if (c === GT) return { end: i + 1, selfClosing: html.charCodeAt(i - 1) === SLASH };
    if (afterEquals && (c === DOUBLE_QUOTE || c === SINGLE_QUOTE)) {
      const close = html.indexOf(c === DOUBLE_QUOTE ? '"' : "'", i + 1);
      if (close < 0) return null;
      i = close;
      afterEquals = false;
    } else if (c === EQUALS) {
      afterEquals = true;
    } else if (!isHtmlSpace(c)) {
      afterEquals = false;
    }
  }
  return null;
}

/** Whether `c` ends a tag name: HTML whitespace, `/`, `>` or past the end (NaN). */
function endsName(c: number): boolean {
  return Number.isNaN(c) || c === SLASH || c === GT || isHtmlSpace(c);
}

/** HTML's ASCII whitespace: tab, LF, FF, CR, space. */
function isHtmlSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

/** A-Z or a-z. */
function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
