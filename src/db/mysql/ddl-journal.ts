import type { Kysely } from 'kysely';
import type { Executor } from '../adapter.js';
import type { Database } from '../schema-types.js';
import { LOWER_ALPHANUMERIC, randomString } from '../../lib/security/random.js';
import { HIDDEN_PREFIX } from './column-types.js';

/** One schema change made inside a transaction. */
export interface DdlChange {
  /** Takes the change back (after the transaction rolled back). */
  undo(exec: Executor): Promise<void>;
  /** Removes what the change only set aside (after the transaction committed). */
  finish?(exec: Executor): Promise<void>;
}

/** The schema changes of one transaction, in the order they were made. */
export class DdlJournal {
  readonly #changes: DdlChange[] = [];

  record(change: DdlChange): void {
    this.#changes.push(change);
  }

  /** Takes every change back, the last first. */
  async undo(exec: Executor): Promise<void> {
    for (const change of this.#changes.toReversed()) await change.undo(exec);
  }

  /** Removes what the changes set aside, in order. */
  async finish(exec: Executor): Promise<void> {
    for (const change of this.#changes) await change.finish?.(exec);
  }
}

/**
 * Where a schema change runs. Outside a transaction: on the given executor, for good. Inside
 * one: on `exec`, a connection of the DDL pool, and recorded in `journal`.
 */
export interface DdlTarget {
  readonly exec: Executor;
  readonly journal: DdlJournal | undefined;
}

/** A fresh name for a table, column or index set aside until its transaction ends. */
export function trashName(): string {
  return HIDDEN_PREFIX.trash + randomString(12, LOWER_ALPHANUMERIC);
}

/**
 * Transactions whose schema changes follow the transaction's outcome. MariaDB commits the
 * open transaction before every DDL statement, which would make a collection's metadata row
 * durable before its table change, and leave half of a failed change behind. So inside a
 * transaction the changes run on connections of their own (`ddl`), outside the transaction,
 * and are written so that they can be taken back: a drop only renames the object aside. When
 * the transaction rolls back, the changes are undone, the last first; when it commits, what was
 * set aside is dropped.
 */
export class DdlTransactions {
  readonly #ddl: Kysely<Database>;
  readonly #journals = new WeakMap<Executor, DdlJournal>();

  constructor(ddl: Kysely<Database>) {
    this.#ddl = ddl;
  }

  /** Where a schema change on `exec` runs. */
  target(exec: Executor): DdlTarget {
    const journal = this.#journals.get(exec);
    return journal ? { exec: this.#ddl, journal } : { exec, journal: undefined };
  }

  /** Runs `fn` in a transaction of `db` whose schema changes commit and roll back with it. */
  async run<T>(db: Kysely<Database>, fn: (tx: Executor) => Promise<T>): Promise<T> {
    const journal = new DdlJournal();
    let result: T;
    try {
      result = await db.transaction().execute((tx) => {
        this.#journals.set(tx, journal);
        return fn(tx);
      });
    } catch (error) {
      try {
        await journal.undo(this.#ddl);
      } catch (undoError) {
        throw new AggregateError(
          [error, undoError],
          'A transaction failed and its schema changes could not all be undone.',
        );
      }
      throw error;
    }
    // Committed: a failure here leaves only hidden leftovers, but is not hidden itself.
    await journal.finish(this.#ddl);
    return result;
  }
}
