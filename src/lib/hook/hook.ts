import { type HookEvent, NEXT_SLOT } from './hook-event.js';
import {
  type HookHandlerInfo,
  HookNextCalledTwiceError,
  HookNextNotCalledError,
} from './hook-errors.js';

/** A handler function: runs its part and calls `await e.next()` for the rest of the chain. */
export type HookFn<E extends HookEvent> = (e: E) => Promise<void> | void;

/** The default action that runs after the last handler called `e.next()`. */
export type HookFinalizer<E extends HookEvent> = (e: E) => Promise<void> | void;

/** A handler to bind, with its optional id, priority and source label. */
export interface HookHandler<E extends HookEvent> {
  /** Binding an id that is already bound replaces that handler (in its place). Generated when missing. */
  readonly id?: string;
  /** Lower runs first; handlers of equal priority run in bind order. Default 0. */
  readonly priority?: number;
  /** Where the handler was registered (e.g. `basalt_hooks/orders.ts:12`), named in errors. */
  readonly source?: string;
  readonly fn: HookFn<E>;
}

/** A bound handler as the chain runs it. */
interface BoundHandler<E extends HookEvent> extends HookHandlerInfo {
  readonly priority: number;
  readonly fn: HookFn<E>;
}

/** Generated ids: unique in the process, never equal to a bound id (checked at bind). */
let generated = 0;

/**
 * A typed hook: an ordered chain of handlers around a default action (PocketBase's
 * `tools/hook`, with Hono's compose for `next`). `trigger(event, finalizer)` runs the handlers
 * by ascending priority (ties in bind order); each calls `await e.next()` to run the rest of
 * the chain and finally the finalizer, and may work after it. The contract:
 * - a throw or rejection propagates out of trigger unchanged and the rest does not run;
 * - a handler that returns without calling `e.next()` and without throwing stops the chain
 *   (the finalizer does not run) and trigger rejects with HookNextNotCalledError naming it;
 * - a second `e.next()` in one handler rejects with HookNextCalledTwiceError.
 *
 * The handler list is copied on bind and unbind, never on trigger, so a trigger in progress
 * keeps the handlers it started with. With no handler, trigger only calls the finalizer.
 */
export class Hook<E extends HookEvent> {
  /** Sorted by priority then bind order; replaced (never mutated) by bind and unbind. */
  #handlers: readonly BoundHandler<E>[] = [];

  /** @param name the hook's name in error messages, e.g. `onRecordCreate` */
  constructor(readonly name = '') {}

  /** How many handlers are bound. */
  get length(): number {
    return this.#handlers.length;
  }

  /** Binds a handler and returns its id; a handler bound under the same id is replaced. */
  bind(handler: HookHandler<E>): string {
    const current = this.#handlers;
    const id = handler.id ?? this.#newId();
    const bound: BoundHandler<E> = {
      hook: this.name,
      id,
      priority: handler.priority ?? 0,
      source: handler.source,
      fn: handler.fn,
    };
    const at = current.findIndex((h) => h.id === id);
    const next = at === -1 ? [...current, bound] : current.map((h, i) => (i === at ? bound : h));
    // Array#sort is stable: equal priorities keep their bind order.
    next.sort((a, b) => a.priority - b.priority);
    this.#handlers = next;
    return id;
  }

  /** Binds a function with priority 0 and a generated id, which it returns. */
  bindFn(fn: HookFn<E>): string {
    return this.bind({ fn });
  }

  /** Removes the handlers with these ids (unknown ids are ignored). */
  unbind(...ids: string[]): void {
    if (ids.length === 0) return;
    const remove = new Set(ids);
    this.#handlers = this.#handlers.filter((h) => !remove.has(h.id));
  }

  /** Removes every handler. */
  unbindAll(): void {
    this.#handlers = [];
  }

  /**
   * Runs the chain on `event`, then `finalizer` (the default action) when every handler
   * called `e.next()`. Resolves when the whole chain completed, handlers' work after their
   * `e.next()` included.
   */
  trigger(event: E, finalizer?: HookFinalizer<E>): Promise<void> {
    const handlers = this.#handlers;
    if (handlers.length === 0) {
      return finalizer === undefined ? Promise.resolve() : finish(event, finalizer);
    }
    return triggerChain(handlers, event, finalizer);
  }

  #newId(): string {
    let id: string;
    do id = `hook_${(++generated).toString(36)}`;
    while (this.#handlers.some((h) => h.id === id));
    return id;
  }
}

/** The finalizer alone, as a promise (a synchronous throw becomes a rejection). */
async function finish<E extends HookEvent>(event: E, finalizer: HookFinalizer<E>): Promise<void> {
  await finalizer(event);
}

/**
 * Runs the chain. The event's previous `next` is put back at the end, so an event can be
 * passed on to another hook's trigger from inside a handler.
 */
async function triggerChain<E extends HookEvent>(
  handlers: readonly BoundHandler<E>[],
  event: E,
  finalizer: HookFinalizer<E> | undefined,
): Promise<void> {
  const outer = event[NEXT_SLOT];
  try {
    await runLevel(handlers, 0, event, finalizer);
  } finally {
    event[NEXT_SLOT] = outer;
  }
}

/**
 * Runs handler `i` with `e.next()` bound to the rest of the chain. One closure per level:
 * the `next` it binds.
 */
async function runLevel<E extends HookEvent>(
  handlers: readonly BoundHandler<E>[],
  i: number,
  event: E,
  finalizer: HookFinalizer<E> | undefined,
): Promise<void> {
  const handler = handlers[i] as BoundHandler<E>;
  let inner: Promise<void> | undefined;
  const next = (): Promise<void> => {
    if (inner !== undefined) return Promise.reject(new HookNextCalledTwiceError(handler));
    inner = runRest(handlers, i + 1, event, finalizer, next);
    return inner;
  };
  event[NEXT_SLOT] = next;
  const result = handler.fn(event);
  if (result !== undefined) await result;
  if (inner === undefined) throw new HookNextNotCalledError(handler);
  // A handler that did not await (or return) `e.next()`: a synchronous one, or one that
  // returned before the rest of the chain put this level's `next` back. The chain still
  // completes before trigger resolves, and its error still propagates.
  if (result === undefined || event[NEXT_SLOT] !== next) await inner;
}

/**
 * The rest of the chain after level `i - 1`: the next handler, or the finalizer after the
 * last. When it completes, `e.next()` is the calling level's again, so a second call from
 * that handler is reported as such.
 */
async function runRest<E extends HookEvent>(
  handlers: readonly BoundHandler<E>[],
  i: number,
  event: E,
  finalizer: HookFinalizer<E> | undefined,
  caller: () => Promise<void>,
): Promise<void> {
  try {
    if (i < handlers.length) await runLevel(handlers, i, event, finalizer);
    else if (finalizer !== undefined) await finalizer(event);
  } finally {
    event[NEXT_SLOT] = caller;
  }
}
