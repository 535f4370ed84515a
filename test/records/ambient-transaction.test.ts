import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCollection } from '../../src/core/collection/collection-service.js';
import type { Executor } from '../../src/db/adapter.js';
import type { TxScope } from '../../src/db/transaction.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { testEngine } from '../helpers/test-engine.js';

// Code running inside `app.transaction` that queries through the app's plain handle
// (`app.db.db`) joins the transaction instead of taking another connection (on SQLite, a second
// query on the one connection used to wait forever for the transaction holding it).
let t: TestApp;
/** The app's handle outside any transaction. */
let base: Executor;

/** `promise`, or a rejection when it has not settled within `ms` (a hang fails the test). */
function within<T>(promise: Promise<T>, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`did not settle within ${String(ms)} ms`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

async function insert(exec: Executor, id: string, title: string): Promise<void> {
  await sql`insert into ${sql.table('items')} (${sql.ref('id')}, ${sql.ref('title')}) values (${id}, ${title})`.execute(
    exec,
  );
}

async function titles(exec: Executor): Promise<string[]> {
  const { rows } = await sql<{
    title: string;
  }>`select ${sql.ref('title')} from ${sql.table('items')} order by ${sql.ref('title')}`.execute(
    exec,
  );
  return rows.map((r) => r.title);
}

beforeAll(async () => {
  t = await createTestApp();
  await createCollection(t.app, {
    name: 'items',
    listRule: '',
    viewRule: '',
    fields: [{ name: 'title', type: 'text' }],
  });
  base = t.app.db.db;
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  await sql`delete from ${sql.table('items')}`.execute(t.app.db.db);
});

describe('the ambient transaction', () => {
  it('is joined by a read and a write through app.db.db', async () => {
    await within(
      t.app.transaction(async (scope) => {
        await insert(scope.db, 'aaaaaaaaaaaaaa1', 'a');
        // The plain handle reads the transaction's uncommitted write...
        expect(await titles(t.app.db.db)).toEqual(['a']);
        // ...and writes into it.
        await insert(t.app.db.db, 'aaaaaaaaaaaaaa2', 'b');
        expect(await titles(scope.db)).toEqual(['a', 'b']);
      }),
    );
    expect(await titles(t.app.db.db)).toEqual(['a', 'b']);
    expect(t.app.db.db).toBe(base);
  });

  it('rolls back what went through app.db.db when the transaction throws', async () => {
    const failed = within(
      t.app.transaction(async (scope) => {
        await insert(scope.db, 'aaaaaaaaaaaaaa1', 'a');
        await insert(t.app.db.db, 'aaaaaaaaaaaaaa2', 'b');
        expect(await titles(t.app.db.db)).toEqual(['a', 'b']);
        throw new Error('refused');
      }),
    );
    await expect(failed).rejects.toThrow('refused');
    expect(await titles(t.app.db.db)).toEqual([]);
  });

  it('is joined by app.transaction called without outer, whose callbacks wait for the outer commit', async () => {
    const events: string[] = [];
    await within(
      t.app.transaction(async (outer) => {
        await t.app.transaction(async (inner) => {
          expect(inner).toBe(outer);
          await insert(t.app.db.db, 'aaaaaaaaaaaaaa1', 'a');
          inner.afterCommit(() => {
            events.push('inner after commit');
          });
        });
        events.push('inner returned');
        expect(await titles(outer.db)).toEqual(['a']);
      }),
    );
    expect(events).toEqual(['inner returned', 'inner after commit']);

    // A throw in the outer transaction takes back what the inner one wrote; no callback runs.
    const failed = within(
      t.app.transaction(async () => {
        await t.app.transaction(async (inner) => {
          await insert(inner.db, 'aaaaaaaaaaaaaa2', 'b');
          inner.afterCommit(() => {
            events.push('rolled back callback');
          });
        });
        throw new Error('refused');
      }),
    );
    await expect(failed).rejects.toThrow('refused');
    expect(await titles(t.app.db.db)).toEqual(['a']);
    expect(events).toEqual(['inner returned', 'inner after commit']);
  });

  it('is gone for after-commit callbacks: they run once and read the committed data', async () => {
    const seen: { rows: string[]; isBase: boolean }[] = [];
    await within(
      t.app.transaction(async (scope) => {
        await insert(t.app.db.db, 'aaaaaaaaaaaaaa1', 'a');
        scope.afterCommit(async () => {
          seen.push({ rows: await titles(t.app.db.db), isBase: t.app.db.db === base });
          // A write from a callback is a transaction of its own, committed at once.
          await insert(t.app.db.db, 'aaaaaaaaaaaaaa2', 'b');
        });
      }),
    );
    expect(seen).toEqual([{ rows: ['a'], isBase: true }]);
    expect(await titles(t.app.db.db)).toEqual(['a', 'b']);
  });

  it('is gone for a timer set inside the transaction that fires after it', async () => {
    let fired: Promise<{ rows: string[]; isBase: boolean }> | undefined;
    await within(
      t.app.transaction(async (scope: TxScope) => {
        await insert(scope.db, 'aaaaaaaaaaaaaa1', 'a');
        fired = new Promise((resolve, reject) => {
          setTimeout(() => {
            const handle = t.app.db.db;
            titles(handle).then((rows) => {
              resolve({ rows, isBase: handle === base });
            }, reject);
          }, 100);
        });
      }),
    );
    expect(await within(fired ?? Promise.reject(new Error('no timer')))).toEqual({
      rows: ['a'],
      isBase: true,
    });
  });

  it('belongs to one app: another app in the process keeps its own handle', async () => {
    const other = await createTestApp();
    try {
      await within(
        t.app.transaction(async () => {
          expect(other.app.db.db).not.toBe(t.app.db.db);
          // The other app's own query runs on its own database, outside this transaction.
          await sql`select 1`.execute(other.app.db.db);
        }),
      );
    } finally {
      await other.close();
    }
  });
});

// SQLite has one writer; reads from other requests run on reader connections beside it (WAL),
// so they neither wait for an open write transaction nor see its uncommitted rows.
describe.skipIf(testEngine() !== 'sqlite')('SQLite reads beside an open write transaction', () => {
  it('answer while the write transaction stays open, with the committed state', async () => {
    await insert(t.app.db.db, 'aaaaaaaaaaaaaa1', 'committed');
    let written: () => void = () => undefined;
    const wrote = new Promise<void>((resolve) => (written = resolve));
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    // The writer holds its transaction until the reads below have answered: a read that
    // waited for the writer would never answer (`within` fails it), whatever the machine's speed.
    const holding = t.app.transaction(async (scope) => {
      await insert(scope.db, 'aaaaaaaaaaaaaa2', 'uncommitted');
      written();
      await released;
    });
    await wrote;

    const reads = within(
      Promise.all([
        t.server.inject({ method: 'GET', url: '/api/collections/items/records' }),
        t.app.db.db
          .selectFrom('items')
          .select(sql<string>`title`.as('title'))
          .execute(),
      ]),
    );
    const [res, direct] = await reads.finally(release);

    expect(res.statusCode).toBe(200);
    const body = res.json<{ items: { title: string }[] }>();
    expect(body.items.map((i) => i.title)).toEqual(['committed']);
    expect(direct.map((r) => r.title)).toEqual(['committed']);

    await within(holding);
    // Once committed, the next read sees the write.
    expect(await titles(t.app.db.db)).toEqual(['committed', 'uncommitted']);
  });

  it('see a table and a column created by a committed schema change', async () => {
    // Prepared on a reader before the change.
    expect(await titles(t.app.db.db)).toEqual([]);
    await createCollection(t.app, { name: 'later', fields: [{ name: 'n', type: 'number' }] });
    await sql`insert into ${sql.table('later')} (${sql.ref('id')}, ${sql.ref('n')}) values ('aaaaaaaaaaaaaa1', 7)`.execute(
      t.app.db.db,
    );
    const { rows } = await sql<{
      n: number;
    }>`select ${sql.ref('n')} from ${sql.table('later')}`.execute(t.app.db.db);
    expect(rows).toEqual([{ n: 7 }]);
  });
});
