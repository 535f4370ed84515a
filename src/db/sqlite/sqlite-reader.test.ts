import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbAdapter } from '../adapter.js';
import { selectFirstRow, selectRows } from '../immediate-read.js';
import { createSqliteAdapter } from './adapter.js';

const ALL = 'select id from t order by id';

async function ids(adapter: DbAdapter): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`select id from t order by id`.execute(adapter.db);
  return rows.map((row) => row.id);
}

describe('SQLite reads on the reader beside the writer', () => {
  let dir: string;
  let adapter: DbAdapter;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'basalt-reader-'));
    adapter = createSqliteAdapter({ file: join(dir, 'data.db') });
    await sql`create table t (id text primary key)`.execute(adapter.db);
    await sql`insert into t (id) values ('a')`.execute(adapter.db);
  });

  afterEach(async () => {
    await adapter.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answer while a transaction holds the writer, with the committed state', async () => {
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    let ended = false;
    const tx = adapter
      .transaction(async (exec) => {
        await sql`insert into t (id) values ('b')`.execute(exec);
        wrote();
        await new Promise((resolve) => setTimeout(resolve, 200));
      })
      .then(() => (ended = true));
    await written;
    // Through Kysely (the routed connection) and through the immediate path.
    expect(await ids(adapter)).toEqual(['a']);
    expect(await selectRows(adapter.db, ALL, [])).toEqual([{ id: 'a' }]);
    expect(await selectFirstRow(adapter.db, 'select id from t where id = ?', ['b'])).toBe(
      undefined,
    );
    expect(ended).toBe(false);
    await tx;
    // The commit is seen by the next read.
    expect(await ids(adapter)).toEqual(['a', 'b']);
  });

  it('send a write returning rows to the writer, after the open transaction', async () => {
    const order: string[] = [];
    const tx = adapter.transaction(async (exec) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await sql`insert into t (id) values ('b')`.execute(exec);
      order.push('transaction');
    });
    const returned = sql<{
      id: string;
    }>`insert into t (id) values ('r') returning id`
      .execute(adapter.db)
      .then((result) => {
        order.push('insert');
        return result.rows;
      });
    expect(await returned).toEqual([{ id: 'r' }]);
    await tx;
    expect(order).toEqual(['transaction', 'insert']);
    expect(await ids(adapter)).toEqual(['a', 'b', 'r']);
  });

  it('keep a Kysely transaction on the root handle on the writer', async () => {
    const seen = await adapter.db.transaction().execute(async (trx) => {
      await sql`insert into t (id) values ('k')`.execute(trx);
      const inside = (await sql<{ id: string }>`select id from t order by id`.execute(trx)).rows;
      const outside = await selectRows<{ id: string }>(adapter.db, ALL, []);
      return { inside: inside.map((r) => r.id), outside: outside.map((r) => r.id) };
    });
    expect(seen).toEqual({ inside: ['a', 'k'], outside: ['a'] });
    expect(await ids(adapter)).toEqual(['a', 'k']);
  });

  it('see tables and columns of a committed schema change', async () => {
    expect(await selectRows(adapter.db, 'select * from t', [])).toEqual([{ id: 'a' }]);
    await adapter.transaction(async (exec) => {
      await sql`alter table t add column n integer not null default 7`.execute(exec);
      await sql`create table u (id text primary key)`.execute(exec);
    });
    expect(await selectRows(adapter.db, 'select * from t', [])).toEqual([{ id: 'a', n: 7 }]);
    expect(await selectRows(adapter.db, 'select * from u', [])).toEqual([]);
  });

  it('report a statement that does not prepare as the writer does', async () => {
    await expect(sql`select nope from t`.execute(adapter.db)).rejects.toThrow(/no such column/);
  });
});

describe('SQLite in memory', () => {
  it('runs everything on its one connection', async () => {
    const adapter = createSqliteAdapter({ file: ':memory:' });
    try {
      await sql`create table t (id text primary key)`.execute(adapter.db);
      await adapter.transaction(async (exec) => {
        await sql`insert into t (id) values ('a')`.execute(exec);
      });
      expect(await ids(adapter)).toEqual(['a']);
      expect(await selectRows(adapter.db, ALL, [])).toEqual([{ id: 'a' }]);
    } finally {
      await adapter.destroy();
    }
  });
});
