import type { App } from '../../src/core/app.js';

/** Every row of every collection table, to prove a rejected request changed nothing. */
export async function snapshotRows(app: App): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const c of app.collections.all()) {
    out[c.name] = await app.db.db.selectFrom(c.name).selectAll().orderBy('id').execute();
  }
  return out;
}
