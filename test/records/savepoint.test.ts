import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCollection } from '../../src/core/collection/collection-service.js';
import type { Executor } from '../../src/db/adapter.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { testEngine } from '../helpers/test-engine.js';

// app.savepoint (APP-LOGIC.md §3): a throw inside undoes only the savepoint's work, with the
// same semantics on all three engines, PostgreSQL's poisoned transaction included.
let t: TestApp;
const committed: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  await createCollection(t.app, {
    name: 'items',
    fields: [{ name: 'title', type: 'text' }],
  });
  t.app.hooks.onRecordAfterCreateSuccess.on(async (e) => {
    committed.push(`create:${e.record.getString('title')}`);
    await e.next();
  });
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  committed.length = 0;
  await sql`delete from ${sql.table('items')}`.execute(t.app.db.db);
});

async function titles(): Promise<string[]> {
  const page = await t.app.records('items').list({ sort: 'title' });
  return page.items.map((r) => String(r.title));
}

/** A raw insert of a fixed id: a second one is a unique violation in the database itself. */
async function insertRaw(exec: Executor, id: string): Promise<void> {
  await sql`insert into ${sql.table('items')} (${sql.ref('id')}, ${sql.ref('title')}) values (${id}, ${'raw'})`.execute(
    exec,
  );
}

describe('app.savepoint', () => {
  it('undoes only its own work when it throws, and rethrows', async () => {
    const items = t.app.records('items');
    await t.app.transaction(async () => {
      await items.create({ title: 'a' });
      await expect(
        t.app.savepoint(async () => {
          await items.create({ title: 'b' });
          expect(await titles()).toEqual(['a', 'b']);
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      expect(await titles()).toEqual(['a']);
      await items.create({ title: 'c' });
    });
    expect(await titles()).toEqual(['a', 'c']);
    // The rolled-back create is never reported; the others once, after the commit.
    expect(committed.sort()).toEqual(['create:a', 'create:c']);
  });

  it('keeps its work when it returns, and returns its value', async () => {
    const items = t.app.records('items');
    const value = await t.app.transaction(async () => {
      const inner = await t.app.savepoint(async () => {
        await items.create({ title: 'kept' });
        return 42;
      });
      expect(await titles()).toEqual(['kept']);
      return inner;
    });
    expect(value).toBe(42);
    expect(await titles()).toEqual(['kept']);
  });

  it('is rolled back with the transaction around it', async () => {
    const items = t.app.records('items');
    const failed = t.app.transaction(async () => {
      await t.app.savepoint(() => items.create({ title: 'gone' }));
      throw new Error('refused');
    });
    await expect(failed).rejects.toThrow('refused');
    expect(await titles()).toEqual([]);
    expect(committed).toEqual([]);
  });

  it('nests: an inner failure leaves the outer savepoint usable', async () => {
    const items = t.app.records('items');
    await t.app.transaction(async () => {
      await t.app.savepoint(async () => {
        await items.create({ title: 'outer' });
        await t.app
          .savepoint(async () => {
            await items.create({ title: 'inner' });
            throw new Error('inner refused');
          })
          .catch(() => undefined);
        await items.create({ title: 'outer2' });
      });
    });
    expect(await titles()).toEqual(['outer', 'outer2']);
  });

  it('drops the after-commit callbacks of a failed savepoint, runs the others after commit', async () => {
    const ran: string[] = [];
    await t.app.transaction(async (scope) => {
      scope.afterCommit(() => {
        ran.push('transaction');
      });
      await t.app
        .savepoint(async (sp) => {
          sp.afterCommit(() => {
            ran.push('failed savepoint');
          });
          // A transaction opened inside the savepoint joins the savepoint's unit of work.
          await t.app.transaction(async (inner) => {
            inner.afterCommit(() => {
              ran.push('joined the failed savepoint');
            });
          });
          throw new Error('refused');
        })
        .catch(() => undefined);
      await t.app.savepoint(async (sp) => {
        sp.afterCommit(() => {
          ran.push('savepoint');
        });
      });
      expect(ran).toEqual([]);
    });
    expect(ran).toEqual(['transaction', 'savepoint']);
  });

  it('recovers the transaction from a failed statement (a unique violation)', async () => {
    await insertRaw(t.app.db.db, 'dupdupdupdup001');
    await t.app.transaction(async () => {
      const failed = t.app.savepoint(() => insertRaw(t.app.db.db, 'dupdupdupdup001'));
      await expect(failed).rejects.toSatisfy((error) => t.app.db.isUniqueViolation(error));
      // The transaction goes on: reads and writes work and commit.
      await t.app.records('items').create({ title: 'after' });
    });
    expect(await titles()).toEqual(['after', 'raw']);
  });

  it.runIf(testEngine() === 'postgres')(
    'is needed on PostgreSQL: without it, a failed statement poisons the transaction',
    async () => {
      await insertRaw(t.app.db.db, 'dupdupdupdup002');
      const failed = t.app.transaction(async () => {
        await insertRaw(t.app.db.db, 'dupdupdupdup002').catch(() => undefined);
        await t.app.records('items').create({ title: 'after' });
      });
      await expect(failed).rejects.toThrow(/aborted/);
      expect(await titles()).toEqual(['raw']);
    },
  );

  it('runs in a transaction of its own outside any transaction', async () => {
    const items = t.app.records('items');
    const failed = t.app.savepoint(async () => {
      await items.create({ title: 'alone' });
      expect(await titles()).toEqual(['alone']);
      throw new Error('refused');
    });
    await expect(failed).rejects.toThrow('refused');
    expect(await titles()).toEqual([]);
    await t.app.savepoint(() => items.create({ title: 'committed' }));
    expect(await titles()).toEqual(['committed']);
  });
});
