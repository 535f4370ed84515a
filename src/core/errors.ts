import { STATUS_CODES } from 'node:http';

/**
 * The one catalog of Basalt's domain errors. Each entry has a stable code, the HTTP status and
 * the safe message that clients see (API.md §0). Raw causes go to the log, never to a response.
 */
export const ERROR_CATALOG = {
  bad_request: { status: 400, message: 'Something went wrong while processing your request.' },
  unauthorized: { status: 401, message: 'Missing or invalid authentication.' },
  forbidden: { status: 403, message: 'You are not allowed to perform this request.' },
  not_found: { status: 404, message: "The requested resource wasn't found." },
  precondition_failed: { status: 412, message: 'The record has changed since it was read.' },
  too_large: { status: 413, message: 'Request entity too large.' },
  too_many_requests: { status: 429, message: 'Too Many Requests.' },
  internal: { status: 500, message: 'Something went wrong while processing your request.' },
  unavailable: {
    status: 503,
    message: 'The service is temporarily unavailable. Please try again later.',
  },
  unsupported_content_type: { status: 400, message: 'Unsupported Content-Type.' },
  invalid_json_body: {
    status: 400,
    message: 'Failed to load the submitted data due to invalid formatting.',
  },
  validation_failed: {
    status: 400,
    message: 'An error occurred while validating the submitted data.',
  },
  superuser_token_required: {
    status: 401,
    message: 'The request requires valid record authorization token.',
  },
  superuser_required: {
    status: 403,
    message: 'The authorized record is not allowed to perform this action.',
  },
  superuser_only_action: { status: 403, message: 'Only superusers can perform this action.' },
  collection_not_found: { status: 404, message: 'Missing collection context.' },
  collection_context_invalid: { status: 404, message: 'Missing or invalid collection context.' },
  auth_collection_invalid: { status: 404, message: 'Missing or invalid auth collection context.' },
  collection_type_unsupported: { status: 400, message: 'Unsupported collection type.' },
  collection_create_failed: { status: 400, message: 'Failed to create collection.' },
  collection_update_failed: { status: 400, message: 'Failed to update collection.' },
  collection_delete_failed: { status: 400, message: 'Failed to delete collection.' },
  collection_truncate_failed: { status: 400, message: 'Failed to truncate collection.' },
  collections_import_failed: { status: 400, message: 'Failed to import collections.' },
  auth_failed: { status: 400, message: 'Failed to authenticate.' },
  password_auth_disabled: {
    status: 403,
    message: 'The collection is not configured to allow password authentication.',
  },
  otp_auth_disabled: {
    status: 403,
    message: 'The collection is not configured to allow OTP authentication.',
  },
  otp_invalid: { status: 400, message: 'Invalid or expired OTP.' },
  oauth2_auth_disabled: {
    status: 403,
    message: 'The collection is not configured to allow OAuth2 authentication.',
  },
  oauth2_form_invalid: {
    status: 400,
    message: 'An error occurred while loading the submitted data.',
  },
  oauth2_provider_unavailable: { status: 500, message: 'Missing or invalid provider config.' },
  oauth2_token_failed: { status: 400, message: 'Failed to fetch OAuth2 token.' },
  oauth2_user_failed: { status: 400, message: 'Failed to fetch OAuth2 user.' },
  mfa_invalid: { status: 400, message: 'Invalid or expired MFA session.' },
  mfa_other_record: { status: 400, message: 'Invalid MFA session.' },
  mfa_same_method: { status: 400, message: 'A different authentication method is required.' },
  auth_rule_failed: {
    status: 403,
    message: "The request doesn't satisfy the collection requirements to authenticate.",
  },
  auth_required: { status: 401, message: 'The request requires valid record authorization token.' },
  auth_wrong_collection: {
    status: 403,
    message: 'The request requires valid record authorization token from the same collection.',
  },
  record_create_failed: { status: 400, message: 'Failed to create record.' },
  record_update_failed: { status: 400, message: 'Failed to update record.' },
  record_delete_failed: {
    status: 400,
    message:
      'Failed to delete record. Make sure that the record is not part of a required relation reference.',
  },
  idempotency_key_required: {
    status: 400,
    message: 'The request requires an Idempotency-Key header.',
  },
  idempotency_key_invalid: {
    status: 400,
    message: 'The Idempotency-Key header must be 1 to 255 printable ASCII characters.',
  },
  idempotency_key_in_flight: {
    status: 409,
    message: 'A request with this Idempotency-Key is still being processed; retry later.',
  },
  idempotency_key_reused: {
    status: 422,
    message: 'The Idempotency-Key was already used for a different request.',
  },
  s3_test_failed: { status: 400, message: 'Failed to test the S3 filesystem.' },
  realtime_client_not_found: { status: 404, message: 'Missing or invalid client id.' },
  realtime_client_invalid: { status: 400, message: 'Invalid realtime client.' },
  realtime_auth_mismatch: {
    status: 403,
    message: "The current and the previous request authorization don't match.",
  },
  cron_not_found: { status: 404, message: 'Missing or invalid cron job.' },
} as const satisfies Record<string, { status: number; message: string }>;

