/**
 * The one error type of the filter language front end (filters, rules, sort and expand).
 *
 * `position` is the 0-based UTF-16 offset into the parsed text where parsing failed; the message
 * repeats it so that it reads well on its own, e.g. `Unexpected token "&&" at position 12.`.
 */
export class FilterSyntaxError extends Error {
  /** 0-based offset into the source text where the problem starts. */
  readonly position: number;

  /** Creates the error; `message` should already mention `position`. */
  constructor(message: string, position: number) {
    super(message);
    this.name = 'FilterSyntaxError';
    this.position = position;
  }
}

/** Longest piece of source text quoted back in an error message. */
const MAX_QUOTED = 40;

/**
 * Quotes a piece of source text for an error message: JSON-style quotes and escapes (so a
 * newline or a quote inside stays readable), shortened with an ellipsis when long.
 */
export function quoteSource(text: string): string {
  const short = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}...` : text;
  return JSON.stringify(short);
}

/** Builds a {@link FilterSyntaxError} whose message is `<what> at position <position>.`. */
export function syntaxError(what: string, position: number): FilterSyntaxError {
  return new FilterSyntaxError(`${what} at position ${position}.`, position);
}
