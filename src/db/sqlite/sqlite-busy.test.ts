import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { SqliteDatabase } from './sqlite-native.js';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbAdapter } from '../adapter.js';
import { createSqliteAdapter } from './adapter.js';

describe('SQLite locked by another process', () => {
  let dir: string;
  let adapter: DbAdapter;
  let other: BetterSqlite3.Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'basalt-busy-'));
    const file = join(dir, 'data.db');
    adapter = createSqliteAdapter({ file, busyTimeoutMs: 50 });
    await sql`create table t (id text primary key)`.execute(adapter.db);
    other = new SqliteDatabase(file, { timeout: 0 });
  });

  afterEach(async () => {
    other.close();
    await adapter.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a write that waited out the busy timeout as unavailable, not other errors', async () => {
    other.exec('begin immediate');
    const busy: unknown = await adapter
      .transaction((tx) => sql`insert into t (id) values ('a')`.execute(tx))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    other.exec('rollback');
    expect(busy).toBeInstanceOf(SqliteDatabase.SqliteError);
    expect(adapter.isUnavailable(busy)).toBe(true);

    await sql`insert into t (id) values ('a')`.execute(adapter.db);
    const duplicate: unknown = await sql`insert into t (id) values ('a')`.execute(adapter.db).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(adapter.isUniqueViolation(duplicate)).toBe(true);
    expect(adapter.isUnavailable(duplicate)).toBe(false);
  });
});
