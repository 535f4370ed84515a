import { AsyncLocalStorage } from 'node:async_hooks';
import type { Executor } from './adapter.js';
import type { TxScope } from './transaction.js';

/** One transaction that code may be running inside, and the ones around it (other adapters). */
interface Frame {
  readonly owner: AmbientTransactions;
  readonly tx: Executor;
  readonly parent: Frame | undefined;
  /** False once the transaction's callback has settled: the handle is dead from then on. */
  open: boolean;
  /** The unit of work the transaction runs for, when runInTransaction started it. */
  scope: TxScope | undefined;
}

// The transactions the current async context runs inside, innermost first. AsyncLocalStorage
// follows promises, timers and callbacks made inside `run`, so work that outlives its
// transaction (a timer, a stray promise) still sees its frame: hence `open`.
const frames = new AsyncLocalStorage<Frame>();
/** How many frames are open, in every adapter. */
let openFrames = 0;

/** The innermost open frame of `owner` in the current async context. */
function openFrameOf(owner: AmbientTransactions): Frame | undefined {
  for (let frame = frames.getStore(); frame !== undefined; frame = frame.parent) {
    if (frame.owner === owner && frame.open) return frame;
  }
  return undefined;
}

/**
 * The ambient transaction of one adapter: code running inside the adapter's `transaction(fn)`
 * (directly, or in anything it awaits) that queries through the adapter's plain handle joins
 * that transaction instead of taking another connection. Each adapter has its own, so that
 * several databases (apps, a copy's source and target) live in one process.
 */
export class AmbientTransactions {
  /** @param base the adapter's handle outside any transaction (pool or connection). */
  constructor(readonly base: Executor) {}

  /**
   * The handle for a query made now: the transaction this async context runs inside when it
   * is still open, else the base handle. A timer or promise that outlives its transaction
   * gets the base handle, never the finished transaction's.
   */
  get db(): Executor {
    return openFrameOf(this)?.tx ?? this.base;
  }

  /** Runs `fn(tx)` with `tx` as the ambient transaction of this adapter until `fn` settles. */
  async run<T>(tx: Executor, fn: (tx: Executor) => Promise<T>): Promise<T> {
    const frame: Frame = {
      owner: this,
      tx,
      parent: frames.getStore(),
      open: true,
      scope: undefined,
    };
    openFrames++;
    try {
      return await frames.run(frame, () => fn(tx));
    } finally {
      frame.open = false;
      openFrames--;
      // With no transaction open anywhere, no context needs its frame (a closed frame answers
      // the base handle anyway): stop the tracking until the next `run` turns it on again. On
      // Node.js before 24 it costs every promise of the process while on (about 80 ns), which
      // reads outside transactions should not pay.
      if (openFrames === 0) frames.disable();
    }
  }
}

/**
 * Records `scope` as the unit of work of the open ambient transaction whose handle is `tx`,
 * so that a nested runInTransaction finds it (see ambientScope).
 */
export function setAmbientScope(tx: Executor, scope: TxScope): void {
  for (let frame = frames.getStore(); frame !== undefined; frame = frame.parent) {
    if (frame.open && frame.tx === tx) {
      frame.scope = scope;
      return;
    }
  }
}

/**
 * The unit of work of the open ambient transaction whose handle is `handle` (an adapter's
 * `db`, which is its ambient transaction's handle while one is open), or undefined outside.
 */
export function ambientScope(handle: Executor): TxScope | undefined {
  for (let frame = frames.getStore(); frame !== undefined; frame = frame.parent) {
    if (frame.open && frame.tx === handle) return frame.scope;
  }
  return undefined;
}
