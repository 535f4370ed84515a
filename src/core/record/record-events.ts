import type { Executor } from '../../db/adapter.js';
import type { AfterCommit, TxScope } from '../../db/transaction.js';
import type { Collection } from '../collection/collection-model.js';
import type { RecordRow } from './record-model.js';

/** What happened to a record. */
export type RecordAction = 'create' | 'update' | 'delete';

/** One committed change of a stored record: the row as stored (deletes: as it was). */
export interface RecordChange {
  readonly action: RecordAction;
  readonly collection: Collection;
  readonly row: RecordRow;
}

/** Receives record changes. Errors it throws are logged by the transaction, never undo a commit. */
export interface RecordListener {
  /** After the transaction that made the change has committed (every action). */
  committed?(change: RecordChange): void;
  /**
   * Inside the transaction, before a row is deleted: for work that needs the row still stored
   * (rule checks, expand). The returned callback runs only once the transaction commits.
   */
  beforeDelete?(change: RecordChange, exec: Executor): Promise<AfterCommit | undefined>;
}

/**
 * The record-level event source: the record write layer (create, update, delete, cascades;
 * batch and hooks go through the same functions) reports every change here, and listeners
 * hear of it only after commit, so a rolled-back transaction or a retried attempt emits
 * nothing. With no listener a write pays one size check.
 */
export class RecordEvents {
  private readonly listeners = new Set<RecordListener>();

  /** Whether anyone listens (writes skip all event work otherwise). */
  get listening(): boolean {
    return this.listeners.size > 0;
  }

  /** Adds a listener; returns the function that removes it. */
  listen(listener: RecordListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Queues a create or update for after the commit of `scope`. */
  written(
    scope: TxScope,
    action: 'create' | 'update',
    collection: Collection,
    row: RecordRow,
  ): void {
    if (this.listeners.size === 0) return;
    const change: RecordChange = { action, collection, row };
    scope.afterCommit(() => {
      this.notify(change);
    });
  }

  /**
   * Called before `row` is deleted inside `scope`: lets listeners prepare with the row still
   * stored, and queues their work and the delete event for after the commit.
   */
  async deleting(scope: TxScope, collection: Collection, row: RecordRow): Promise<void> {
    if (this.listeners.size === 0) return;
    const change: RecordChange = { action: 'delete', collection, row };
    for (const listener of [...this.listeners]) {
      const after = await listener.beforeDelete?.(change, scope.db);
      if (after) scope.afterCommit(after);
    }
    scope.afterCommit(() => {
      this.notify(change);
    });
  }

  private notify(change: RecordChange): void {
    for (const listener of [...this.listeners]) listener.committed?.(change);
  }
}
