import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { TransactionTimeLimitError } from '../../src/db/transaction.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// A transaction that runs past AppConfig.transactionTimeLimitMs is rolled back, its code gets
// an error (its later queries too, never running outside the transaction), a warning is
// logged, and the app goes on working.
const LIMIT_MS = 300;
let t: TestApp;
const logs: { level: number; msg: string }[] = [];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  });
  t = await createTestApp({
    logger: pino({ level: 'warn' }, sink),
    transactionTimeLimitMs: LIMIT_MS,
  });
  await createCollection(t.app, { name: 'items', fields: [{ name: 'title', type: 'text' }] });
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  logs.length = 0;
  await sql`delete from ${sql.table('items')}`.execute(t.app.db.db);
});

async function titles(): Promise<string[]> {
  const page = await t.app.records('items').list({ sort: 'title' });
  return page.items.map((r) => String(r.title));
}

describe('the transaction time limit', () => {
  it('rolls back a transaction that runs too long; its later queries fail', async () => {
    const items = t.app.records('items');
    let later: Promise<unknown> | undefined;
    let laterScope: Promise<unknown> | undefined;
    const start = performance.now();
    const stuck = t.app.transaction(async (scope) => {
      await items.create({ title: 'stuck' });
      await sleep(LIMIT_MS * 3);
      // Still running after the rollback: every query must fail, not run on its own.
      laterScope = (async () => scope.db.selectFrom('items').selectAll().execute())();
      later = items.create({ title: 'after the limit' });
      await Promise.allSettled([laterScope, later]);
    });
    await expect(stuck).rejects.toBeInstanceOf(TransactionTimeLimitError);
    const elapsed = performance.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(LIMIT_MS - 20);
    expect(elapsed).toBeLessThan(LIMIT_MS * 3);
    expect(await titles()).toEqual([]);
    expect(logs.some((l) => l.level === 40 && l.msg.includes('time limit'))).toBe(true);

    // The stuck code wakes up while another transaction is open: it must not join that one.
    const other = t.app.transaction(
      async () => {
        await items.create({ title: 'other' });
        await sleep(LIMIT_MS * 2);
      },
      { timeLimitMs: 0 },
    );
    await sleep(LIMIT_MS * 3);
    await expect(later).rejects.toBeInstanceOf(TransactionTimeLimitError);
    await expect(laterScope).rejects.toBeInstanceOf(TransactionTimeLimitError);
    await other;
    expect(await titles()).toEqual(['other']);

    // The app goes on working.
    await t.app.transaction(() => items.create({ title: 'fine' }));
    expect(await titles()).toEqual(['fine', 'other']);
  });

  it('leaves short transactions alone, and a per-call limit of 0 lifts it', async () => {
    const items = t.app.records('items');
    await t.app.transaction(async () => {
      await items.create({ title: 'quick' });
    });
    await t.app.transaction(
      async () => {
        await items.create({ title: 'slow' });
        await sleep(LIMIT_MS * 2);
      },
      { timeLimitMs: 0 },
    );
    expect(await titles()).toEqual(['quick', 'slow']);
    expect(logs).toEqual([]);
  });
});
