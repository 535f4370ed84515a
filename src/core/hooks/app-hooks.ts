import {
  Hook,
  TaggedHook,
  type HookFn,
  type HookTags,
  type TaggedHookArgs,
} from '../../lib/hook/index.js';
import type { BootstrapEvent, MailerEvent, TerminateEvent } from './app-events.js';
import type { RecordEnrichEvent, RecordEvent } from './record-event.js';
import type { RecordRequestEvent } from './request-events.js';

/**
 * Every hook of an App (APP-LOGIC.md §2), by PocketBase's names. Record hooks are tagged
 * with the collection's id and name. Bind through a registrar (`basalt.onRecordCreate(...)`,
 * `defineHooks`) or directly (`app.hooks.onRecordCreate.bind({ id, priority, tags, fn })`).
 */
export class AppHooks {
  // Inside the write transaction of every write path.
  readonly onRecordValidate = new TaggedHook<RecordEvent>('onRecordValidate');
  readonly onRecordCreate = new TaggedHook<RecordEvent>('onRecordCreate');
  readonly onRecordUpdate = new TaggedHook<RecordEvent>('onRecordUpdate');
  readonly onRecordDelete = new TaggedHook<RecordEvent>('onRecordDelete');
  // After the outermost commit, once.
  readonly onRecordAfterCreateSuccess = new TaggedHook<RecordEvent>('onRecordAfterCreateSuccess');
  readonly onRecordAfterUpdateSuccess = new TaggedHook<RecordEvent>('onRecordAfterUpdateSuccess');
  readonly onRecordAfterDeleteSuccess = new TaggedHook<RecordEvent>('onRecordAfterDeleteSuccess');
  // Output.
  readonly onRecordEnrich = new TaggedHook<RecordEnrichEvent>('onRecordEnrich');
  // Around the records API's HTTP actions.
  readonly onRecordsListRequest = new TaggedHook<RecordRequestEvent>('onRecordsListRequest');
  readonly onRecordViewRequest = new TaggedHook<RecordRequestEvent>('onRecordViewRequest');
  readonly onRecordCreateRequest = new TaggedHook<RecordRequestEvent>('onRecordCreateRequest');
  readonly onRecordUpdateRequest = new TaggedHook<RecordRequestEvent>('onRecordUpdateRequest');
  readonly onRecordDeleteRequest = new TaggedHook<RecordRequestEvent>('onRecordDeleteRequest');
  // The app.
  readonly onBootstrap = new Hook<BootstrapEvent>('onBootstrap');
  readonly onTerminate = new Hook<TerminateEvent>('onTerminate');
  readonly onMailerSend = new Hook<MailerEvent>('onMailerSend');

  /** Whether a handler is bound on a hook that a record write triggers in its transaction. */
  get recordWritesHooked(): boolean {
    return (
      this.onRecordValidate.length +
        this.onRecordCreate.length +
        this.onRecordUpdate.length +
        this.onRecordDelete.length +
        this.onRecordAfterCreateSuccess.length +
        this.onRecordAfterUpdateSuccess.length +
        this.onRecordAfterDeleteSuccess.length >
      0
    );
  }
}

/** The name of a hook of AppHooks. */
export type HookName = Exclude<keyof AppHooks, 'recordWritesHooked'>;

/** Every hook's name, in registration API order. */
export const HOOK_NAMES = [
  'onRecordValidate',
  'onRecordCreate',
  'onRecordUpdate',
  'onRecordDelete',
  'onRecordAfterCreateSuccess',
  'onRecordAfterUpdateSuccess',
  'onRecordAfterDeleteSuccess',
  'onRecordEnrich',
  'onRecordsListRequest',
  'onRecordViewRequest',
  'onRecordCreateRequest',
  'onRecordUpdateRequest',
  'onRecordDeleteRequest',
  'onBootstrap',
  'onTerminate',
  'onMailerSend',
] as const satisfies readonly HookName[];

/** The arguments of a hook's registration method: `(fn)`, or `(collections, fn)` for a tagged hook. */
export type HookArgs<K extends HookName> =
  AppHooks[K] extends TaggedHook<infer E>
    ? TaggedHookArgs<E>
    : AppHooks[K] extends Hook<infer E>
      ? readonly [fn: HookFn<E>]
      : never;

/** The registration API: one method per hook, returning the bound handler's id. */
export type HookRegistrar = {
  readonly [K in HookName]: (...args: HookArgs<K>) => string;
};

/** A hook of any event type, as registration sees it. */
interface AnyHook {
  bind(handler: { fn: AnyHookFn; tags?: HookTags; source?: string | undefined }): string;
}

/** A handler of any event type (each hook checks its own at registration, by HookArgs). */
type AnyHookFn = (e: never) => Promise<void> | void;

/** Binds one registration on `hooks`; returns the handler's id. */
export function bindHook<K extends HookName>(
  hooks: AppHooks,
  name: K,
  args: HookArgs<K>,
  source?: string,
): string {
  // Each name's hook takes its own event type; the args were typed against it by HookArgs<K>.
  const tagged = hooks[name] instanceof TaggedHook;
  const hook = hooks[name] as unknown as AnyHook;
  const fn = args[args.length - 1] as AnyHookFn;
  const tags: HookTags = args.length === 2 ? args[0] : undefined;
  return tagged ? hook.bind({ tags, fn, source }) : hook.bind({ fn, source });
}

/** A registrar that binds each registration at once on `hooks`. */
export function hookRegistrar(
  hooks: AppHooks,
  bind: <K extends HookName>(name: K, args: HookArgs<K>) => string = (name, args) =>
    bindHook(hooks, name, args),
): HookRegistrar {
  const registrar: Partial<Record<HookName, (...args: readonly unknown[]) => string>> = {};
  for (const name of HOOK_NAMES) {
    registrar[name] = (...args) => bind(name, args as unknown as HookArgs<typeof name>);
  }
  return registrar as unknown as HookRegistrar;
}
