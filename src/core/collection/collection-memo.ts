import type { Collection } from './collection-model.js';

/**
 * Memoises a value derived from a collection, per collection version: collections are
 * immutable and replaced on every change, so a new version simply misses the cache and the
 * old entry goes with the old object. Extra arguments are only read on the first call for a
 * version, so they must not change the result (e.g. the app's own query builder).
 */
export function perCollection<A extends unknown[], T>(
  derive: (collection: Collection, ...args: A) => T,
): (collection: Collection, ...args: A) => T {
  const cache = new WeakMap<Collection, { value: T }>();
  return (collection, ...args) => {
    let entry = cache.get(collection);
    if (!entry) {
      entry = { value: derive(collection, ...args) };
      cache.set(collection, entry);
    }
    return entry.value;
  };
}
