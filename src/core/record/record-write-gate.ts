import type { App } from '../app.js';
import { isSuperuser } from '../auth/auth-context.js';
import type { Collection } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import { constantValue } from '../rules/rule-constant.js';
import type { RuleRequest } from '../rules/rule-types.js';
import { NEW_RECORD_ALIAS, ruleCondition } from './record-access.js';
import type { RecordRequest } from './record-request.js';

/** Refuses a record write to a view collection, whose records are read-only (API.md §1). */
export function assertStoresRecords(collection: Collection): void {
  if (collection.type === 'view') throw new ApiError('collection_type_unsupported');
}

/** A record write that a collection rule governs. */
export type WriteAction = 'create' | 'update';

/**
 * The collection of a create or update, and the refusals that need nothing but the request
 * line (API.md §1): an unknown collection is 404 "Missing or invalid collection context.", a
 * view 400, a null rule 403 for everyone but superusers.
 */
export function writableCollection(
  app: App,
  idOrName: string,
  action: WriteAction,
  request: Pick<RecordRequest, 'auth'>,
): Collection {
  const collection = app.collections.find(idOrName);
  if (!collection) throw new ApiError('collection_context_invalid');
  assertStoresRecords(collection);
  const rule = action === 'create' ? collection.createRule : collection.updateRule;
  if (rule === null && !isSuperuser(request.auth)) throw new ApiError('superuser_only_action');
  return collection;
}

/**
 * The request as a rule sees it with no body yet; it notes whether the rule read the body,
 * so that a rule folded to false only refuses when the body could not have changed that.
 */
class BodylessRequest implements RuleRequest {
  bodyRead = false;

  constructor(private readonly request: RecordRequest) {}

  get context(): RuleRequest['context'] {
    return this.request.context;
  }

  get method(): string {
    return this.request.method;
  }

  get headers(): RuleRequest['headers'] {
    return this.request.headers;
  }

  get query(): RuleRequest['query'] {
    return this.request.query;
  }

  get auth(): RuleRequest['auth'] {
    return this.request.auth;
  }

  get body(): RuleRequest['body'] {
    this.bodyRead = true;
    return {};
  }
}

/**
 * Everything about a create or update that can be decided before its body is read, so that a
 * refused request never makes the server read (and hold) its body: the checks of
 * {@link writableCollection}, then the rule itself when, for this requester, it folds to
 * false without reading `@request.body` (`@request.auth.id != ''` for a guest): a create
 * answers 400 "Failed to create record.", an update 404, as they would after the body.
 */
export function checkWriteBeforeBody(
  app: App,
  idOrName: string,
  action: WriteAction,
  request: RecordRequest,
): Collection {
  const collection = writableCollection(app, idOrName, action, request);
  const rule = action === 'create' ? collection.createRule : collection.updateRule;
  if (rule === null || isSuperuser(request.auth)) return collection;
  const bodyless = new BodylessRequest(request);
  const alias = action === 'create' ? NEW_RECORD_ALIAS : collection.name;
  const condition = ruleCondition(app, collection, alias, rule, bodyless);
  if (condition && !bodyless.bodyRead && constantValue(condition) === false) {
    throw new ApiError(action === 'create' ? 'record_create_failed' : 'not_found');
  }
  return collection;
}
