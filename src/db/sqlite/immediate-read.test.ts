import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbAdapter } from '../adapter.js';
import { selectRows } from '../immediate-read.js';
import { createSqliteAdapter } from './adapter.js';

const SELECT = CompiledQuery.raw('select id from t order by id', []);

describe('immediate reads on SQLite', () => {
  let dir: string;
  let adapter: DbAdapter;
  let logged: string[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'basalt-immediate-'));
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

  it('answers a root read at once and still reports it to the query listener', async () => {
    logged = [];
    expect(await selectRows(adapter.db, SELECT)).toEqual([{ id: 'a' }]);
    expect(logged).toEqual([SELECT.sql]);
  });

  it('never reads the uncommitted state of an open transaction: it waits for its end', async () => {
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
    const read = selectRows<{ id: string }>(adapter.db, SELECT);
    expect(await tx).toBeInstanceOf(Error);
    expect(await read).toEqual([{ id: 'a' }]);
  });

  it('reads inside a transaction through the transaction, seeing its own writes', async () => {
    const rows = await adapter.transaction(async (exec) => {
      await sql`insert into t (id) values ('c')`.execute(exec);
      return selectRows<{ id: string }>(exec, SELECT);
    });
    expect(rows).toEqual([{ id: 'a' }, { id: 'c' }]);
  });
});
