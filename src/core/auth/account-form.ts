import { isJsonObject } from '../../lib/json-merge.js';
import type { App } from '../app.js';
import { SUPERUSERS, type AuthCollection } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import { ErrorCollector, fieldError } from '../validation-errors.js';
import { requireAuthCollection } from './auth-collection.js';

/** The longest token, email or password an account form accepts; longer is a 400. */
export const MAX_TOKEN = 2048;
export const MAX_EMAIL = 255;
export const MAX_PASSWORD = 255;

/**
 * Reads the required string keys of an account form (`{key: maxLength}`): a missing, empty,
 * non-string or oversized value is a field error, all reported at once as a 400.
 */
export function readAccountForm<K extends string>(
  body: unknown,
  limits: Readonly<Record<K, number>>,
): Record<K, string> {
  const input = isJsonObject(body) ? body : {};
  const errors = new ErrorCollector();
  const form: Partial<Record<K, string>> = {};
  for (const key of Object.keys(limits) as K[]) {
    const value = input[key];
    const max = limits[key];
    if (value === undefined || value === null || value === '')
      errors.add([key], fieldError('validation_required'));
    else if (typeof value !== 'string') errors.add([key], fieldError('validation_is_string'));
    else if (value.length > max)
      errors.add([key], fieldError('validation_max_text_constraint', { max }));
    else form[key] = value;
  }
  if (errors.hasErrors) throw new ApiError('validation_failed', errors.data);
  return form as Record<K, string>;
}

/** The auth collection of an account route that superusers may not use (API.md §4): 400. */
export function requireNonSuperuserAuthCollection(app: App, idOrName: string): AuthCollection {
  const collection = requireAuthCollection(app, idOrName);
  if (collection.id === SUPERUSERS.id) throw new ApiError('bad_request');
  return collection;
}
