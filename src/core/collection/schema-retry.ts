import type { App } from '../app.js';

/**
 * Runs a record request holding the schema gate shared (see SchemaGate), against the current
 * collections. The gate covers this process's own changes; a change made by another process
 * on the same database is not in this registry until it reloads. When the database answers
 * that a table or column does not exist, the registry is reloaded and the request runs once
 * more, on the new definitions (a deleted collection then answers 404). The request's
 * transaction rolled back with the error, so running it again repeats nothing.
 */
export function withCurrentSchema<T>(app: App, fn: () => Promise<T>): Promise<T> {
  return app.schemaGate.shared(fn).catch((error: unknown) => {
    if (!app.db.isSchemaMismatch(error)) throw error;
    // Reloaded under the gate: no change of this process is half done meanwhile.
    return app.schemaGate.shared(async () => {
      await app.collections.reload(app.db.db);
      return fn();
    });
  });
}
