/**
 * Where a hook chain keeps the `next` of the level that runs now. A symbol that is not
 * exported from the package, so that event classes cannot collide with it and users do not
 * see it as a field.
 */
export const NEXT_SLOT: unique symbol = Symbol('basalt.hook.next');

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * The base class of every hook event. A hook's handlers all receive the same event object
 * (they may change its fields for the handlers after them and the default action), and call
 * `await e.next()` to run the rest of the chain. The chain re-binds `next` per level, so one
 * event class serves every hook.
 */
export class HookEvent {
  /** The running level's continuation; set by Hook#trigger, undefined outside a chain. */
  [NEXT_SLOT]: (() => Promise<void>) | undefined = undefined;

  /**
   * Runs the rest of the chain: the handlers after this one and then the hook's default
   * action. Resolves once they all completed; rejects with what they threw. Call it once
   * per handler (a second call rejects with HookNextCalledTwiceError). Outside a chain it
   * resolves at once.
   */
  next(): Promise<void> {
    const next = this[NEXT_SLOT];
    return next === undefined ? RESOLVED : next();
  }
}
