/**
 * The PocketBase datetime text: `YYYY-MM-DD HH:MM:SS.sssZ`, always UTC with milliseconds.
 * It sorts the same way as the instants it names, so every engine stores it as text.
 */

/** Formats an instant as `YYYY-MM-DD HH:MM:SS.sssZ`. */
export function formatDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ');
}

/** The current instant in the PocketBase datetime format. */
export function nowDateTime(): string {
  return formatDateTime(new Date());
}

// Date, then an optional time with `T` or a space, optional fraction and optional zone.
const DATETIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Parses `YYYY-MM-DD HH:MM:SS.sssZ` and RFC 3339-like variants (`T` separator, offsets,
 * missing seconds or time). Text without a zone is UTC. Returns undefined when the text is not
 * a valid date (including impossible days like Feb 30).
 */
export function parseDateTime(text: string): Date | undefined {
  const m = DATETIME_RE.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const ms = frac === '' ? '000' : frac.padEnd(3, '0').slice(0, 3);
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${offset}`);
  if (Number.isNaN(date.getTime())) return undefined;
  // Date() rolls Feb 30 over to March; reject such text by checking the calendar day back.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return undefined;
  return date;
}

/** Normalises date text to the PocketBase format, or undefined when it is not a date. */
export function normalizeDateTime(text: string): string | undefined {
  const date = parseDateTime(text);
  return date ? formatDateTime(date) : undefined;
}
