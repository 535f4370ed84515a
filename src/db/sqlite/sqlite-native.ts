import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * The better-sqlite3 build for this Node.js. Node 22 and later load better-sqlite3 13
 * (`better-sqlite3-13`, a Node-API addon shipped prebuilt in the package). Node 20 loads 12.x,
 * built from source at install: 13 crashes Node 20 with a segmentation fault, and 12's
 * `node::ObjectWrap` wrappers, built against Node 24.19+ headers, abort the process (a CHECK in
 * `RemoveEnvironmentCleanupHook`) whenever a garbage collection outside JavaScript frees a
 * prepared statement. Their JavaScript APIs are the same; the types are 12's.
 */
function loadDriver(): typeof BetterSqlite3 {
  const major = Number(process.versions.node.split('.')[0]);
  const load = createRequire(import.meta.url);
  return load(major >= 22 ? 'better-sqlite3-13' : 'better-sqlite3') as typeof BetterSqlite3;
}

/** The better-sqlite3 Database class of the build this Node.js can run. */
export const SqliteDatabase: typeof BetterSqlite3 = loadDriver();
