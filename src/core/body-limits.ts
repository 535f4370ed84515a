import type { Collection } from './collection/collection-model.js';
import { fieldBodySize } from './field/field-registry.js';
import type { Settings } from './settings/settings-model.js';

/** The body limit of every route without its own (API.md §0): 32 MiB. */
export const DEFAULT_BODY_LIMIT = 32 * 1024 * 1024;

/** What `batch.maxBodySize` 0 stands for (API.md §7): 128 MiB. */
export const DEFAULT_BATCH_BODY_LIMIT = 128 * 1024 * 1024;

/**
 * The body limit of a record create or update (API.md §0): 32 MiB plus, over the collection's
 * fields, each file field's `maxSize x maxSelect` and each editor and json field's `maxSize`
 * (defaults for 0), bounded by the largest safe integer.
 */
export function recordBodyLimit(collection: Collection): number {
  let limit = DEFAULT_BODY_LIMIT;
  for (const field of collection.fields) limit += fieldBodySize(field);
  return Math.min(limit, Number.MAX_SAFE_INTEGER);
}

/** The body limit of a batch (API.md §7): `batch.maxBodySize`, 0 for 128 MiB. */
export function batchBodyLimit(settings: Readonly<Settings>): number {
  const limit = settings.batch.maxBodySize;
  return limit > 0 ? limit : DEFAULT_BATCH_BODY_LIMIT;
}
