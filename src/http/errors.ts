import type { FastifyBaseLogger, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { MfaRequired } from '../core/auth/mfa.js';
import { ApiError, type ErrorCode, type ErrorData } from '../core/errors.js';
import { fieldError } from '../core/validation-errors.js';

/** PocketBase's "sentenized" message: capitalised, ending in punctuation. */
export function sentenize(message: string): string {
  const text = message.trim();
  if (text === '') return text;
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.?!]$/.test(capital) ? capital : `${capital}.`;
}

/** The error body of API.md §0, with keys in the order `data, message, status`. */
export function errorBody(
  status: number,
  message: string,
  data: ErrorData = {},
): Record<string, unknown> {
  return { data, message: sentenize(message), status };
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && typeof (error as Partial<FastifyError>).code === 'string';
}

/** Field errors from a failed request schema (Fastify's `validation` array). */
function schemaErrors(error: FastifyError): ErrorData {
  const data: ErrorData = {};
  for (const item of error.validation ?? []) {
    const missing = item.params.missingProperty;
    const path = item.instancePath.replace(/^\//, '').split('/').filter(Boolean);
    const key = typeof missing === 'string' ? missing : (path[0] ?? 'request');
    data[key] ??= fieldError(
      typeof missing === 'string' ? 'validation_required' : 'validation_invalid_value',
    );
  }
  return data;
}

/** How many seconds a client is told to wait before retrying a 503 (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 5;

/** Tells whether an error means the database is unavailable for now (DbAdapter#isUnavailable). */
export type UnavailableCheck = (error: unknown) => boolean;

/** True when an error is the database refusing a value of the request (a bad input). */
export type RefusedValueTest = (error: unknown) => boolean;

/** How the error handler tells database errors apart (the adapter's tests). */
export interface DatabaseErrorTests {
  readonly isUnavailable: UnavailableCheck;
  readonly isRefusedValue: RefusedValueTest;
}

/** True when `error`, or an error it was caused by, says the database is unavailable. */
function causedByUnavailability(error: unknown, isUnavailable: UnavailableCheck): boolean {
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (isUnavailable(current)) return true;
    current = current.cause;
  }
  return false;
}

/**
 * Maps any thrown value to a domain error; unexpected ones are logged at error level and never
 * leaked. A database that cannot be reached or ended the connection answers 503, so that
 * clients retry; a value the database refused is bad input: 400, logged at warn without a stack.
 */
function toApiError(error: unknown, log: FastifyBaseLogger, tests: DatabaseErrorTests): ApiError {
  if (error instanceof ApiError) return error;
  if (causedByUnavailability(error, tests.isUnavailable)) {
    return new ApiError('unavailable', {}, undefined, { cause: error });
  }
  if (tests.isRefusedValue(error)) {
    const reason = error instanceof Error ? error.message : String(error);
    log.warn({ reason }, 'the database refused a value of the request');
    return new ApiError('bad_request');
  }
  if (isFastifyError(error)) {
    if (error.validation) {
      const body = error.validationContext === 'body';
      return new ApiError(
        body ? 'validation_failed' : 'bad_request',
        body ? schemaErrors(error) : {},
      );
    }
    const byCode: Record<string, ErrorCode> = {
      FST_ERR_CTP_BODY_TOO_LARGE: 'too_large',
      FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_content_type',
      FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
      FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json_body',
      FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json_body',
    };
    const code = byCode[error.code];
    if (code) return new ApiError(code);
    if (error.statusCode === 404) return new ApiError('not_found');
    if (error.statusCode === 413) return new ApiError('too_large');
    if (error.statusCode === 429) return new ApiError('too_many_requests');
  }
  // API.md §0: an error that is not an explicit API error answers 400 with no details.
  log.error({ err: error }, 'request failed');
  return new ApiError('bad_request');
}

/** How long the rest of a refused body is read and dropped after the answer, at most. */
const DISCARD_MS = 5000;

/**
 * An error answered while the body is still arriving (over its limit, or refused before it
 * was read): the rest is read and dropped, never kept. Closing a socket that still receives
 * data resets the connection, and a client busy uploading would lose the answer; so a
 * keep-alive connection stays open (Fastify asks to close it after a parser error), and a
 * closing one is only half-closed once the answer is written, as Go's server does. A client
 * that reads the answer stops sending; one still sending DISCARD_MS later is cut off.
 */
function discardUnreadBody(request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw;
  if (raw.complete) return;
  if (raw.headers['content-length'] === undefined && raw.headers['transfer-encoding'] === undefined)
    return;
  void reply.removeHeader('connection');
  raw.unpipe();
  raw.resume();
  reply.raw.once('finish', () => {
    if (raw.complete) return;
    const socket = raw.socket;
    // Node has ended a closing connection (FIN) and would destroy it once that is flushed.
    // eslint-disable-next-line @typescript-eslint/unbound-method -- the listener is this method
    socket.removeListener('finish', socket.destroy);
    const timer = setTimeout(() => socket.destroy(), DISCARD_MS);
    timer.unref();
    raw.once('end', () => {
      if (!socket.writable) socket.destroy();
      clearTimeout(timer);
    });
    socket.once('close', () => {
      clearTimeout(timer);
    });
  });
}

/**
 * Fastify's error handler: renders every error in the API error shape. Unexpected errors go
 * to `log` (the app's logger), which Fastify itself may not have (see buildServer).
 */
export function errorHandler(
  log: FastifyBaseLogger,
  tests: DatabaseErrorTests,
): (error: unknown, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    if (error instanceof MfaRequired) {
      // API.md §4: the first factor passed; the body is `{mfaId}`, not the error shape.
      void reply.status(401).send({ mfaId: error.mfaId });
      return;
    }
    const apiError = toApiError(error, log, tests);
    if (apiError.code === 'unavailable') {
      log.warn({ err: apiError.cause ?? apiError }, 'database unavailable');
      void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    } else if (apiError.status >= 500) {
      log.error({ err: apiError.cause ?? apiError }, 'server error');
    }
    discardUnreadBody(request, reply);
    void reply
      .status(apiError.status)
      .send(errorBody(apiError.status, apiError.message, apiError.data));
  };
}

/** Fastify's not-found handler: unknown paths and methods answer 404 in the error shape. */
export function handleNotFound(_request: FastifyRequest, reply: FastifyReply): void {
  void reply.status(404).send(errorBody(404, new ApiError('not_found').message));
}

/** Fastify's framework errors (a malformed URL, an over-long path segment): 400 in the error shape. */
export function handleFrameworkError(
  _error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  void reply.status(400).send(errorBody(400, new ApiError('bad_request').message));
}
