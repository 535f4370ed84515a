/** The named character references decoded in excerpts: the common ones, not HTML's full list. */
const NAMED: ReadonlyMap<string, string> = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['nbsp', '\u00a0'],
  ['shy', '\u00ad'],
  ['copy', '\u00a9'],
  ['reg', '\u00ae'],
  ['trade', '\u2122'],
  ['deg', '\u00b0'],
  ['times', '\u00d7'],
  ['middot', '\u00b7'],
  ['bull', '\u2022'],
  ['hellip', '\u2026'],
  ['ndash', '\u2013'],
  ['mdash', '\u2014'],
  ['lsquo', '\u2018'],
  ['rsquo', '\u2019'],
  ['ldquo', '\u201c'],
  ['rdquo', '\u201d'],
  ['laquo', '\u00ab'],
  ['raquo', '\u00bb'],
  ['euro', '\u20ac'],
]);

/** No name in {@link NAMED} is longer; reading stops there, which keeps decoding linear. */
const MAX_NAME_LENGTH = 8;
const REPLACEMENT = '\ufffd';
const SEMICOLON = 0x3b;

/** A decoded character reference: its text and the index just after it. */
export interface DecodedEntity {
  readonly text: string;
  readonly end: number;
}

/**
 * Decodes the character reference at `html[i]` (an `&`): a known name with its `;`
 * (`&amp;`, `&nbsp;`, ...) or a decimal/hex number (`&#39;`, `&#x1F600;`, the `;` optional as in
 * HTML5; zero, surrogates and values past U+10FFFF become U+FFFD). Returns null when there is
 * none, in which case the `&` is a literal character.
 */
export function decodeEntityAt(html: string, i: number): DecodedEntity | null {
  return html.charCodeAt(i + 1) === 0x23 ? decodeNumeric(html, i + 2) : decodeNamed(html, i + 1);
}

/** `name;` from `from`, if it is a known name. */
function decodeNamed(html: string, from: number): DecodedEntity | null {
  let end = from;
  while (end - from < MAX_NAME_LENGTH && isAlphanumeric(html.charCodeAt(end))) end++;
  if (html.charCodeAt(end) !== SEMICOLON) return null;
  const text = NAMED.get(html.slice(from, end));
  return text === undefined ? null : { text, end: end + 1 };
}

/** `123;` or `x1F;` from `from` (just after `&#`). */
function decodeNumeric(html: string, from: number): DecodedEntity | null {
  const hex = (html.charCodeAt(from) | 0x20) === 0x78;
  const start = hex ? from + 1 : from;
  let end = start;
  let value = 0;
  for (; end < html.length; end++) {
    const digit = digitValue(html.charCodeAt(end), hex);
    if (digit < 0) break;
    // Clamped: any value past U+10FFFF is invalid anyway, and this keeps it a small integer.
    value = Math.min(value * (hex ? 16 : 10) + digit, 0x110000);
  }
  if (end === start) return null;
  if (html.charCodeAt(end) === SEMICOLON) end++;
  return { text: codePointText(value), end };
}

/** The character for a numeric reference, or U+FFFD for the values HTML5 rejects. */
function codePointText(value: number): string {
  const invalid = value === 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff);
  return invalid ? REPLACEMENT : String.fromCodePoint(value);
}

/** The value of a decimal (or, if `hex`, hexadecimal) digit, or -1. */
function digitValue(c: number, hex: boolean): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (!hex) return -1;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** 0-9, A-Z or a-z. */
function isAlphanumeric(c: number): boolean {
  const lower = c | 0x20;
  return (c >= 0x30 && c <= 0x39) || (lower >= 0x61 && lower <= 0x7a);
}
