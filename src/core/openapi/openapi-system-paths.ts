import {
  jsonContent,
  schemaRef,
  type JsonSchema,
  type OpenApiOperation,
  type OpenApiPathItem,
} from '../../lib/openapi/openapi-model.js';
import {
  FIELDS_PARAM,
  NO_CONTENT,
  REQUIRED_AUTH,
  SHARED,
  errors,
  okResponse,
  pathParam,
  mergeItems,
  queryParam,
  superuserItem,
} from './openapi-common.js';

const SYSTEM = ['system'];
const ANY_OBJECT: JsonSchema = { type: 'object', additionalProperties: true };

/** The schemas of the system endpoints. */
export function systemSchemas(): Record<string, JsonSchema> {
  return {
    [SHARED.batchRequest]: {
      type: 'object',
      properties: {
        requests: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              method: { type: 'string', enum: ['POST', 'PUT', 'PATCH', 'DELETE'] },
              url: { type: 'string', description: 'A records API path, with its query.' },
              headers: { type: 'object', additionalProperties: { type: 'string' } },
              body: ANY_OBJECT,
            },
            required: ['method', 'url'],
          },
        },
      },
      required: ['requests'],
    },
    [SHARED.batchResult]: {
      type: 'array',
      items: {
        type: 'object',
        properties: { status: { type: 'integer' }, body: {} },
        required: ['status', 'body'],
      },
    },
    [SHARED.realtimeSubscription]: {
      type: 'object',
      properties: {
        clientId: { type: 'string', maxLength: 255 },
        subscriptions: {
          type: 'array',
          maxItems: 1000,
          items: { type: 'string', maxLength: 2500 },
          description: '`collection/*`, `collection/<id>` or custom topics, with `?options=`.',
        },
      },
      required: ['clientId'],
    },
    [SHARED.collection]: {
      type: 'object',
      description: 'A collection (API.md §3.4).',
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        type: { type: 'string', enum: ['base', 'auth', 'view'] },
        system: { type: 'boolean' },
        fields: { type: 'array', items: ANY_OBJECT },
        indexes: { type: 'array', items: { type: 'string' } },
        idempotency: {
          type: ['string', 'null'],
          enum: ['required', 'optional', '', null],
          description:
            'Basalt only: how record creates take the `Idempotency-Key` header; absent, null ' +
            'or "" for none (API.md §11).',
        },
        listRule: { type: ['string', 'null'] },
        viewRule: { type: ['string', 'null'] },
        createRule: { type: ['string', 'null'] },
        updateRule: { type: ['string', 'null'] },
        deleteRule: { type: ['string', 'null'] },
      },
      additionalProperties: true,
    },
    [SHARED.settings]: { ...ANY_OBJECT, description: 'The settings (secrets blank).' },
  };
}

function get(operation: Omit<OpenApiOperation, 'tags'>): OpenApiPathItem {
  return { get: { ...operation, tags: SYSTEM } };
}

