import type { App } from '../app.js';
import type { CollectionEvent } from '../hooks/collection-event.js';
import type { TypegenOptions } from './generate-types.js';
import { writeTypes } from './write-types.js';

/** Handler ids of the types writer (fixed, so that binding it twice replaces it). */
const IDS = {
  create: 'basalt.types.create',
  update: 'basalt.types.update',
  delete: 'basalt.types.delete',
} as const;

/**
 * Keeps `file` holding the types of the app's collections (`--dev`): writes it now, and again
 * after every committed collection change, whoever made it (the API, a migration, app code).
 * The file is rewritten only when its text changes. A failure is logged; the change stands.
 * Returns the function that stops it.
 */
export function watchTypes(app: App, file: string, options: TypegenOptions = {}): () => void {
  const write = (): void => {
    try {
      if (writeTypes(app, file, options)) app.logger.info({ file }, 'typegen: wrote the types');
    } catch (error) {
      app.logger.error({ err: error, file }, 'typegen: writing the types failed');
    }
  };
  write();
  const fn = async (e: CollectionEvent): Promise<void> => {
    write();
    await e.next();
  };
  const { hooks } = app;
  hooks.onCollectionAfterCreateSuccess.bind({ id: IDS.create, fn });
  hooks.onCollectionAfterUpdateSuccess.bind({ id: IDS.update, fn });
  hooks.onCollectionAfterDeleteSuccess.bind({ id: IDS.delete, fn });
  return () => {
    hooks.onCollectionAfterCreateSuccess.unbind(IDS.create);
    hooks.onCollectionAfterUpdateSuccess.unbind(IDS.update);
    hooks.onCollectionAfterDeleteSuccess.unbind(IDS.delete);
  };
}
