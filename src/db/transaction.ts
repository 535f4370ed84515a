import type { DbAdapter, Executor } from './adapter.js';
import { abortAmbient, ambientScope, setAmbientScope } from './ambient-transaction.js';

/** A callback to run once the surrounding transaction has committed. */
export type AfterCommit = () => void | Promise<void>;

/**
 * A unit of work on the database: queries go to `db`; side effects that must only happen when
 * the data is durable (realtime events, mails, file removal) are queued with `afterCommit`;
 * side effects made ahead of the commit (files written for the new rows) are undone with
 * `afterRollback`.
 */
export interface TxScope {
  readonly db: Executor;
  /** Which attempt of the transaction runs: 1, then 2... after a retry for a conflict. */
  readonly attempt: number;
  afterCommit(fn: AfterCommit): void;
  /** Runs `fn` if this attempt of the transaction rolls back (also before a retry). */
  afterRollback(fn: AfterCommit): void;
}

export async function runCallbacks(callbacks: readonly AfterCommit[], sink: CallbackErrorSink) {
  for (const cb of callbacks) {
    try {
      await cb();
    } catch (error) {
      sink(error);
    }
  }
}

/** Receives errors thrown by after-commit callbacks, which can no longer undo the commit. */
export type CallbackErrorSink = (error: unknown) => void;

/**
 * The error a transaction's code gets when the transaction ran past its time limit and was
 * rolled back; its later queries through the transaction fail with it too.
 */
export class TransactionTimeLimitError extends Error {
  constructor(readonly limitMs: number) {
    super(
      `The transaction ran longer than its time limit (${String(limitMs)} ms) and was rolled back.`,
    );
    this.name = 'TransactionTimeLimitError';
  }
}

/** How a transaction runs: see runInTransaction. */
export interface TransactionOptions {
  /** The transaction to join instead of opening one. */
  readonly outer?: TxScope | undefined;
  /**
   * The work only reads, then makes at most one write as its last statement, with nothing
   * done ahead of the write that a rollback would have to undo: on engines where that needs
   * no transaction (DbAdapter.oneWriteWithoutTransaction), it runs without one, each
   * statement on its own, saving BEGIN and COMMIT. The after-commit callbacks run once it
   * succeeds, the after-rollback ones when it fails, and transient conflicts are retried as
   * with a transaction.
   */
  readonly oneWrite?: boolean | undefined;
  readonly onCallbackError: CallbackErrorSink;
  /**
   * Milliseconds after which an outermost transaction whose code still runs is aborted and
   * rolled back; 0 or undefined for none.
   */
  readonly timeLimitMs?: number | undefined;
  /** Told when a transaction is aborted for its time limit (to log it). */
  readonly onTimeLimit?: ((error: TransactionTimeLimitError) => void) | undefined;
  /**
   * Runs every outermost transaction's first attempt to its end, rolls it back and runs it
   * again as attempt 2, which commits: what a retry after a deadlock does, on every write
   * (`basalt/testing`'s check for code that is not safe to re-run). Implies a transaction
   * even for `oneWrite` work.
   */
  readonly replayFirstAttempt?: boolean | undefined;
}

/** Thrown at the end of a first attempt that `replayFirstAttempt` rolls back. */
class ReplayAttempt extends Error {
  constructor(readonly result: unknown) {
    super('The first attempt is rolled back and run again (replayFirstAttempt).');
  }
}

/** How often a transaction runs in all when the engine keeps rolling it back for conflicts. */
export const TRANSACTION_ATTEMPTS = 5;

/** A random wait that doubles per attempt (about 5, 10, 20, 40 ms), so retries spread out. */
function backoff(attempt: number): Promise<void> {
  const ms = 5 * 2 ** attempt * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A unit of work on `tx` whose handle fails once the transaction is aborted. */
class Scope implements TxScope {
  aborted: Error | undefined;

  constructor(
    private readonly tx: Executor,
    readonly attempt: number,
    readonly afterCommit: (fn: AfterCommit) => void,
    readonly afterRollback: (fn: AfterCommit) => void,
  ) {}

  get db(): Executor {
    if (this.aborted) throw this.aborted;
    return this.tx;
  }
}

/**
 * `work`, or a TransactionTimeLimitError once `limitMs` has passed: the transaction then rolls
 * back while `work` may still run, so its handles are marked dead first.
 */
function withTimeLimit<T>(
  work: Promise<T>,
  scope: Scope,
  tx: Executor,
  options: TransactionOptions,
): Promise<T> {
  const limitMs = options.timeLimitMs;
  if (limitMs === undefined || !(limitMs > 0) || !Number.isFinite(limitMs)) return work;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new TransactionTimeLimitError(limitMs);
      scope.aborted = error;
      abortAmbient(tx, error, work);
      options.onTimeLimit?.(error);
      reject(error);
    }, limitMs);
  });
  return Promise.race([work, expired]).finally(() => {
    clearTimeout(timer);
  });
}

/**
 * Runs `fn` in a transaction. Inside an `outer` scope it joins that transaction instead, so
 * that core functions compose (a batch runs many record writes in one transaction); without
 * `outer`, called from code already running inside a transaction of the same adapter (the
 * ambient one, see AmbientTransactions), it joins that one the same way. The
 * after-commit callbacks run in order once the outermost transaction has committed, and are
 * dropped when it rolls back.
 *
 * When the engine rolls the transaction back because of a deadlock or serialization failure
 * (`isTransientConflict`), `fn` runs again from the start, up to TRANSACTION_ATTEMPTS times:
 * it must only act on the database and queue everything else with `afterCommit`.
 *
 * With `timeLimitMs`, an outermost transaction whose `fn` has not settled by then is rolled
 * back and fails with TransactionTimeLimitError (no retry); `fn`'s later queries through
 * `scope.db` or the adapter's handle throw that error instead of running outside the
 * transaction. A statement already sent to the server is waited out before the rollback.
 */
export async function runInTransaction<T>(
  adapter: DbAdapter,
  fn: (scope: TxScope) => Promise<T>,
  options: TransactionOptions,
): Promise<T> {
  const outer = options.outer ?? ambientScope(adapter.db);
  if (outer) return fn(outer);
  const replay = options.replayFirstAttempt === true;
  const plain = !replay && options.oneWrite === true && adapter.oneWriteWithoutTransaction === true;
  for (let attempt = 1; ; attempt++) {
    const callbacks: AfterCommit[] = [];
    const undo: AfterCommit[] = [];
    const scopeOn = (db: Executor): Scope =>
      new Scope(
        db,
        attempt,
        (cb) => callbacks.push(cb),
        (cb) => undo.push(cb),
      );
    let result: T;
    try {
      result = plain
        ? await fn(scopeOn(adapter.db))
        : await adapter.transaction((tx) => {
            const scope = scopeOn(tx);
            setAmbientScope(tx, scope);
            const work = withTimeLimit(fn(scope), scope, tx, options);
            if (!replay || attempt > 1) return work;
            return work.then((first) => Promise.reject(new ReplayAttempt(first)));
          });
    } catch (error) {
      await runCallbacks(undo, options.onCallbackError);
      if (error instanceof ReplayAttempt) continue;
      if (attempt >= TRANSACTION_ATTEMPTS || !adapter.isTransientConflict(error)) throw error;
      await backoff(attempt);
      continue;
    }
    // Here, after the commit, the transaction is no longer ambient (its frame ended with the
    // adapter's callback): the callbacks' queries run on the base handle, each on its own.
    await runCallbacks(callbacks, options.onCallbackError);
    return result;
  }
}
