/**
 * Thrown by {@link parseFieldsParam} when the `fields` query param is malformed or over a limit.
 *
 * `position` is the 0-based UTF-16 offset into the param where the problem starts; the message
 * repeats it so that it reads well on its own, e.g. `Empty path segment at position 2.`.
 */
export class FieldsParamError extends Error {
  /** 0-based offset into the param text where the problem starts. */
  readonly position: number;

  /** Creates the error; `what` is the problem, without the position or a final period. */
  constructor(what: string, position: number) {
    super(`Invalid fields param: ${what} at position ${position}.`);
    this.name = 'FieldsParamError';
    this.position = position;
  }
}

/** Longest piece of the param quoted back in an error message. */
const MAX_QUOTED = 40;

/** Quotes a piece of the param for an error message, shortened with an ellipsis when long. */
export function quoteFields(text: string): string {
  const short = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}...` : text;
  return JSON.stringify(short);
}
