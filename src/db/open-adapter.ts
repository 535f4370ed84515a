import { join } from 'node:path';
import type { DbAdapter, QueryListener } from './adapter.js';
import { createSqliteAdapter } from './sqlite/adapter.js';

/** Where the data lives: a database URL, or the embedded SQLite file of a data directory. */
export interface DatabaseLocation {
  /** `postgres://...` or `mysql://...`; undefined for the embedded SQLite database in `dataDir`. */
  readonly url?: string | undefined;
  readonly dataDir: string;
  readonly onQuery?: QueryListener | undefined;
  /** Told when a pooled connection to a database server fails (it is replaced). */
  readonly onConnectionError?: ((error: Error) => void) | undefined;
}

/** A database that cannot be opened: unreachable, refused, or of an unknown kind. */
export class DatabaseOpenError extends Error {}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable database URL)';
  }
}

/** The embedded SQLite database file of a data directory. */
export function embeddedDatabaseFile(dataDir: string): string {
  return join(dataDir, 'data.db');
}

/** The adapter of a location; the PostgreSQL and MySQL drivers load only when a URL names them. */
async function adapterFor(location: DatabaseLocation): Promise<DbAdapter> {
  const { url, onQuery, onConnectionError } = location;
  if (url === undefined || url === '') {
    return createSqliteAdapter({ file: embeddedDatabaseFile(location.dataDir), onQuery });
  }
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new DatabaseOpenError(`Invalid database URL ${redactUrl(url)}.`);
  }
  if (protocol === 'postgres:' || protocol === 'postgresql:') {
    const { createPostgresAdapter } = await import('./postgres/adapter.js');
    return createPostgresAdapter({ url, onQuery, onConnectionError });
  }
  if (protocol === 'mysql:' || protocol === 'mariadb:') {
    const { createMysqlAdapter } = await import('./mysql/adapter.js');
    return createMysqlAdapter({ url, onQuery, onConnectionError });
  }
  throw new DatabaseOpenError(
    `Unsupported database URL scheme "${protocol}" (supported: postgres://, mysql://, mariadb://, or no URL for SQLite).`,
  );
}

/**
 * Opens the database and checks that it answers. Throws DatabaseOpenError with a message
 * that names the server (never the password) when it cannot be reached or refuses the login.
 */
export async function openAdapter(location: DatabaseLocation): Promise<DbAdapter> {
  const adapter = await adapterFor(location);
  try {
    await adapter.ping();
  } catch (error) {
    await adapter.destroy().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    const where = location.url ? redactUrl(location.url) : 'the SQLite database';
    throw new DatabaseOpenError(`Cannot connect to ${where}: ${reason}`, { cause: error });
  }
  return adapter;
}
