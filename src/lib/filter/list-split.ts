/** One piece of a separated list, trimmed, with the offset where its text starts. */
export interface ListPart {
  readonly text: string;
  readonly pos: number;
}

/**
 * Splits `text` on `separator`, trims each part and remembers where the trimmed part starts in
 * `text` (offset by `base`), so that errors can point into the original query parameter.
 * Empty parts are kept; callers decide whether to skip them.
 */
export function splitList(text: string, separator: string, base = 0): ListPart[] {
  const parts: ListPart[] = [];
  let start = 0;
  for (const raw of text.split(separator)) {
    const leading = raw.length - raw.trimStart().length;
    parts.push({ text: raw.trim(), pos: base + start + leading });
    start += raw.length + separator.length;
  }
  return parts;
}