/** A stable error code of the catalog. */
export type ErrorCode = keyof typeof ERROR_CATALOG;

/** One field's validation failure: `{code, message[, params]}` as in API.md §0. */
export interface FieldError {
  readonly code: string;
  readonly message: string;
  readonly params?: Readonly<Record<string, unknown>>;
  /** A failed batch sub-request's own error response (API.md §7). */
  readonly response?: unknown;
}

/** Error details: field errors, nested by field name, list index or sub-form. */
export interface ErrorData {
  [key: string]: FieldError | ErrorData;
}

/** The catalog's generic code of each status that has one (an ApiError built from a status). */
const CODE_OF_STATUS: ReadonlyMap<number, ErrorCode> = new Map<number, ErrorCode>([
  [400, 'bad_request'],
  [401, 'unauthorized'],
  [403, 'forbidden'],
  [404, 'not_found'],
  [413, 'too_large'],
  [429, 'too_many_requests'],
  [500, 'internal'],
]);

/** The message of an error built from a status without one: the catalog's, else HTTP's reason. */
function defaultMessage(status: number): string {
  const code = CODE_OF_STATUS.get(status);
  if (code !== undefined) return ERROR_CATALOG[code].message;
  return STATUS_CODES[status] ?? ERROR_CATALOG.internal.message;
}

/**
 * An error that the HTTP layer renders in the API error shape `{data, message, status}`
 * (the message sentenized there). Two ways to build one, told apart by the first argument:
 *
 * - `new ApiError(code, data?, message?)`: Basalt's own errors, from the catalog (its status
 *   and safe message);
 * - `new ApiError(status, message?, data?)`: the public form for hooks and routes
 *   (APP-LOGIC.md §4, PocketBase's `NewApiError(status, message, data)`): any status from 400
 *   to 599, the message defaulting to PocketBase's for that status. `code` is the catalog's
 *   generic code of the status (400 `bad_request`, 404 `not_found`, ...) or undefined.
 *
 * One class rather than a public one beside the catalog's, so that `instanceof ApiError`
 * holds for every error Basalt renders as given (the http error handler, a hook catching
 * the error of `e.next()`), and BadRequestError & co. (app-errors.ts) are ApiErrors.
 */
export class ApiError extends Error {
  readonly status: number;
  /** The catalog code; undefined for an error built from a status the catalog has no code for. */
  readonly code: ErrorCode | undefined;
  readonly data: ErrorData;

  constructor(code: ErrorCode, data?: ErrorData, message?: string, options?: ErrorOptions);
  constructor(status: number, message?: string, data?: ErrorData, options?: ErrorOptions);
  constructor(
    codeOrStatus: ErrorCode | number,
    dataOrMessage?: ErrorData | string,
    messageOrData?: string | ErrorData,
    options?: ErrorOptions,
  ) {
    if (typeof codeOrStatus === 'number') {
      const status = codeOrStatus;
      if (!Number.isInteger(status) || status < 400 || status > 599) {
        throw new RangeError(`an ApiError's status must be from 400 to 599, not ${status}`);
      }
      const message = typeof dataOrMessage === 'string' ? dataOrMessage : undefined;
      const data = typeof messageOrData === 'object' ? messageOrData : undefined;
      super(
        message === undefined || message.trim() === '' ? defaultMessage(status) : message,
        options,
      );
      this.status = status;
      this.code = CODE_OF_STATUS.get(status);
      this.data = data ?? {};
    } else {
      const data = typeof dataOrMessage === 'object' ? dataOrMessage : undefined;
      const message = typeof messageOrData === 'string' ? messageOrData : undefined;
      super(message ?? ERROR_CATALOG[codeOrStatus].message, options);
      this.status = ERROR_CATALOG[codeOrStatus].status;
      this.code = codeOrStatus;
      this.data = data ?? {};
    }
    this.name = 'ApiError';
  }
}

/** Shorthand for `new ApiError(code, data)`. */
export function apiError(code: ErrorCode, data: ErrorData = {}): ApiError {
  return new ApiError(code, data);
}

/** True when a value is a FieldError leaf rather than a nested ErrorData object. */
export function isFieldError(value: FieldError | ErrorData): value is FieldError {
  return typeof value.code === 'string' && typeof value.message === 'string';
}
