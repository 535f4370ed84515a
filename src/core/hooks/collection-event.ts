import { HookEvent, type TaggedEvent } from '../../lib/hook/index.js';
import type { App } from '../app.js';
import type { Collection } from '../collection/collection-model.js';

/**
 * Who made a collection change: the HTTP API (`api`, the dashboard and
 * `PUT /api/collections/import` included), a migration (`migration`), or other code of the
 * app (`hook`: onBootstrap, a route, an embedding program).
 */
export type CollectionChangeSource = 'api' | 'migration' | 'hook';

/**
 * onCollectionAfterCreateSuccess / ...UpdateSuccess / ...DeleteSuccess: a collection change
 * committed. Runs once after the outermost commit (never for a rollback), with the collection
 * registry already showing the change. Tagged with the collection's id and name.
 */
export class CollectionEvent extends HookEvent implements TaggedEvent {
  constructor(
    readonly app: App,
    /** The collection as saved (for a delete: as it was before). */
    readonly collection: Collection,
    /** For an update, the collection before it; undefined for a create or a delete. */
    readonly original: Collection | undefined,
    readonly source: CollectionChangeSource,
  ) {
    super();
  }

  tags(): readonly string[] {
    return [this.collection.id, this.collection.name];
  }
}
