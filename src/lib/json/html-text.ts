const UNICODE_SPACE = /\s/;

/**
 * Collects the plain text of an excerpt: any run of whitespace becomes one space, leading and
 * trailing whitespace is dropped, and collecting stops (`full`) as soon as the text is known to
 * be longer than `maxChars` code points.
 */
export class ExcerptText {
  private text = '';
  private count = 0;
  private pendingSpace = false;

  /** Starts an empty text that will be cut at `maxChars` code points. */
  constructor(private readonly maxChars: number) {}

  /** True once the text is longer than `maxChars`; more input cannot change the result. */
  get full(): boolean {
    return this.count > this.maxChars;
  }

  /** Marks a word break (whitespace or a block element's edge); it collapses with its neighbours. */
  space(): void {
    if (this.count > 0) this.pendingSpace = true;
  }

  /** Appends `text` (decoded text, any length). */
  pushText(text: string): void {
    this.pushRun(text, 0, text.length);
  }

  /** Appends `source[start, end)`, a stretch of plain text, word by word. */
  pushRun(source: string, start: number, end: number): void {
    let i = start;
    while (i < end && !this.full) {
      let j = i;
      while (j < end && isWhitespaceAt(source, j)) j++;
      if (j > i) {
        this.space();
        i = j;
        continue;
      }
      while (j < end && !isWhitespaceAt(source, j)) j++;
      this.pushWord(source.slice(i, j));
      i = j;
    }
  }

  /** The collected text, cut to `maxChars` code points (then `...` if `withEllipsis`). */
  finish(withEllipsis: boolean): string {
    if (this.count <= this.maxChars) return this.text;
    let end = 0;
    for (let kept = 0; kept < this.maxChars; kept++) {
      end += (this.text.codePointAt(end) ?? 0) > 0xffff ? 2 : 1;
    }
    const cut = this.text.slice(0, end).trimEnd();
    return withEllipsis ? `${cut}...` : cut;
  }

  /** Appends a non-empty run without whitespace, after the pending space if any. */
  private pushWord(word: string): void {
    if (this.pendingSpace) {
      this.text += ' ';
      this.count++;
      this.pendingSpace = false;
    }
    this.text += word;
    this.count += codePointCount(word);
  }
}

/** ASCII whitespace by char code; other characters by Unicode's White_Space (incl. NBSP). */
function isWhitespaceAt(source: string, i: number): boolean {
  const c = source.charCodeAt(i);
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  // Every Unicode space is in the BMP, so testing one UTF-16 unit is enough.
  return UNICODE_SPACE.test(source[i] ?? '');
}

/** Counts code points: a surrogate pair counts once, a lone surrogate counts once. */
function codePointCount(text: string): number {
  let count = text.length;
  for (let i = 1; i < text.length; i++) {
    const low = text.charCodeAt(i);
    if (low >= 0xdc00 && low <= 0xdfff) {
      const high = text.charCodeAt(i - 1);
      if (high >= 0xd800 && high <= 0xdbff) {
        count--;
        i++;
      }
    }
  }
  return count;
}
