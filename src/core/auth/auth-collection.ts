import type { App } from '../app.js';
import { ApiError } from '../errors.js';
import type { AuthCollection } from '../collection/collection-model.js';

/**
 * The auth collection an auth route names: 404 "Missing or invalid collection context." when
 * it does not exist, 404 "Missing or invalid auth collection context." when it is not auth.
 */
export function requireAuthCollection(app: App, idOrName: string): AuthCollection {
  const collection = app.collections.find(idOrName);
  if (!collection) throw new ApiError('collection_context_invalid');
  if (collection.type !== 'auth') throw new ApiError('auth_collection_invalid');
  return collection;
}

/**
 * Gate run after every successful authentication, before a token is returned: the
 * collection's authRule (null disables auth) and its MFA setting. Non-empty rules and MFA are
 * refused rather than skipped until the rule engine and MFA exist, so nothing is bypassed.
 */
export function assertMayAuthenticate(collection: AuthCollection): void {
  if (collection.authRule === null || collection.authRule.trim() !== '') {
    throw new ApiError('auth_rule_failed');
  }
  if (collection.mfa.enabled) {
    throw new ApiError('auth_rule_failed', {}, 'Multi-factor authentication is not available yet.');
  }
}
