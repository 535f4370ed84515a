/**
 * Typed hook chains: handlers ordered by priority around a default action, each calling
 * `await e.next()` (PocketBase's tools/hook with Hono's compose), and tagged hooks whose
 * handlers run for some tags only (a collection's id or name).
 */
export { HookEvent } from './hook-event.js';
export { Hook, type HookFinalizer, type HookFn, type HookHandler } from './hook.js';
export {
  TaggedHook,
  type HookTags,
  type TaggedEvent,
  type TaggedHookArgs,
  type TaggedHookHandler,
} from './tagged-hook.js';
export {
  HookChainError,
  HookNextCalledTwiceError,
  HookNextNotCalledError,
  type HookHandlerInfo,
} from './hook-errors.js';
