import type { TxScope } from '../db/transaction.js';

/** How one `app.transaction(...)` runs: the transaction to join, its own time limit. */
export interface TransactionCallOptions {
  readonly outer?: TxScope | undefined;
  /** Milliseconds before the transaction is aborted; 0 for none; the app's limit when omitted. */
  readonly timeLimitMs?: number | undefined;
  /** The work only reads, then makes one write: see TransactionOptions.oneWrite. */
  readonly oneWrite?: boolean | undefined;
}

/** Whether `app.transaction`'s second argument is a scope to join (else call options). */
export function isScope(value: TxScope | TransactionCallOptions): value is TxScope {
  return 'afterCommit' in value;
}

/**
 * Options for a transaction without a time limit (joining `outer` when given): schema
 * changes, whose DDL on a big table may rightly take long.
 */
export function noTimeLimit(outer?: TxScope): TransactionCallOptions {
  return { outer, timeLimitMs: 0 };
}
