import type { ExpressionGroup } from './filter-ast.js';
import { deepFreeze } from './filter-freeze.js';
import { FILTER_CACHE_CAPACITY } from './filter-limits.js';
import type { FilterParseOptions } from './filter-parse.js';
import { parseFilterUncached } from './filter-parse.js';

/**
 * A small least-recently-used map: reading an entry marks it recent; adding beyond `capacity`
 * evicts the least recent one. Relies on Map keeping insertion order.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  /** Creates an empty cache holding at most `capacity` (at least 1) entries. */
  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`LruCache capacity must be a positive integer, got ${capacity}.`);
    }
  }

  /** Number of entries held. */
  get size(): number {
    return this.entries.size;
  }

  /** Returns the entry for `key` (marking it recent), or undefined. */
  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key);
    this.entries.delete(key);
    if (value !== undefined) this.entries.set(key, value);
    return value;
  }

  /** Stores `value` under `key`, evicting the least recent entry when full. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  /** Removes every entry. */
  clear(): void {
    this.entries.clear();
  }
}

// Process-wide on purpose: parsed ASTs are immutable and depend only on the text and limits, so
// sharing them between apps is safe, and a bound keeps client-chosen filters from growing it.
const cache = new LruCache<string, ExpressionGroup>(FILTER_CACHE_CAPACITY);

function cacheKey(text: string, options: FilterParseOptions): string {
  return `${options.maxLength ?? '-'}|${options.maxExpressions ?? '-'}|${text}`;
}

/**
 * Parses filter or rule text into its AST, once per distinct text and options: the result is
 * cached (bounded LRU) and deeply frozen, so repeated calls return the very same object.
 * Throws {@link FilterSyntaxError} (never cached) on invalid input.
 *
 * @example parseFilter('title ~ "abc" && created > @yesterday', { maxLength: 3500 })
 */
export function parseFilter(text: string, options: FilterParseOptions = {}): ExpressionGroup {
  const key = cacheKey(text, options);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const ast = deepFreeze(parseFilterUncached(text, options));
  cache.set(key, ast);
  return ast;
}

/** Number of parsed filters currently cached (for tests and metrics). */
export function filterCacheSize(): number {
  return cache.size;
}

/** Empties the parsed-filter cache (for tests). */
export function clearFilterCache(): void {
  cache.clear();
}
