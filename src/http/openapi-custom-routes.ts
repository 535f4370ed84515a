import type { TSchema } from '@sinclair/typebox';
import { REQUIRED_AUTH, OPTIONAL_AUTH, errors } from '../core/openapi/openapi-common.js';
import { withIdempotency } from '../core/openapi/openapi-headers.js';
import { plainJsonSchema } from '../lib/openapi/json-schema-plain.js';
import {
  addPathItem,
  jsonContent,
  type JsonSchema,
  type OpenApiMethod,
  type OpenApiOperation,
  type OpenApiParameter,
  type OpenApiPathItem,
} from '../lib/openapi/openapi-model.js';
import type { PathPattern } from '../lib/router/path-pattern.js';
import type { RouteMethod } from './route-event.js';
import type { CustomRoute } from './route-table.js';

/** The methods a `*` route is documented under. */
const ANY_METHOD: readonly OpenApiMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

/** A route's method as an OpenAPI operation key. */
const OPERATION_KEY: Readonly<Record<Exclude<RouteMethod, '*'>, OpenApiMethod>> = {
  GET: 'get',
  POST: 'post',
  PUT: 'put',
  PATCH: 'patch',
  DELETE: 'delete',
  HEAD: 'head',
};

const STRING: JsonSchema = { type: 'string' };

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The OpenAPI template of a pattern: `{name...}` becomes `{name}` (it may hold `/`). */
function template(pattern: PathPattern): string {
  const parts = pattern.segments.map((s) => (s.kind === 'literal' ? s.text : `{${s.name}}`));
  return `/${parts.join('/')}`;
}

/** The property schemas and required names of an object schema. */
function objectParts(schema: TSchema | undefined): {
  properties: Readonly<Record<string, unknown>>;
  required: readonly unknown[];
} {
  const properties = isObject(schema?.properties) ? schema.properties : {};
  const required: unknown = schema?.required;
  return { properties, required: Array.isArray(required) ? required : [] };
}

function plainOr(schema: unknown, fallback: JsonSchema): JsonSchema {
  return isObject(schema) ? plainJsonSchema(schema) : fallback;
}

function parameters(route: CustomRoute): OpenApiParameter[] {
  const { options } = route;
  const params = objectParts(options.params);
  const out: OpenApiParameter[] = [];
  for (const segment of route.pattern.segments) {
    if (segment.kind === 'literal') continue;
    out.push({
      name: segment.name,
      in: 'path',
      required: true,
      schema: plainOr(params.properties[segment.name], STRING),
      ...(segment.kind === 'rest' ? { description: 'The rest of the path (may hold "/").' } : {}),
    });
  }
  const query = objectParts(options.query);
  for (const [name, schema] of Object.entries(query.properties)) {
    const plain = plainOr(schema, STRING);
    const description = typeof plain.description === 'string' ? plain.description : undefined;
    out.push({
      name,
      in: 'query',
      required: query.required.includes(name),
      schema: plain,
      ...(description ? { description } : {}),
    });
  }
  return out;
}

/** The operation of a custom route, from its options (schemas, auth, summary, idempotency). */
function operation(route: CustomRoute): OpenApiOperation {
  const { options } = route;
  const validated = options.params ?? options.query ?? options.body;
  const documented: OpenApiOperation = {
    tags: ['routes'],
    ...(options.summary ? { summary: options.summary } : {}),
    ...(options.description ? { description: options.description } : {}),
    parameters: parameters(route),
    ...(options.body
      ? { requestBody: { required: true, content: jsonContent(plainJsonSchema(options.body)) } }
      : {}),
    responses: {
      '200': options.response
        ? { description: 'The answer.', content: jsonContent(plainJsonSchema(options.response)) }
        : { description: 'The answer.' },
      ...(validated ? errors(400) : {}),
      ...(options.auth ? errors(401, 403) : {}),
    },
    security: typeof options.auth === 'string' ? REQUIRED_AUTH : OPTIONAL_AUTH,
  };
  return options.idempotency ? withIdempotency(documented, options.idempotency) : documented;
}

/**
 * Adds the custom routes (`routerAdd`) to a document's paths, with their `params`, `query`,
 * `body` and `response` TypeBox schemas as plain JSON Schema, and the `Idempotency-Key` header
 * of routes with `idempotency`. A route for every method (`*`) is documented under GET, POST,
 * PUT, PATCH and DELETE; an operation already documented for a path and method is kept
 * (built-in routes win, and routes come most specific first). The public document leaves out
 * `auth: 'superuser'` routes.
 */
export function addCustomRoutes(
  paths: Record<string, OpenApiPathItem>,
  routes: readonly CustomRoute[],
  publicOnly: boolean,
): void {
  for (const route of routes) {
    if (publicOnly && route.options.auth === 'superuser') continue;
    const methods = route.method === '*' ? ANY_METHOD : [OPERATION_KEY[route.method]];
    const op = operation(route);
    const item: OpenApiPathItem = {};
    for (const method of methods) item[method] = op;
    addPathItem(paths, template(route.pattern), item);
  }
}
