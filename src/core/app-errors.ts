import { ApiError, type ErrorData, type FieldError } from './errors.js';

/**
 * The errors that app code (hooks, routes) throws to answer a client (APP-LOGIC.md §4). Each
 * is an ApiError, so the http error handler renders it as given: its status, its message
 * (sentenized) and its data, in the API error shape `{data, message, status}`. A message left
 * out (or empty) is PocketBase's for that status. Anything else thrown is not shown to clients.
 *
 * @example
 * throw new BadRequestError('Out of stock.', {
 *   product: new ValidationError('out_of_stock', 'Not enough stock.'),
 * });
 * // 400 {"data":{"product":{"code":"out_of_stock","message":"Not enough stock."}},
 * //      "message":"Out of stock.","status":400}
 */

/** 400 "Something went wrong while processing your request." */
export class BadRequestError extends ApiError {
  constructor(message?: string, data?: ErrorData, options?: ErrorOptions) {
    super(400, message, data, options);
    this.name = 'BadRequestError';
  }
}

/** 401 "Missing or invalid authentication." */
export class UnauthorizedError extends ApiError {
  constructor(message?: string, data?: ErrorData, options?: ErrorOptions) {
    super(401, message, data, options);
    this.name = 'UnauthorizedError';
  }
}

/** 403 "You are not allowed to perform this request." */
export class ForbiddenError extends ApiError {
  constructor(message?: string, data?: ErrorData, options?: ErrorOptions) {
    super(403, message, data, options);
    this.name = 'ForbiddenError';
  }
}

/** 404 "The requested resource wasn't found." */
export class NotFoundError extends ApiError {
  constructor(message?: string, data?: ErrorData, options?: ErrorOptions) {
    super(404, message, data, options);
    this.name = 'NotFoundError';
  }
}

/** 429 "Too Many Requests." */
export class TooManyRequestsError extends ApiError {
  constructor(message?: string, data?: ErrorData, options?: ErrorOptions) {
    super(429, message, data, options);
    this.name = 'TooManyRequestsError';
  }
}

/**
 * One field's error in an ApiError's `data`, rendered `{code, message}` (and `params` when
 * given), as Basalt's own validation errors are. Not an Error: it is a value to put in
 * `data`, keyed by field name (nested objects for nested fields).
 */
export class ValidationError implements FieldError {
  readonly code: string;
  readonly message: string;
  readonly params?: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, params?: Readonly<Record<string, unknown>>) {
    this.code = code;
    this.message = message;
    if (params !== undefined) this.params = params;
  }
}
