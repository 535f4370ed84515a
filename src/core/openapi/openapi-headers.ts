import type { IdempotencyMode } from '../idempotency/idempotency-key.js';
import type {
  OpenApiHeader,
  OpenApiOperation,
  OpenApiParameter,
  OpenApiResponse,
} from '../../lib/openapi/openapi-model.js';
import { errorResponse } from './openapi-common.js';

/**
 * The HTTP headers Basalt adds to PocketBase's API, as OpenAPI parameters and response
 * headers: record versions (`ETag`, `If-Match`, `If-None-Match`; API.md §2 "Versions") and
 * idempotency keys (`Idempotency-Key`, `Idempotent-Replayed`; API.md §11).
 */

/** A request header parameter. */
export function headerParam(name: string, description: string, required = false): OpenApiParameter {
  return { name, in: 'header', required, schema: { type: 'string' }, description };
}

/** The `ETag` of a record answer. */
export const ETAG_HEADER: OpenApiHeader = {
  description: 'The record\'s version as a strong entity-tag, e.g. `"Xq3v0c1bQ2n8mR5tY7uW9zA1"`.',
  schema: { type: 'string' },
};

/** `If-Match` on record updates and deletes. */
export const IF_MATCH_PARAM = headerParam(
  'If-Match',
  "Write only if the record's current `ETag` is listed (strong comparison) or the value is " +
    '`*`; otherwise 412 and nothing changes.',
);

/** `If-None-Match` on record views. */
export const IF_NONE_MATCH_PARAM = headerParam(
  'If-None-Match',
  "304 (no body) when the record's `ETag` is listed (weak comparison) or the value is `*`; " +
    'not with `expand`.',
);

/** The 412 answer of a failed `If-Match`. */
export const PRECONDITION_FAILED = errorResponse(
  'The record has changed since it was read (`If-Match` does not match); nothing changed.',
);

/** The 304 answer of a matching `If-None-Match`. */
export const NOT_MODIFIED: OpenApiResponse = {
  description: "Not modified: the record's `ETag` is one of `If-None-Match`'s (no body).",
  headers: { ETag: ETAG_HEADER },
};

/** Adds headers to a response (a `$ref` is kept as it is). */
export function withHeaders(
  response: OpenApiResponse,
  headers: Readonly<Record<string, OpenApiHeader>>,
): OpenApiResponse {
  if ('$ref' in response) return response;
  return { ...response, headers: { ...response.headers, ...headers } };
}

/** The `Idempotent-Replayed` header of a stored answer sent again. */
const REPLAYED_HEADER: OpenApiHeader = {
  description: '`true` when this is the stored answer of an earlier request with the same key.',
  schema: { type: 'string', enum: ['true'] },
};

/** The `Idempotency-Key` header of a route or create that takes one. */
export function idempotencyKeyParam(mode: IdempotencyMode): OpenApiParameter {
  return {
    ...headerParam(
      'Idempotency-Key',
      'A key (1 to 255 printable ASCII characters) that makes a retry answer the stored ' +
        'answer of the first request, per caller, for 24 hours' +
        (mode === 'required' ? '; required (400 without it).' : '; optional.'),
      mode === 'required',
    ),
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7e]+$' },
  };
}

/**
 * An operation that takes an `Idempotency-Key` (API.md §11): the header parameter, the
 * `Idempotent-Replayed` header on its 2xx answers, 400 for a missing (required) or malformed
 * key, 409 while the first request with the key still runs, 422 when the key was used for
 * another request.
 */
export function withIdempotency(
  operation: OpenApiOperation,
  mode: IdempotencyMode,
): OpenApiOperation {
  const responses: Record<string, OpenApiResponse> = {};
  for (const [status, response] of Object.entries(operation.responses)) {
    responses[status] = status.startsWith('2')
      ? withHeaders(response, { 'Idempotent-Replayed': REPLAYED_HEADER })
      : response;
  }
  return {
    ...operation,
    parameters: [...(operation.parameters ?? []), idempotencyKeyParam(mode)],
    responses: {
      ...responses,
      '400':
        responses['400'] ??
        errorResponse('A missing (when required) or malformed `Idempotency-Key`.'),
      '409': errorResponse('A request with this `Idempotency-Key` is still being processed.'),
      '422': errorResponse('The `Idempotency-Key` was already used for a different request.'),
    },
  };
}
