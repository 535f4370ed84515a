import type { DbAdapter, Executor } from '../../db/adapter.js';
import { shownNames } from '../../db/migrator.js';
import type { Collection } from '../collection/collection-model.js';
import { loadCollections } from '../collection/collection-store.js';
import { SYSTEM_MIGRATIONS } from '../migrations/system-migrations.js';

/** A database that cannot be copied, or a copy that failed its checks; nothing was written. */
export class DataCopyError extends Error {}

/** What a source database holds, read inside the copy's source transaction. */
export interface SourceContents {
  /** Every table of the source. */
  readonly tables: readonly string[];
  /** Its collections, in creation order. */
  readonly collections: readonly Collection[];
}

/**
 * Refuses a source whose system migrations are not exactly this version's: a pending one
 * would leave the copy at an older schema, an unknown one means a newer Basalt wrote it.
 */
async function assertSameMigrations(exec: Executor): Promise<void> {
  const applied = (await exec.selectFrom('_migrations').select('file').execute()).map(
    (r) => r.file,
  );
  const known = SYSTEM_MIGRATIONS.map((m) => m.name);
  const unknown = applied.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new DataCopyError(
      `A newer Basalt wrote the source (unknown system migrations: ${shownNames(unknown)}); ` +
        'copy it with that version.',
    );
  }
  const pending = known.filter((name) => !applied.includes(name));
  if (pending.length > 0) {
    throw new DataCopyError(
      `The source misses system migrations of this version (${shownNames(pending)}): start ` +
        'this Basalt on it once (basalt serve) to apply them, then copy it.',
    );
  }
}

/**
 * Reads what the source holds and checks that it is a Basalt database of this version whose
 * collections all have their tables.
 */
export async function readSourceContents(
  adapter: DbAdapter,
  exec: Executor,
): Promise<SourceContents> {
  const tables = await adapter.listTables(exec);
  if (!tables.includes('_migrations')) {
    throw new DataCopyError(
      tables.length === 0
        ? 'The source database is empty: there is nothing to copy.'
        : `The source is not a Basalt database (it holds ${shownNames(tables)} but no _migrations).`,
    );
  }
  await assertSameMigrations(exec);
  const collections = await loadCollections(exec);
  const missing = collections
    .filter((c) => c.type !== 'view' && !tables.includes(c.name))
    .map((c) => c.name);
  if (missing.length > 0) {
    throw new DataCopyError(`The source lacks the tables of collections ${shownNames(missing)}.`);
  }
  return { tables, collections };
}