/** Files, realtime, health and batch: the endpoints every document holds. */
export function publicSystemPaths(): Record<string, OpenApiPathItem> {
  return {
    '/api/health': get({
      operationId: 'health',
      summary: 'Health check',
      parameters: [FIELDS_PARAM],
      responses: { '200': okResponse(schemaRef(SHARED.health)) },
    }),
    '/api/files/{collection}/{recordId}/{filename}': get({
      operationId: 'fileDownload',
      summary: 'Download a file (protected files need `token`)',
      parameters: [
        pathParam('collection', 'The collection id or name.'),
        pathParam('recordId'),
        pathParam('filename'),
        queryParam('thumb', { type: 'string', pattern: '^\\d+x\\d+[tbf]?$' }, 'A thumb size.'),
        queryParam('token', { type: 'string' }, 'A file token (protected files).'),
        queryParam('download', { type: 'boolean' }, 'Content-Disposition: attachment.'),
      ],
      responses: {
        '200': {
          description: 'The file.',
          content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
        },
        ...errors(400, 404),
      },
    }),
    '/api/files/token': {
      post: {
        operationId: 'fileToken',
        summary: 'A short-lived token for protected files',
        tags: SYSTEM,
        security: REQUIRED_AUTH,
        responses: { '200': okResponse(schemaRef(SHARED.token)), ...errors(401) },
      },
    },
    '/api/realtime': {
      get: {
        operationId: 'realtimeConnect',
        summary: 'Open the event stream (SSE); the first event is PB_CONNECT {clientId}',
        tags: SYSTEM,
        responses: {
          '200': {
            description: 'Server-sent events: `id:<clientId>`, `event:<topic>`, `data:<json>`.',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
        },
      },
      post: {
        operationId: 'realtimeSubscribe',
        summary: "Replace a client's subscriptions",
        tags: SYSTEM,
        requestBody: {
          required: true,
          content: jsonContent(schemaRef(SHARED.realtimeSubscription)),
        },
        responses: { '204': NO_CONTENT, ...errors(400, 403, 404) },
      },
    },
    '/api/batch': {
      post: {
        operationId: 'batch',
        summary: 'Record writes in one transaction (when enabled in the settings)',
        tags: SYSTEM,
        requestBody: {
          required: true,
          content: {
            ...jsonContent(schemaRef(SHARED.batchRequest)),
            'multipart/form-data': {
              schema: {
                type: 'object',
                properties: { '@jsonPayload': { type: 'string' } },
                additionalProperties: true,
              },
            },
          },
        },
        responses: { '200': okResponse(schemaRef(SHARED.batchResult)), ...errors(400, 403) },
      },
    },
    '/api/oauth2-redirect': {
      get: {
        operationId: 'oauth2Redirect',
        summary: "The OAuth2 provider's redirect: hands the code to the realtime client `state`",
        tags: SYSTEM,
        parameters: [
          queryParam('state', { type: 'string' }, 'The realtime client id.'),
          queryParam('code', { type: 'string' }, 'The authorization code.'),
          queryParam('error', { type: 'string' }, "The provider's error."),
        ],
        responses: { '307': { description: 'Redirect to the result page.' } },
      },
    },
    '/api/openapi.json': get({
      operationId: 'openapi',
      summary: 'This document',
      responses: { '200': okResponse(ANY_OBJECT), ...errors(401, 403) },
    }),
  };
}

/** The collections and settings APIs (API.md §3.5, §7): superusers' documents only. */
export function superuserPaths(): Record<string, OpenApiPathItem> {
  const collection = okResponse(schemaRef(SHARED.collection), 'The collection.');
  const idOrName = pathParam('idOrName', 'The collection id or name.');
  const settings = okResponse(schemaRef(SHARED.settings), 'The settings.');
  const anyBody = { required: true, content: jsonContent(ANY_OBJECT) };
  return {
    '/api/collections': mergeItems(
      superuserItem('get', {
        operationId: 'collections.list',
        summary: 'List collections',
        parameters: [
          queryParam('page', { type: 'integer' }, 'The page.'),
          queryParam('perPage', { type: 'integer' }, 'Per page.'),
          queryParam('sort', { type: 'string' }, 'Sort.'),
          queryParam('filter', { type: 'string' }, 'Filter.'),
          queryParam('skipTotal', { type: 'boolean' }, 'Skip the count.'),
          FIELDS_PARAM,
        ],
        responses: {
          '200': okResponse({
            type: 'object',
            properties: {
              items: { type: 'array', items: schemaRef(SHARED.collection) },
              page: { type: 'integer' },
              perPage: { type: 'integer' },
              totalItems: { type: 'integer' },
              totalPages: { type: 'integer' },
            },
            required: ['items', 'page', 'perPage', 'totalItems', 'totalPages'],
          }),
          ...errors(400),
        },
      }),
      superuserItem('post', {
        operationId: 'collections.create',
        summary: 'Create a collection',
        requestBody: { required: true, content: jsonContent(schemaRef(SHARED.collection)) },
        responses: { '200': collection, ...errors(400) },
      }),
    ),
    '/api/collections/import': superuserItem('put', {
      operationId: 'collections.import',
      summary: 'Import collections',
      requestBody: {
        required: true,
        content: jsonContent({
          type: 'object',
          properties: {
            collections: { type: 'array', items: schemaRef(SHARED.collection) },
            deleteMissing: { type: 'boolean' },
          },
          required: ['collections'],
        }),
      },
      responses: { '204': NO_CONTENT, ...errors(400) },
    }),
    '/api/collections/meta/scaffolds': superuserItem('get', {
      operationId: 'collections.scaffolds',
      summary: 'The default collection of each type',
      responses: {
        '200': okResponse({ type: 'object', additionalProperties: schemaRef(SHARED.collection) }),
      },
    }),
    '/api/collections/meta/oauth2-providers': superuserItem('get', {
      operationId: 'collections.oauth2Providers',
      summary: 'The OAuth2 providers',
      responses: { '200': okResponse({ type: 'array', items: ANY_OBJECT }) },
    }),
    '/api/collections/meta/dry-run-view': superuserItem('post', {
      operationId: 'collections.dryRunView',
      summary: "A view query's fields",
      requestBody: {
        required: true,
        content: jsonContent({ type: 'object', properties: { query: { type: 'string' } } }),
      },
      responses: { '200': okResponse(ANY_OBJECT), ...errors(400) },
    }),
    '/api/collections/{idOrName}': mergeItems(
      superuserItem('get', {
        operationId: 'collections.view',
        summary: 'View a collection',
        parameters: [idOrName],
        responses: { '200': collection, ...errors(404) },
      }),
      superuserItem('patch', {
        operationId: 'collections.update',
        summary: 'Update a collection',
        parameters: [idOrName],
        requestBody: { required: true, content: jsonContent(schemaRef(SHARED.collection)) },
        responses: { '200': collection, ...errors(400, 404) },
      }),
      superuserItem('delete', {
        operationId: 'collections.delete',
        summary: 'Delete a collection',
        parameters: [idOrName],
        responses: { '204': NO_CONTENT, ...errors(400, 404) },
      }),
    ),
    '/api/collections/{idOrName}/truncate': superuserItem('delete', {
      operationId: 'collections.truncate',
      summary: "Delete a collection's records",
      parameters: [idOrName],
      responses: { '204': NO_CONTENT, ...errors(400, 404) },
    }),
    '/api/settings': mergeItems(
      superuserItem('get', {
        operationId: 'settings.get',
        summary: 'The settings',
        responses: { '200': settings },
      }),
      superuserItem('patch', {
        operationId: 'settings.update',
        summary: 'Change settings',
        requestBody: { required: true, content: jsonContent(schemaRef(SHARED.settings)) },
        responses: { '200': settings, ...errors(400) },
      }),
    ),
    '/api/settings/test/email': superuserItem('post', {
      operationId: 'settings.testEmail',
      summary: 'Send a test email',
      requestBody: anyBody,
      responses: { '204': NO_CONTENT, ...errors(400) },
    }),
    '/api/settings/test/s3': superuserItem('post', {
      operationId: 'settings.testS3',
      summary: 'Test the S3 settings',
      requestBody: anyBody,
      responses: { '204': NO_CONTENT, ...errors(400) },
    }),
    '/api/settings/apple/generate-client-secret': superuserItem('post', {
      operationId: 'settings.appleClientSecret',
      summary: 'Generate an Apple client secret',
      requestBody: anyBody,
      responses: { '200': okResponse(ANY_OBJECT), ...errors(400) },
    }),
  };
}
