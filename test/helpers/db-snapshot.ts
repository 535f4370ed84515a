import type { App } from '../../src/core/app.js';

/** Every table's columns and indexes plus the collections metadata, to compare before/after. */
export async function snapshotDb(app: App): Promise<unknown> {
  const tables = await app.db.listTables(app.db.db);
  const schema: Record<string, unknown> = {};
  for (const table of tables) {
    schema[table] = {
      columns: await app.db.listColumns(app.db.db, table),
      indexes: await app.db.listIndexes(app.db.db, table),
    };
  }
  const meta = await app.db.db.selectFrom('_collections').selectAll().orderBy('id').execute();
  return { schema, meta };
}
