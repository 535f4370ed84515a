import type { DbAdapter, Executor } from './adapter.js';

/** A callback to run once the surrounding transaction has committed. */
export type AfterCommit = () => void | Promise<void>;

/**
 * A unit of work on the database: queries go to `db`; side effects that must only happen when
 * the data is durable (realtime events, mails, file removal) are queued with `afterCommit`.
 */
export interface TxScope {
  readonly db: Executor;
  afterCommit(fn: AfterCommit): void;
}

/** Receives errors thrown by after-commit callbacks, which can no longer undo the commit. */
export type CallbackErrorSink = (error: unknown) => void;

/**
 * Runs `fn` in a transaction. Inside an `outer` scope it joins that transaction instead, so
 * that core functions compose (a batch runs many record writes in one transaction). The
 * after-commit callbacks run in order once the outermost transaction has committed, and are
 * dropped when it rolls back.
 */
export async function runInTransaction<T>(
  adapter: DbAdapter,
  fn: (scope: TxScope) => Promise<T>,
  options: { outer?: TxScope | undefined; onCallbackError: CallbackErrorSink },
): Promise<T> {
  if (options.outer) return fn(options.outer);
  const callbacks: AfterCommit[] = [];
  const result = await adapter.transaction((tx) =>
    fn({ db: tx, afterCommit: (cb) => callbacks.push(cb) }),
  );
  for (const cb of callbacks) {
    try {
      await cb();
    } catch (error) {
      options.onCallbackError(error);
    }
  }
  return result;
}
