import type { App } from '../app.js';
import type { CollectionEvent } from '../hooks/collection-event.js';
import { writeAppliedMigration } from './migration-files.js';
import {
  createdMigration,
  deletedMigration,
  updatedMigration,
  type MigrationText,
} from './migration-template.js';

/** Handler ids of the automigrate writer (fixed, so that binding it twice replaces it). */
const IDS = {
  create: 'basalt.automigrate.create',
  update: 'basalt.automigrate.update',
  delete: 'basalt.automigrate.delete',
} as const;

/**
 * `--dev` automigrate (PocketBase's): every collection change made through the API (create,
 * update, delete, import; not the ones migrations or app code make) writes a migration file
 * into `dir` that records it, `<unix time>_<created|updated|deleted>_<name>.ts`, recorded as
 * applied in `_migrations` (the change already happened). Files are written one at a time, in
 * commit order. A failure is logged; the change stands. Returns the function that unbinds it.
 */
export function bindAutomigrate(app: App, dir: string): () => void {
  let queue: Promise<void> = Promise.resolve();
  const writer =
    (make: (e: CollectionEvent) => MigrationText | undefined) =>
    async (e: CollectionEvent): Promise<void> => {
      const migration = e.source === 'api' ? make(e) : undefined;
      if (migration) {
        const written = queue.then(async () => {
          const file = await writeAppliedMigration(app, dir, migration);
          app.logger.info({ file }, 'automigrate: wrote a migration');
        });
        queue = written.catch((error: unknown) => {
          app.logger.error({ err: error }, 'automigrate: writing the migration failed');
        });
        await queue;
      }
      await e.next();
    };
  const { hooks } = app;
  hooks.onCollectionAfterCreateSuccess.bind({
    id: IDS.create,
    fn: writer((e) => createdMigration(e.collection)),
  });
  hooks.onCollectionAfterUpdateSuccess.bind({
    id: IDS.update,
    fn: writer((e) => (e.original ? updatedMigration(e.collection, e.original) : undefined)),
  });
  hooks.onCollectionAfterDeleteSuccess.bind({
    id: IDS.delete,
    fn: writer((e) => deletedMigration(e.collection)),
  });
  return () => {
    hooks.onCollectionAfterCreateSuccess.unbind(IDS.create);
    hooks.onCollectionAfterUpdateSuccess.unbind(IDS.update);
    hooks.onCollectionAfterDeleteSuccess.unbind(IDS.delete);
  };
}
