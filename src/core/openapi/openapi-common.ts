import {
  jsonContent,
  schemaRef,
  type JsonSchema,
  type OpenApiOperation,
  type OpenApiParameter,
  type OpenApiPathItem,
  type OpenApiResponse,
  type OpenApiSecurity,
} from '../../lib/openapi/openapi-model.js';

/** The security scheme of the `Authorization` header token. */
export const AUTH_SCHEME = 'AuthToken';

/** A request that may be a guest's or carry a token. */
export const OPTIONAL_AUTH: readonly OpenApiSecurity[] = [{}, { [AUTH_SCHEME]: [] }];

/** A request that needs a token. */
export const REQUIRED_AUTH: readonly OpenApiSecurity[] = [{ [AUTH_SCHEME]: [] }];

/** The component names of the shared schemas. */
export const SHARED = {
  error: 'ApiError',
  authMethods: 'AuthMethods',
  mfaRequired: 'MfaRequired',
  oauth2Meta: 'OAuth2Meta',
  collection: 'Collection',
  settings: 'Settings',
  health: 'Health',
  batchRequest: 'BatchRequest',
  batchResult: 'BatchResult',
  realtimeSubscription: 'RealtimeSubscription',
  token: 'FileToken',
  cron: 'Cron',
  job: 'Job',
  jobList: 'JobList',
} as const;

/** The PocketBase date text of dates and autodates. */
export const DATE_TEXT: JsonSchema = {
  type: 'string',
  description: 'A UTC date as `YYYY-MM-DD HH:MM:SS.sssZ`, or "" when empty.',
  examples: ['2026-01-02 15:04:05.123Z'],
};

/** `{status, message, data}`: every error answer (API.md §0). */
const API_ERROR: JsonSchema = {
  type: 'object',
  description: 'The error shape of every non-2xx answer.',
  properties: {
    status: { type: 'integer', description: 'The HTTP status.' },
    message: { type: 'string' },
    data: {
      type: 'object',
      description: 'Field errors by name ({code, message[, params]}), nested as the input.',
      additionalProperties: true,
    },
  },
  required: ['status', 'message', 'data'],
};

/** The shared schemas every document holds. */
export function sharedSchemas(): Record<string, JsonSchema> {
  return {
    [SHARED.error]: API_ERROR,
    [SHARED.mfaRequired]: {
      type: 'object',
      description: 'Answered with 401 when MFA is required: sign in with another method.',
      properties: { mfaId: { type: 'string' } },
      required: ['mfaId'],
    },
    [SHARED.health]: {
      type: 'object',
      properties: {
        code: { type: 'integer' },
        message: { type: 'string' },
        data: { type: 'object', additionalProperties: true },
      },
      required: ['code', 'message', 'data'],
    },
    [SHARED.token]: {
      type: 'object',
      properties: { token: { type: 'string' } },
      required: ['token'],
    },
  };
}

/** The `Authorization` header security scheme (the raw token; `Bearer ` is optional). */
export function securitySchemes(): Record<string, JsonSchema> {
  return {
    [AUTH_SCHEME]: {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description:
        'An auth token from an auth-with-* endpoint, sent as it is (no "Bearer " prefix ' +
        'needed, as PocketBase). An invalid or expired token makes the request a guest one.',
    },
  };
}

/** A response in the error shape. */
export function errorResponse(description: string): OpenApiResponse {
  return { description, content: jsonContent(schemaRef(SHARED.error)) };
}

/** A 2xx JSON response. */
export function okResponse(schema: JsonSchema, description = 'OK'): OpenApiResponse {
  return { description, content: jsonContent(schema) };
}

/** The 204 answer. */
export const NO_CONTENT: OpenApiResponse = { description: 'No content.' };

/** The error answers by status, as most endpoints document them. */
export function errors(
  ...statuses: readonly (400 | 401 | 403 | 404 | 429)[]
): Record<string, OpenApiResponse> {
  const text = {
    400: 'Bad request or failed validation (field errors in `data`).',
    401: 'Missing or invalid authentication.',
    403: 'Not allowed.',
    404: 'Not found.',
    429: 'Too many requests.',
  };
  return Object.fromEntries(statuses.map((s) => [String(s), errorResponse(text[s])]));
}

/** A superuser-only operation: the token is required; 401 for guests, 403 for others. */
export function superuserOperation(operation: OpenApiOperation): OpenApiOperation {
  return {
    ...operation,
    security: REQUIRED_AUTH,
    responses: { ...operation.responses, ...errors(401, 403) },
  };
}

/** A path item of one superuser-only operation, tagged `superusers`. */
export function superuserItem(
  method: 'get' | 'post' | 'put' | 'patch' | 'delete',
  operation: Omit<OpenApiOperation, 'tags'>,
): OpenApiPathItem {
  return { [method]: superuserOperation({ ...operation, tags: ['superusers'] }) };
}

/** The operations of several path items of one path, as one. */
export function mergeItems(...items: OpenApiPathItem[]): OpenApiPathItem {
  return Object.assign({}, ...items) as OpenApiPathItem;
}

/** A query parameter. */
export function queryParam(
  name: string,
  schema: JsonSchema,
  description: string,
): OpenApiParameter {
  return { name, in: 'query', schema, description };
}

/** The `fields` projection, accepted on every JSON answer. */
export const FIELDS_PARAM = queryParam(
  'fields',
  { type: 'string' },
  'Comma-separated output fields, e.g. `*,expand.author.name,body:excerpt(200,true)`.',
);

/** The `expand` param of record answers. */
export const EXPAND_PARAM = queryParam(
  'expand',
  { type: 'string' },
  'Comma-separated relations to expand, dot-separated for nesting (at most 6 levels).',
);

/** A string path parameter. */
export function pathParam(name: string, description?: string): OpenApiParameter {
  return {
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
    ...(description ? { description } : {}),
  };
}
