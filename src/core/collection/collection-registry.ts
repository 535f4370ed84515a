import type { Executor } from '../../db/adapter.js';
import type { AuthCollection, Collection } from './collection-model.js';
import { loadCollections } from './collection-store.js';

/**
 * The in-memory view of the stored collections, for request paths that must not hit the
 * metadata table. Reloaded after every committed collection change.
 */
export class CollectionRegistry {
  private byId = new Map<string, Collection>();
  private byName = new Map<string, Collection>();
  /** Ids, and names as written: the usual lookup, one probe and no lower-casing. */
  private exact = new Map<string, Collection>();

  /** Counts replacements: a cache of something derived from the collections keys on it. */
  private replacements = 0;

  /** Reloads started, and the last one applied: an older read never replaces a newer one. */
  private loads = 0;
  private applied = 0;

  /** Reloads every collection from the database. */
  async reload(exec: Executor): Promise<void> {
    const load = ++this.loads;
    const collections = await loadCollections(exec);
    if (load < this.applied) return;
    this.applied = load;
    this.replace(collections);
  }

  /** Changes whenever the collections are replaced (a reload after a collection change). */
  get version(): number {
    return this.replacements;
  }

  /** Replaces the cached collections. */
  replace(collections: readonly Collection[]): void {
    this.replacements++;
    this.byId = new Map(collections.map((c) => [c.id, c]));
    this.byName = new Map(collections.map((c) => [c.name.toLowerCase(), c]));
    // Ids are set last: an id wins over an equal name, as in find's order.
    this.exact = new Map([
      ...collections.map((c): [string, Collection] => [c.name, c]),
      ...collections.map((c): [string, Collection] => [c.id, c]),
    ]);
  }

  /** Finds a collection by exact id or by case-insensitive name (API.md §1). */
  find(idOrName: string): Collection | undefined {
    return this.exact.get(idOrName) ?? this.byName.get(idOrName.toLowerCase());
  }

  /** Finds an auth collection by id or name. */
  findAuth(idOrName: string): AuthCollection | undefined {
    const c = this.find(idOrName);
    return c?.type === 'auth' ? c : undefined;
  }

  /** Finds a collection by exact id only. */
  findById(id: string): Collection | undefined {
    return this.byId.get(id);
  }

  /** All collections, in creation order. */
  all(): Collection[] {
    return [...this.byId.values()];
  }
}
