import { describe, expect, it } from 'vitest';
import type { DbAdapter, Executor } from '../../db/adapter.js';
import { runInTransaction, type TxScope } from '../../db/transaction.js';
import type { Collection } from '../collection/collection-model.js';
import { RecordEvents, type RecordChange } from './record-events.js';

const collection = {
  id: 'pbc_1',
  name: 'posts',
  type: 'base',
  fields: [],
} as unknown as Collection;
// A stand-in: the events never touch the executor, they only pass it on.
const executor = Object.freeze({}) as unknown as Executor;

/** An adapter whose transactions fail with a transient conflict `conflicts` times, then run. */
function fakeAdapter(conflicts: number): DbAdapter {
  let left = conflicts;
  const conflict = new Error('deadlock');
  return {
    transaction: async <T>(fn: (tx: Executor) => Promise<T>): Promise<T> => {
      const result = await fn(executor);
      if (left-- > 0) throw conflict;
      return result;
    },
    isTransientConflict: (error: unknown) => error === conflict,
  } as unknown as DbAdapter;
}

function run(adapter: DbAdapter, fn: (scope: TxScope) => Promise<void>): Promise<void> {
  return runInTransaction(adapter, fn, {
    onCallbackError: (error) => {
      throw error;
    },
  });
}

describe('RecordEvents', () => {
  it('queues nothing without listeners', async () => {
    const events = new RecordEvents();
    let queued = 0;
    const scope: TxScope = {
      db: executor,
      attempt: 1,
      afterCommit: () => queued++,
      afterRollback: () => undefined,
    };
    events.written(scope, 'create', collection, { id: 'a' });
    await events.deleting(scope, collection, { id: 'a' });
    expect(queued).toBe(0);
    expect(events.listening).toBe(false);
  });

  it('tells listeners after commit, once, even when an attempt was retried', async () => {
    const events = new RecordEvents();
    const heard: RecordChange[] = [];
    const stop = events.listen({ committed: (c) => heard.push(c) });
    await run(fakeAdapter(2), async (scope) => {
      events.written(scope, 'create', collection, { id: 'a' });
      expect(heard).toEqual([]);
    });
    expect(heard.map((c) => [c.action, c.row.id])).toEqual([['create', 'a']]);
    stop();
    expect(events.listening).toBe(false);
  });

  it('tells nothing of a transaction that rolls back', async () => {
    const events = new RecordEvents();
    const heard: RecordChange[] = [];
    events.listen({ committed: (c) => heard.push(c) });
    const failed = run(fakeAdapter(0), async (scope) => {
      events.written(scope, 'update', collection, { id: 'a' });
      throw new Error('validation failed');
    });
    await expect(failed).rejects.toThrow('validation failed');
    expect(heard).toEqual([]);
  });

  it('lets listeners prepare a delete inside the transaction and send after commit', async () => {
    const events = new RecordEvents();
    const steps: string[] = [];
    events.listen({
      beforeDelete: async (change, exec) => {
        expect(exec).toBe(executor);
        steps.push(`prepare ${String(change.row.id)}`);
        return () => {
          steps.push('send');
        };
      },
      committed: (change) => steps.push(`committed ${change.action}`),
    });
    await run(fakeAdapter(0), async (scope) => {
      await events.deleting(scope, collection, { id: 'x' });
      steps.push('deleted');
    });
    expect(steps).toEqual(['prepare x', 'deleted', 'send', 'committed delete']);
  });
});
