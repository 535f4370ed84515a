import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DbAdapter } from './adapter.js';
import {
  DatabaseOpenError,
  embeddedDatabaseFile,
  openAdapter,
  redactUrl,
  type DatabaseLocation,
} from './open-adapter.js';

/**
 * Reads `--from`/`--to` style text: a database URL (`scheme://...`) or, otherwise, a data
 * directory holding the embedded SQLite database.
 */
export function parseDatabaseLocation(text: string): DatabaseLocation {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return { url: text, dataDir: '' };
  return { dataDir: resolve(text) };
}

function isEmbedded(location: DatabaseLocation): boolean {
  return location.url === undefined || location.url === '';
}

/** How a location reads in messages: its URL without the password, or its data directory. */
export function describeLocation(location: DatabaseLocation): string {
  return isEmbedded(location)
    ? `the SQLite database in ${location.dataDir}`
    : redactUrl(location.url ?? '');
}

/** Whether two locations name the same database (same data directory, or same URL). */
export function isSameLocation(a: DatabaseLocation, b: DatabaseLocation): boolean {
  if (isEmbedded(a) || isEmbedded(b)) {
    return isEmbedded(a) && isEmbedded(b) && resolve(a.dataDir) === resolve(b.dataDir);
  }
  return normalUrl(a.url ?? '') === normalUrl(b.url ?? '');
}

function normalUrl(url: string): string {
  try {
    return new URL(url).toString();
  } catch {
    return url;
  }
}

/**
 * Opens a database that must already exist: a data directory without a database file is
 * refused instead of getting a new, empty one.
 */
export async function openExistingDatabase(location: DatabaseLocation): Promise<DbAdapter> {
  if (isEmbedded(location) && !existsSync(embeddedDatabaseFile(location.dataDir))) {
    throw new DatabaseOpenError(`There is no database in ${location.dataDir} (no data.db).`);
  }
  return openAdapter(location);
}

/** A database opened to be filled, that can take back what opening it created. */
export interface DatabaseToFill {
  readonly adapter: DbAdapter;
  /**
   * Closes the database and deletes the database file (with its WAL and shared-memory files)
   * and the directories that opening it created. A server database is only closed: what was
   * written there is the caller's to drop.
   */
  discard(): Promise<void>;
}

// SQLite keeps its write-ahead log and shared memory beside the database file.
const EMBEDDED_SIDE_FILES = ['', '-wal', '-shm', '-journal'];

/**
 * Opens a database to copy into, creating the data directory and its database file when the
 * location is a data directory that has none yet.
 */
export async function openDatabaseToFill(location: DatabaseLocation): Promise<DatabaseToFill> {
  if (!isEmbedded(location)) {
    const adapter = await openAdapter(location);
    return { adapter, discard: () => adapter.destroy() };
  }
  const file = embeddedDatabaseFile(location.dataDir);
  const fileExisted = existsSync(file);
  const createdDir = mkdirSync(location.dataDir, { recursive: true });
  const removeCreated = () => {
    if (createdDir !== undefined) rmSync(createdDir, { recursive: true, force: true });
    else if (!fileExisted) for (const s of EMBEDDED_SIDE_FILES) rmSync(file + s, { force: true });
  };
  let adapter: DbAdapter;
  try {
    adapter = await openAdapter(location);
  } catch (error) {
    removeCreated();
    throw error;
  }
  return {
    adapter,
    discard: async () => {
      await adapter.destroy();
      removeCreated();
    },
  };
}
