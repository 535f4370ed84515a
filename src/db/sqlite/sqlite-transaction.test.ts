import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbAdapter, Executor } from '../adapter.js';
import { selectFirstRow, selectRows } from '../immediate-read.js';
import { createSqliteAdapter } from './adapter.js';

const ALL = 'select id from t order by id';
const BY_ID = 'select id from t where id = ?';

describe('SQLite immediate reads and write transactions', () => {
  let dir: string;
  let adapter: DbAdapter;
  let logged: string[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'basalt-tx-'));
    logged = [];
    adapter = createSqliteAdapter({
      file: join(dir, 'data.db'),
      onQuery: (e) => logged.push(e.sql),
    });
    await sql`create table t (id text primary key)`.execute(adapter.db);
    await sql`insert into t (id) values ('a')`.execute(adapter.db);
  });

  afterEach(async () => {
    await adapter.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const ids = async () =>
    (await selectRows<{ id: string }>(adapter.db, ALL, [])).map((row) => row.id);

  it('answers a root read at once and still reports it to the query listener', async () => {
    logged = [];
    expect(await selectRows(adapter.db, ALL, [])).toEqual([{ id: 'a' }]);
    expect(await selectFirstRow(adapter.db, BY_ID, ['a'])).toEqual({ id: 'a' });
    expect(await selectFirstRow(adapter.db, BY_ID, ['zz'])).toBeUndefined();
    expect(logged).toEqual([ALL, BY_ID, BY_ID]);
  });

  it('never reads the uncommitted state of an open transaction', async () => {
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    const tx = adapter
      .transaction(async (exec) => {
        await sql`insert into t (id) values ('b')`.execute(exec);
        inside();
        await new Promise((resolve) => setTimeout(resolve, 30));
        throw new Error('roll back');
      })
      .catch((error: unknown) => error);
    await entered;
    const read = selectRows<{ id: string }>(adapter.db, ALL, []);
    const first = selectFirstRow<{ id: string }>(adapter.db, BY_ID, ['b']);
    expect(await tx).toBeInstanceOf(Error);
    expect(await read).toEqual([{ id: 'a' }]);
    expect(await first).toBeUndefined();
  });

  it('reads inside a transaction through the transaction, seeing its own writes', async () => {
    const rows = await adapter.transaction(async (exec) => {
      await sql`insert into t (id) values ('c')`.execute(exec);
      return {
        all: await selectRows<{ id: string }>(exec, ALL, []),
        first: await selectFirstRow<{ id: string }>(exec, BY_ID, ['c']),
      };
    });
    expect(rows).toEqual({ all: [{ id: 'a' }, { id: 'c' }], first: { id: 'c' } });
  });

  it('commits when the callback returns and reports BEGIN and COMMIT', async () => {
    logged = [];
    await adapter.transaction(async (tx) => {
      await sql`insert into t (id) values ('b')`.execute(tx);
    });
    expect(await ids()).toEqual(['a', 'b']);
    expect(logged.filter((q) => q !== 'select 1')).toEqual([
      'begin immediate',
      "insert into t (id) values ('b')",
      'commit',
      ALL,
    ]);
  });

  it('rolls back every write when the callback throws', async () => {
    const failure = adapter.transaction(async (tx) => {
      await sql`insert into t (id) values ('b')`.execute(tx);
      await sql`insert into t (id) values ('a')`.execute(tx); // duplicate key
    });
    await expect(failure).rejects.toThrow(/UNIQUE/);
    expect(await ids()).toEqual(['a']);
    expect(logged).toContain('rollback');
  });

  it('reads a write that was started but not awaited before the read', async () => {
    const seen = await adapter.transaction(async (tx) => {
      const insert = sql`insert into t (id) values ('c')`.execute(tx);
      const read = selectFirstRow<{ id: string }>(tx, BY_ID, ['c']);
      await insert;
      return read;
    });
    expect(seen).toEqual({ id: 'c' });
  });

  it('runs concurrent transactions one after the other', async () => {
    const write = (id: string) =>
      adapter.transaction(async (tx) => {
        const before = await selectRows<{ id: string }>(tx, ALL, []);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await sql`insert into t (id) values (${id})`.execute(tx);
        return before.length;
      });
    const counts = await Promise.all([write('x'), write('y'), write('z')]);
    expect(counts).toEqual([1, 2, 3]);
    expect(await ids()).toEqual(['a', 'x', 'y', 'z']);
  });

  it('refuses a transaction handle used after its transaction ended', async () => {
    let kept: Executor | undefined;
    await adapter.transaction(async (tx) => {
      kept = tx;
      await Promise.resolve();
    });
    if (!kept) throw new Error('the callback did not run');
    const late = kept;
    await expect(sql`insert into t (id) values ('late')`.execute(late)).rejects.toThrow(
      /after its transaction ended/,
    );
    await expect(selectFirstRow(late, BY_ID, ['a'])).rejects.toThrow(/after its transaction ended/);
    expect(await ids()).toEqual(['a']);
  });

  it('does not nest: the handle cannot open a transaction of its own', async () => {
    const nested = adapter.transaction((tx) =>
      tx.transaction().execute(async (inner) => {
        await sql`insert into t (id) values ('n')`.execute(inner);
      }),
    );
    await expect(nested).rejects.toThrow(/do not nest/);
    expect(await ids()).toEqual(['a']);
  });
});
