import type { App } from '../app.js';
import type { AuthContext } from '../auth/auth-context.js';
import { SUPERUSERS } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import type { Collection } from '../collection/collection-model.js';
import type { FilterParams } from '../rules/rule-compiler.js';
import type { CompiledCondition } from '../rules/rule-types.js';
import { compileCondition } from '../rules/rule-compile.js';
import { compileContextFor } from './record-access.js';
import { internalRequest, toRuleRequest, type RecordRequest } from './record-request.js';
import { assertStoresRecords } from './record-write-gate.js';

/**
 * A request made by the app's own code (hooks, routes, jobs): superuser-level, so collection
 * rules are bypassed and hidden fields are read and written, as PocketBase's `$app.save`. Its
 * auth is the superusers collection with no record behind it (id '').
 */
export function trustedRequest(app: App): RecordRequest {
  const collection = app.collections.findAuth(SUPERUSERS.id);
  if (!collection) {
    throw new Error('the _superusers collection is missing; the database was not migrated');
  }
  const auth: AuthContext = { collection, record: { id: '' }, token: '', refreshable: false };
  return internalRequest(auth);
}

/** A collection that stores records, by id or name; 404 when unknown, 400 for a view. */
export function storingCollection(app: App, idOrName: string): Collection {
  const collection = app.collections.find(idOrName);
  if (!collection) throw new ApiError('collection_not_found');
  assertStoresRecords(collection);
  return collection;
}

/**
 * A filter in the rule language with `{:name}` placeholders, and their values: the text alone
 * when it has none.
 */
export type RecordFilter = string | { readonly filter: string; readonly params?: FilterParams };

/**
 * Compiles a code filter on `collection` (as a superuser's filter: hidden fields allowed,
 * 3500 bytes at most); placeholders of a text filter take their values from `params`. Every
 * value is a bound parameter. A bad filter is a 400; a blank one is no condition (undefined).
 */
export function compileRecordFilter(
  app: App,
  collection: Collection,
  filter: RecordFilter,
  params: FilterParams | undefined,
): CompiledCondition | undefined {
  const text = typeof filter === 'string' ? filter : filter.filter;
  if (text.trim() === '') return undefined;
  const values = typeof filter === 'string' ? params : filter.params;
  const request = toRuleRequest(trustedRequest(app));
  const ctx = compileContextFor(app, collection, collection.name, request, 'clientFilter');
  return compileCondition(text, ctx, app.db.dialect, values ?? {});
}
