import type { Collection } from '../collection/collection-model.js';
import type { Field } from '../field/field-model.js';
import { schemaRef, type JsonSchema } from '../../lib/openapi/openapi-model.js';
import {
  fieldModifierSchemas,
  fieldValueSchema,
  type FieldSchemaUse,
} from './openapi-field-schema.js';
import type { CollectionNames } from './openapi-names.js';
import { SHARED } from './openapi-common.js';

/** What the record schemas of a document need to know. */
export interface RecordSchemaContext {
  /** The names of the collections the document holds, by collection id. */
  readonly names: ReadonlyMap<string, CollectionNames>;
  /** A superusers' document: hidden fields are read and written too. */
  readonly superuser: boolean;
}

/** Auth fields never output (API.md §1.2). */
const NEVER_OUTPUT = new Set(['password', 'tokenKey']);

function isAuthSecret(collection: Collection, field: Field): boolean {
  return collection.type === 'auth' && NEVER_OUTPUT.has(field.name);
}

/** The relations of a record's `expand`, for targets the document holds. */
function expandSchema(collection: Collection, ctx: RecordSchemaContext): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const field of collection.fields) {
    if (field.type !== 'relation' || (field.hidden && !ctx.superuser)) continue;
    const target = ctx.names.get(field.collectionId);
    if (!target) continue;
    const ref = schemaRef(target.record);
    properties[field.name] = field.maxSelect > 1 ? { type: 'array', items: ref } : ref;
  }
  return {
    type: 'object',
    description:
      'The expanded relations asked for with `expand` (back-relations `<collection>_via_<field>` too).',
    properties,
    additionalProperties: true,
  };
}

/** A record as the API answers it (API.md §1.2). */
function recordSchema(collection: Collection, ctx: RecordSchemaContext): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    collectionId: { type: 'string', const: collection.id },
    collectionName: { type: 'string', const: collection.name },
  };
  const required = ['collectionId', 'collectionName'];
  for (const field of collection.fields) {
    if (isAuthSecret(collection, field)) continue;
    if (field.hidden && !ctx.superuser) continue;
    const schema = fieldValueSchema(field, 'output');
    if (!schema) continue;
    properties[field.name] = schema;
    // Hidden fields show to superusers only; an auth email only when visible to the caller.
    const optional = field.hidden || (collection.type === 'auth' && field.name === 'email');
    if (!optional) required.push(field.name);
  }
  properties.expand = expandSchema(collection, ctx);
  return {
    type: 'object',
    description: `A record of "${collection.name}".`,
    properties,
    required,
  };
}

/** Whether a create must carry a value for the field. */
function requiredOnCreate(field: Field): boolean {
  if (!('required' in field) || !field.required) return false;
  if (field.type === 'text' && (field.primaryKey || field.autogeneratePattern !== '')) return false;
  return true;
}

/** A create or update body, JSON or multipart (API.md §1.3). */
function bodySchema(
  collection: Collection,
  ctx: RecordSchemaContext,
  kind: 'create' | 'update',
  use: FieldSchemaUse,
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const auth = collection.type === 'auth';
  for (const field of collection.fields) {
    if (field.name === 'tokenKey' && auth) continue;
    // Hidden fields are superuser input, except an auth collection's password.
    if (field.hidden && !ctx.superuser && !(auth && field.name === 'password')) continue;
    if (kind === 'update' && field.type === 'text' && field.primaryKey) continue;
    const schema = fieldValueSchema(field, use);
    if (!schema) continue;
    properties[field.name] = schema;
    Object.assign(properties, fieldModifierSchemas(field, use));
    if (kind === 'create' && requiredOnCreate(field)) required.push(field.name);
  }
  if (auth) {
    properties.passwordConfirm = { type: 'string', writeOnly: true };
    if (kind === 'create') required.push('passwordConfirm');
    else properties.oldPassword = { type: 'string', writeOnly: true };
  }
  return {
    type: 'object',
    description: `The ${use === 'form' ? 'multipart' : 'JSON'} body of a ${kind} in "${collection.name}".`,
    properties,
    ...(required.length > 0 ? { required } : {}),
  };
}

/** Whether a collection's bodies can carry uploads. */
export function hasFileFields(collection: Collection, ctx: RecordSchemaContext): boolean {
  return collection.fields.some((f) => f.type === 'file' && (!f.hidden || ctx.superuser));
}

/**
 * The component schemas of one collection: its record, the list envelope, and for
 * writable collections the create and update bodies (multipart ones when it has file fields),
 * and for auth collections the auth answer `{token, record, meta?}`.
 */
export function collectionSchemas(
  collection: Collection,
  names: CollectionNames,
  ctx: RecordSchemaContext,
): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {
    [names.record]: recordSchema(collection, ctx),
    [names.list]: {
      type: 'object',
      properties: {
        items: { type: 'array', items: schemaRef(names.record) },
        page: { type: 'integer' },
        perPage: { type: 'integer' },
        totalItems: { type: 'integer', description: '-1 with skipTotal.' },
        totalPages: { type: 'integer', description: '-1 with skipTotal.' },
      },
      required: ['items', 'page', 'perPage', 'totalItems', 'totalPages'],
    },
  };
  if (collection.type === 'view') return out;
  out[names.create] = bodySchema(collection, ctx, 'create', 'input');
  out[names.update] = bodySchema(collection, ctx, 'update', 'input');
  if (hasFileFields(collection, ctx)) {
    out[names.createForm] = bodySchema(collection, ctx, 'create', 'form');
    out[names.updateForm] = bodySchema(collection, ctx, 'update', 'form');
  }
  if (collection.type === 'auth') {
    out[names.auth] = {
      type: 'object',
      properties: {
        token: { type: 'string' },
        record: schemaRef(names.record),
        meta: schemaRef(SHARED.oauth2Meta),
      },
      required: ['token', 'record'],
    };
  }
  return out;
}
