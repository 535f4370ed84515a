import type { Logger } from 'pino';
import type { Executor } from '../../db/adapter.js';
import type { TxScope } from '../../db/transaction.js';
import type { App } from '../app.js';
import { importCollections } from '../collection/collection-import.js';
import type { Collection } from '../collection/collection-model.js';
import {
  createCollection,
  deleteCollection,
  updateCollection,
} from '../collection/collection-service.js';
import type { RecordsApi } from '../record/record-api.js';

/** A collection definition as the collections API takes it (`POST /api/collections`). */
export type CollectionDefinition = Readonly<Record<string, unknown>>;

/**
 * What a migration's `up` and `down` work with: everything runs in the migration's own
 * transaction, collection changes included (the one place where they may run inside one), and
 * all of it rolls back when the migration throws.
 */
export interface MigrationApp {
  /** The App; its queries, record writes and transactions join the migration's transaction. */
  readonly app: App;
  /** The migration's transaction, for SQL of your own (Kysely: `sql\`...\`.execute(m.db)`). */
  readonly db: Executor;
  readonly logger: Logger;
  /** The records of a collection, rules bypassed (see RecordsApi); sees this migration's changes. */
  records(collection: string): RecordsApi;
  /** A collection by id or name, as this migration left it so far. */
  findCollection(idOrName: string): Collection | undefined;
  /** Creates a collection (the JSON of `POST /api/collections`; an `id` is kept). */
  createCollection(definition: CollectionDefinition): Promise<Collection>;
  /** Updates a collection: `changes` merged over the stored definition (`PATCH`). */
  updateCollection(idOrName: string, changes: CollectionDefinition): Promise<Collection>;
  /** Deletes a collection and its records. */
  deleteCollection(idOrName: string): Promise<void>;
  /**
   * Imports collections as `PUT /api/collections/import` does: matched by id, else name,
   * updated or created; with `deleteMissing`, other non-system collections are deleted.
   */
  importCollections(
    definitions: readonly CollectionDefinition[],
    deleteMissing?: boolean,
  ): Promise<void>;
}

/** A migration: `up` applies it, `down` (optional) reverts it. */
export interface MigrationDefinition {
  up(app: MigrationApp): Promise<void> | void;
  down?(app: MigrationApp): Promise<void> | void;
}

/**
 * Declares a migration: the default export of a `basalt_migrations/*.ts` file.
 *
 * @example
 * export default defineMigration({
 *   async up(app) { await app.createCollection({ name: 'posts', type: 'base', fields: [] }); },
 *   async down(app) { await app.deleteCollection('posts'); },
 * });
 */
export function defineMigration(definition: MigrationDefinition): MigrationDefinition {
  return definition;
}

/** The MigrationApp of a migration running in `scope`. */
export function migrationApp(app: App, scope: TxScope): MigrationApp {
  const options = { source: 'migration' } as const;
  return {
    app,
    get db() {
      return scope.db;
    },
    logger: app.logger,
    records: (collection) => app.records(collection),
    findCollection: (idOrName) => app.collections.find(idOrName),
    createCollection: (definition) => createCollection(app, definition, options),
    updateCollection: (idOrName, changes) => updateCollection(app, idOrName, changes, options),
    deleteCollection: (idOrName) => deleteCollection(app, idOrName, options),
    importCollections: (definitions, deleteMissing = false) =>
      importCollections(app, definitions, deleteMissing, 'migration'),
  };
}
