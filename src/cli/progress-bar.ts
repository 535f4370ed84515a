/** Where progress is written: stderr, or any stream with the same shape. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): boolean;
}

/** How often a terminal bar is redrawn at most, in ms. */
const REDRAW_MS = 100;

/** `12,345`. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `[#####.....]  50%` for `done` of `total`, `width` characters between the brackets. */
export function renderBar(done: number, total: number, width: number): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  const percent = String(Math.floor(ratio * 100)).padStart(3);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}%`;
}

/**
 * A progress bar on a terminal, redrawn in place (at most every 100 ms), or plain lines when
 * the stream is not a terminal (a log file, CI): then only `line()` writes anything.
 */
export class ProgressBar {
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly stream: ProgressStream) {}

  /** Whether the bar is drawn in place (the stream is a terminal). */
  get live(): boolean {
    return this.stream.isTTY === true;
  }

  /** Redraws the bar for `done` of `total`, followed by `label`, unless drawn very recently. */
  update(done: number, total: number, label: string, force = false): void {
    if (!this.live) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    // A pseudo-terminal may report no width (0).
    const columns = (this.stream.columns ?? 0) > 20 ? (this.stream.columns ?? 0) : 80;
    const counts = `${formatCount(done)}/${formatCount(total)}`;
    const text = `${renderBar(done, total, 30)} ${counts} ${label}`.slice(0, columns - 1);
    this.stream.write(`\r${text}\u001b[K`);
    this.drawn = true;
  }

  /** Writes a line of its own (above the bar on a terminal). */
  line(text: string): void {
    this.stream.write(this.drawn ? `\r\u001b[K${text}\n` : `${text}\n`);
    this.drawn = false;
  }

  /** Ends the bar's line, leaving the last drawing on screen. */
  finish(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
