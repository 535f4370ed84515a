import type { TxScope } from '../../db/transaction.js';

/**
 * Keeps record requests and collection changes of this process apart, so that a request sees
 * one version of the collections from start to end (issue 15, Data 3): the SQL a request builds
 * from the in-memory registry must match the tables it runs against.
 *
 * Record requests hold the gate shared (any number at once); a collection change holds it
 * exclusively from before its transaction until the registry has reloaded after the commit.
 * A waiting change keeps new requests out, so a steady stream of requests cannot starve it;
 * when it ends, the requests that queued behind it go before the next change.
 *
 * Holders must not take the gate again (a shared holder waiting behind a queued change would
 * wait for itself): record functions called with an outer scope run inside their caller's hold.
 */
export class SchemaGate {
  #readers = 0;
  #writing = false;
  #writers: (() => void)[] = [];
  #waitingReaders: (() => void)[] = [];
  /** Transactions in which collection changes may run (migrations'; see allowChangesIn). */
  readonly #changeScopes = new WeakSet<TxScope>();

  /**
   * Lets collection changes run inside the transaction `scope`: the app migration runner's,
   * which holds the gate alone around it. Anywhere else a change from inside a transaction
   * throws SchemaChangeInTransactionError.
   */
  allowChangesIn(scope: TxScope): void {
    this.#changeScopes.add(scope);
  }

  /** Whether collection changes may run inside `scope` (see allowChangesIn). */
  allowsChangesIn(scope: TxScope): boolean {
    return this.#changeScopes.has(scope);
  }

  /** Runs `fn` holding the gate shared: no collection change starts until it settles. */
  shared<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.#writing && this.#writers.length === 0) {
      this.#readers++;
      return this.#runShared(fn);
    }
    return new Promise<void>((resolve) => {
      this.#waitingReaders.push(resolve);
    }).then(() => this.#runShared(fn));
  }

  /** Runs `fn` as an admitted reader; one `then` (not an async frame): the request path. */
  #runShared<T>(fn: () => Promise<T>): Promise<T> {
    let running: Promise<T>;
    try {
      running = fn();
    } catch (error) {
      this.#leave();
      throw error;
    }
    return running.then(
      (value) => {
        this.#leave();
        return value;
      },
      (error: unknown) => {
        this.#leave();
        throw error;
      },
    );
  }

  #leave(): void {
    this.#readers--;
    if (this.#readers === 0) this.#admitWriter();
  }

  /** Runs `fn` holding the gate alone: no record request runs until it settles. */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#writing || this.#readers > 0 || this.#writers.length > 0) {
      await new Promise<void>((resolve) => {
        this.#writers.push(resolve);
      });
    } else {
      this.#writing = true;
    }
    try {
      return await fn();
    } finally {
      this.#writing = false;
      this.#admitAfterWriter();
    }
  }

  /** The requests that waited go first; then the next change. */
  #admitAfterWriter(): void {
    if (this.#waitingReaders.length === 0) {
      this.#admitWriter();
      return;
    }
    const readers = this.#waitingReaders;
    this.#waitingReaders = [];
    this.#readers += readers.length;
    for (const resolve of readers) resolve();
  }

  #admitWriter(): void {
    const next = this.#writers.shift();
    if (!next) return;
    this.#writing = true;
    next();
  }
}

/**
 * Thrown by a collection change started from code that runs inside a transaction (a record
 * hook, a route with `transaction`, `app.transaction`): that code holds the schema gate
 * shared or a write transaction, which the change would wait for forever.
 */
export class SchemaChangeInTransactionError extends Error {
  constructor() {
    super(
      'Collections cannot be changed inside a transaction (a record hook, a route with ' +
        '`transaction: true` or app.transaction): change them before or after it, e.g. in ' +
        'onBootstrap or a migration.',
    );
    this.name = 'SchemaChangeInTransactionError';
  }
}
