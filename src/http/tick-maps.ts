import { executionAsyncResource } from 'node:async_hooks';

// Node's process.nextTick (about nine calls per HTTP request) builds each tick as an object
// literal with two symbol keys. V8 records the chain of hidden classes (maps) those objects
// pass through in the literal's feedback, but holds the maps weakly: once no tick object is
// alive, a garbage collection frees the chain and the next tick builds a new one. After a few
// such generations the feedback is megamorphic for good, and every tick defines its
// properties through a runtime call (17 % of a get by id's instructions). One tick object
// held for the life of the process keeps the chain, and the feedback, as it is. See
// docs/architecture.md, "nextTick feedback".
let pinned: object | undefined;

/** Holds one process.nextTick object for the rest of the process (idempotent). */
export function pinTickObjectMaps(): void {
  if (pinned) return;
  pinned = {};
  // Inside a tick callback the current async resource is the tick object itself.
  process.nextTick(() => {
    pinned = executionAsyncResource();
  });
}
