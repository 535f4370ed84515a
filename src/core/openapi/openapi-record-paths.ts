import type { Collection } from '../collection/collection-model.js';
import {
  jsonContent,
  schemaRef,
  type OpenApiOperation,
  type OpenApiPathItem,
  type OpenApiRequestBody,
} from '../../lib/openapi/openapi-model.js';
import {
  EXPAND_PARAM,
  FIELDS_PARAM,
  NO_CONTENT,
  errors,
  okResponse,
  pathParam,
  queryParam,
  superuserOperation,
} from './openapi-common.js';
import {
  ETAG_HEADER,
  IF_MATCH_PARAM,
  IF_NONE_MATCH_PARAM,
  NOT_MODIFIED,
  PRECONDITION_FAILED,
  withHeaders,
  withIdempotency,
} from './openapi-headers.js';
import type { CollectionNames } from './openapi-names.js';
import { hasFileFields, type RecordSchemaContext } from './openapi-record-schemas.js';

const LIST_PARAMS = [
  queryParam('page', { type: 'integer', default: 1 }, 'The page (1 and up).'),
  queryParam('perPage', { type: 'integer', default: 30, maximum: 1000 }, 'Records per page.'),
  queryParam('sort', { type: 'string' }, 'Comma-separated fields, `-` for descending.'),
  queryParam('filter', { type: 'string' }, 'A filter expression, e.g. `title ~ "x"`.'),
  EXPAND_PARAM,
  FIELDS_PARAM,
  queryParam('skipTotal', { type: 'boolean' }, 'Skip the count: totalItems = totalPages = -1.'),
];

const RECORD_ID = pathParam('id', 'The record id.');

function writeBody(
  collection: Collection,
  names: CollectionNames,
  ctx: RecordSchemaContext,
  kind: 'create' | 'update',
): OpenApiRequestBody {
  const json = kind === 'create' ? names.create : names.update;
  const form = kind === 'create' ? names.createForm : names.updateForm;
  return {
    required: kind === 'create',
    content: {
      ...jsonContent(schemaRef(json)),
      ...(hasFileFields(collection, ctx)
        ? { 'multipart/form-data': { schema: schemaRef(form) } }
        : {}),
    },
  };
}

/**
 * The records API of one collection (API.md §1): list and create on `.../records`, view,
 * update and delete on `.../records/{id}`; views only list and view. An operation whose rule
 * is null is documented as superuser-only. Record answers carry an `ETag`, views take
 * `If-None-Match` (304), updates and deletes `If-Match` (412); creates take an
 * `Idempotency-Key` when the collection's `idempotency` option is set.
 */
export function recordPaths(
  collection: Collection,
  names: CollectionNames,
  ctx: RecordSchemaContext,
): Record<string, OpenApiPathItem> {
  const base = `/api/collections/${collection.name}/records`;
  const tags = [collection.name];
  const op = names.operationPrefix;
  const record = withHeaders(okResponse(schemaRef(names.record), 'The record.'), {
    ETag: ETAG_HEADER,
  });
  const list: OpenApiPathItem = {};
  const one: OpenApiPathItem = {};
  // A null rule is superusers only: documented as such for them, left out of a public document.
  const add = (
    item: OpenApiPathItem,
    method: 'get' | 'post' | 'patch' | 'delete',
    rule: string | null,
    operation: OpenApiOperation,
  ): void => {
    if (rule !== null) item[method] = operation;
    else if (ctx.superuser) item[method] = superuserOperation(operation);
  };
  add(list, 'get', collection.listRule, {
    operationId: `${op}list`,
    summary: `List ${collection.name} records`,
    tags,
    parameters: LIST_PARAMS,
    responses: { '200': okResponse(schemaRef(names.list), 'A page.'), ...errors(400, 403) },
  });
  add(one, 'get', collection.viewRule, {
    operationId: `${op}view`,
    summary: `View a ${collection.name} record`,
    tags,
    parameters: [RECORD_ID, EXPAND_PARAM, FIELDS_PARAM, IF_NONE_MATCH_PARAM],
    responses: { '200': record, '304': NOT_MODIFIED, ...errors(403, 404) },
  });
  if (collection.type !== 'view') {
    const create: OpenApiOperation = {
      operationId: `${op}create`,
      summary: `Create a ${collection.name} record`,
      tags,
      parameters: [EXPAND_PARAM, FIELDS_PARAM],
      requestBody: writeBody(collection, names, ctx, 'create'),
      responses: { '200': record, ...errors(400, 403) },
    };
    const mode = collection.idempotency;
    add(list, 'post', collection.createRule, mode ? withIdempotency(create, mode) : create);
    add(one, 'patch', collection.updateRule, {
      operationId: `${op}update`,
      summary: `Update a ${collection.name} record`,
      tags,
      parameters: [RECORD_ID, EXPAND_PARAM, FIELDS_PARAM, IF_MATCH_PARAM],
      requestBody: writeBody(collection, names, ctx, 'update'),
      responses: { '200': record, ...errors(400, 403, 404), '412': PRECONDITION_FAILED },
    });
    add(one, 'delete', collection.deleteRule, {
      operationId: `${op}delete`,
      summary: `Delete a ${collection.name} record`,
      tags,
      parameters: [RECORD_ID, IF_MATCH_PARAM],
      responses: { '204': NO_CONTENT, ...errors(400, 403, 404), '412': PRECONDITION_FAILED },
    });
  }
  const out: Record<string, OpenApiPathItem> = {};
  if (Object.keys(list).length > 0) out[base] = list;
  if (Object.keys(one).length > 0) out[`${base}/{id}`] = one;
  return out;
}
