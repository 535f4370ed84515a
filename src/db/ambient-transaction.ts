import { AsyncLocalStorage } from 'node:async_hooks';
import type { Executor } from './adapter.js';
import type { TxScope } from './transaction.js';

/** What the frames of one transaction (its own and its savepoints') share. */
interface TransactionState {
  /** Set when the transaction was aborted while its code still ran (the time limit). */
  aborted: Error | undefined;
}

/**
 * One transaction that code may be running inside, and the ones around it (other adapters).
 * A savepoint runs in a child frame of the same transaction, with its own unit of work.
 */
interface Frame {
  readonly owner: AmbientTransactions;
  readonly tx: Executor;
  readonly parent: Frame | undefined;
  readonly state: TransactionState;
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
/** Aborted transactions whose code still runs: their frames must stay visible to it. */
let abortedRunning = 0;

/** Stops the frame tracking when nothing needs it (see AmbientTransactions.run). */
function disableWhenIdle(): void {
  // With no transaction open anywhere, no context needs its frame (a closed frame answers
  // the base handle anyway): stop the tracking until the next `run` turns it on again. On
  // Node.js before 24 it costs every promise of the process while on (about 80 ns), which
  // reads outside transactions should not pay. Code of an aborted transaction that still
  // runs keeps it on: it must keep failing instead of querying outside the transaction.
  if (openFrames === 0 && abortedRunning === 0) frames.disable();
}

/**
 * The innermost open frame of `owner` in the current async context. Throws the abort error
 * when the context runs inside a transaction that was aborted (its code is still running).
 */
function openFrameOf(owner: AmbientTransactions): Frame | undefined {
  for (let frame = frames.getStore(); frame !== undefined; frame = frame.parent) {
    if (frame.owner !== owner) continue;
    if (frame.state.aborted) throw frame.state.aborted;
    if (frame.open) return frame;
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
   * gets the base handle, never the finished transaction's. Throws when the transaction was
   * aborted (see abortAmbient) while this code still runs.
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
      state: { aborted: undefined },
      open: true,
      scope: undefined,
    };
    return runFrame(frame, () => fn(tx));
  }
}

async function runFrame<T>(frame: Frame, fn: () => Promise<T>): Promise<T> {
  openFrames++;
  try {
    return await frames.run(frame, fn);
  } finally {
    frame.open = false;
    openFrames--;
    disableWhenIdle();
  }
}

/** The innermost open frame whose handle is `tx` in the current async context. */
function frameOf(tx: Executor): Frame | undefined {
  for (let frame = frames.getStore(); frame !== undefined; frame = frame.parent) {
    if (frame.open && frame.tx === tx) return frame;
  }
  return undefined;
}

/**
 * Runs `fn` in the open ambient transaction whose handle is `tx` with `scope` as its unit of
 * work (a savepoint's), so that a runInTransaction nested in `fn` joins `scope`. Outside such
 * a transaction, `fn` just runs.
 */
export function runInAmbientScope<T>(
  tx: Executor,
  scope: TxScope,
  fn: () => Promise<T>,
): Promise<T> {
  const parent = frameOf(tx);
  if (!parent) return fn();
  const frame: Frame = {
    owner: parent.owner,
    tx,
    parent: frames.getStore(),
    state: parent.state,
    open: true,
    scope,
  };
  return runFrame(frame, fn);
}

/**
 * Marks the open ambient transaction whose handle is `tx` as aborted by `error` while its
 * code (`running`) has not finished: from then on that code's queries through the adapter's
 * handle throw `error` instead of running outside the transaction. Call it from inside the
 * transaction's async context (e.g. a timer set there).
 */
export function abortAmbient(tx: Executor, error: Error, running: Promise<unknown>): void {
  const frame = frameOf(tx);
  if (!frame || frame.state.aborted) return;
  frame.state.aborted = error;
  abortedRunning++;
  const settled = () => {
    abortedRunning--;
    disableWhenIdle();
  };
  running.then(settled, settled);
}

/**
 * Records `scope` as the unit of work of the open ambient transaction whose handle is `tx`,
 * so that a nested runInTransaction finds it (see ambientScope).
 */
export function setAmbientScope(tx: Executor, scope: TxScope): void {
  const frame = frameOf(tx);
  if (frame) frame.scope = scope;
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
