import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** How many prepared statements one connection keeps. */
const CAPACITY = 1000;

/**
 * Wraps a better-sqlite3 connection for Kysely so that each distinct SQL text is prepared
 * once and reused (least recently used statements are dropped past the capacity). Kysely's
 * SQLite driver otherwise prepares every query anew, which costs more than running a
 * point lookup. Statements re-prepare themselves after schema changes.
 */
export function withStatementCache(conn: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      cache.clear();
      conn.close();
    },
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql);
      } else {
        stmt = conn.prepare(sql);
        if (cache.size >= CAPACITY) {
          const oldest = cache.keys().next();
          if (!oldest.done) cache.delete(oldest.value);
        }
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}
