import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollection } from '../../src/core/collection/collection-service.js';
import type { TxScope } from '../../src/db/transaction.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { testEngine } from '../helpers/test-engine.js';

let t: TestApp;

/** Resolves once `count` callers are waiting on it. */
function barrier(count: number): () => Promise<void> {
  let waiting = 0;
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return () => {
    waiting += 1;
    if (waiting === count) open();
    return opened;
  };
}

async function lockAndAdd(scope: TxScope, id: string, delta: number): Promise<void> {
  await scope.db
    .selectFrom('stock')
    .select(sql.ref('id').as('id'))
    .where(sql.ref('id'), '=', id)
    .forUpdate()
    .execute();
  await sql`update ${sql.table('stock')} set ${sql.ref('qty')} = ${sql.ref('qty')} + ${delta} where ${sql.ref('id')} = ${id}`.execute(
    scope.db,
  );
}

// SQLite serialises write transactions: they cannot deadlock, and the barrier below would
// wait forever for a transaction that waits for the first one to end.
describe.skipIf(testEngine() === 'sqlite')('transactions that deadlock', () => {
  beforeAll(async () => {
    t = await createTestApp();
    await createCollection(t.app, { name: 'stock', fields: [{ name: 'qty', type: 'number' }] });
    await sql`insert into ${sql.table('stock')} (${sql.ref('id')}, ${sql.ref('qty')}) values ('aaaaaaaaaaaaaaa', 10), ('bbbbbbbbbbbbbbb', 10)`.execute(
      t.app.db.db,
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('run again when the engine rolls one back, and commit both exactly once', async () => {
    const bothHoldFirstLock = barrier(2);
    let attempts = 0;
    const committed: string[] = [];
    const move = (from: string, to: string) =>
      t.app.transaction(async (scope) => {
        attempts += 1;
        const first = attempts <= 2;
        await lockAndAdd(scope, from, -1);
        // The first attempts both hold one lock and then want the other's: a deadlock.
        if (first) await bothHoldFirstLock();
        await lockAndAdd(scope, to, 1);
        scope.afterCommit(() => {
          committed.push(`${from}->${to}`);
        });
      });
    await Promise.all([
      move('aaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbb'),
      move('bbbbbbbbbbbbbbb', 'aaaaaaaaaaaaaaa'),
    ]);
    expect(attempts).toBe(3);
    // After-commit work of the rolled-back attempt is dropped, not run twice.
    expect(committed.sort()).toEqual([
      'aaaaaaaaaaaaaaa->bbbbbbbbbbbbbbb',
      'bbbbbbbbbbbbbbb->aaaaaaaaaaaaaaa',
    ]);
    const rows = await t.app.db.db
      .selectFrom('stock')
      .select([sql.ref('id').as('id'), sql.ref('qty').as('qty')])
      .orderBy(sql.ref('id'))
      .execute();
    expect(rows.map((r) => Number(r.qty))).toEqual([10, 10]);
  });
});
