import { Hook, type HookFn, type HookHandler } from './hook.js';
import type { HookEvent } from './hook-event.js';

/** An event that carries tags, e.g. a record event's collection id and name. */
export interface TaggedEvent extends HookEvent {
  /** The event's tags; a tagged handler runs when one of its tags is among them. */
  tags(): readonly string[];
}

/** Tags that select events: one tag, several (any of them matches), or none (every event). */
export type HookTags = string | readonly string[] | undefined;

/** A handler to bind on a tagged hook: a HookHandler that may be limited to some tags. */
export interface TaggedHookHandler<E extends TaggedEvent> extends HookHandler<E> {
  /** Run only for events with one of these tags; none or empty = every event. */
  readonly tags?: HookTags;
}

/**
 * The arguments of `on`: `(fn)` for every event, or `(tags, fn)`; so that a registration API
 * such as `app.onRecordCreate(...args: TaggedHookArgs<RecordEvent>)` can forward them.
 */
export type TaggedHookArgs<E extends TaggedEvent> =
  readonly [fn: HookFn<E>] | readonly [tags: HookTags, fn: HookFn<E>];

function tagList(tags: HookTags): readonly string[] {
  if (tags === undefined) return [];
  return typeof tags === 'string' ? [tags] : [...tags];
}

/**
 * A hook whose handlers may be limited to events with some tags (PocketBase's TaggedHook):
 * a handler bound with tags runs when the event's `tags()` include one of them, and
 * otherwise just calls `e.next()`. Handlers without tags run for every event. The handlers
 * share one chain (one priority order), whatever their tags.
 */
export class TaggedHook<E extends TaggedEvent> extends Hook<E> {
  /** Binds a handler, limited to `handler.tags` when given; returns its id. */
  override bind(handler: TaggedHookHandler<E>): string {
    const tags = tagList(handler.tags);
    if (tags.length === 0) return super.bind(handler);
    const fn = handler.fn;
    return super.bind({
      id: handler.id,
      priority: handler.priority,
      source: handler.source,
      fn: (e) => (matches(tags, e.tags()) ? fn(e) : e.next()),
    });
  }

  /** `on(fn)` binds for every event, `on(tags, fn)` for events with one of the tags; returns the id. */
  on(...args: TaggedHookArgs<E>): string {
    return args.length === 1
      ? this.bind({ fn: args[0] })
      : this.bind({ tags: args[0], fn: args[1] });
  }
}

function matches(wanted: readonly string[], tags: readonly string[]): boolean {
  for (const tag of tags) if (wanted.includes(tag)) return true;
  return false;
}
