import { sql } from 'kysely';
import type { DbAdapter, Executor } from './adapter.js';
import { ambientScope, runInAmbientScope } from './ambient-transaction.js';
import {
  runCallbacks,
  runInTransaction,
  type AfterCommit,
  type TransactionOptions,
  type TxScope,
} from './transaction.js';

/** Savepoint names of this process: fixed text and a counter, never caller input. */
let savepoints = 0;

function command(text: 'savepoint' | 'release savepoint' | 'rollback to savepoint', name: string) {
  return sql`${sql.raw(text)} ${sql.id(name)}`;
}

/**
 * Runs `fn` inside a savepoint of the transaction the caller runs in (`options.outer`, else
 * the ambient one): when `fn` throws, only its work is rolled back (ROLLBACK TO SAVEPOINT) and
 * the error is rethrown; the transaction stays usable, on PostgreSQL too after a failed
 * statement. `fn` gets a unit of work of its own: its after-commit callbacks join the
 * transaction's when it succeeds and are dropped when it fails, its after-rollback callbacks
 * run when it fails. Outside any transaction, `fn` runs in a transaction of its own.
 */
export async function runInSavepoint<T>(
  adapter: DbAdapter,
  fn: (scope: TxScope) => Promise<T>,
  options: TransactionOptions,
): Promise<T> {
  const outer = options.outer ?? ambientScope(adapter.db);
  if (!outer) return runInTransaction(adapter, fn, options);
  const tx: Executor = outer.db;
  const name = `basalt_sp_${String(++savepoints)}`;
  await command('savepoint', name).execute(tx);
  const commits: AfterCommit[] = [];
  const undo: AfterCommit[] = [];
  const scope: TxScope = {
    get db() {
      return outer.db;
    },
    attempt: outer.attempt,
    afterCommit: (cb) => commits.push(cb),
    afterRollback: (cb) => undo.push(cb),
  };
  let result: T;
  try {
    result = await runInAmbientScope(tx, scope, () => fn(scope));
  } catch (error) {
    try {
      await command('rollback to savepoint', name).execute(tx);
      await command('release savepoint', name).execute(tx);
    } catch {
      // The engine rolled the whole transaction back (a deadlock): `error` says why, and the
      // transaction's own rollback handling (and retry) takes it from here.
    }
    await runCallbacks(undo, options.onCallbackError);
    throw error;
  }
  await command('release savepoint', name).execute(tx);
  for (const cb of commits) outer.afterCommit(cb);
  for (const cb of undo) outer.afterRollback(cb);
  return result;
}
