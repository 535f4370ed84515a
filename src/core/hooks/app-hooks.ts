import {
  Hook,
  TaggedHook,
  type HookFn,
  type HookTags,
  type TaggedHookArgs,
} from '../../lib/hook/index.js';
import type {
  BootstrapEvent,
  MailerEvent,
  MailerRecordEvent,
  TerminateEvent,
} from './app-events.js';
import type { CollectionEvent } from './collection-event.js';
import type { RecordValuesOf } from './collection-records.js';
import type { RecordEnrichEvent, RecordEvent } from './record-event.js';
import type {
  FileDownloadRequestEvent,
  RecordAuthRequestEvent,
  RecordRequestEvent,
  RequestEvent,
} from './request-events.js';

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
  // After a collection change's outermost commit, once.
  readonly onCollectionAfterCreateSuccess = new TaggedHook<CollectionEvent>(
    'onCollectionAfterCreateSuccess',
  );
  readonly onCollectionAfterUpdateSuccess = new TaggedHook<CollectionEvent>(
    'onCollectionAfterUpdateSuccess',
  );
  readonly onCollectionAfterDeleteSuccess = new TaggedHook<CollectionEvent>(
    'onCollectionAfterDeleteSuccess',
  );
  // Output.
  readonly onRecordEnrich = new TaggedHook<RecordEnrichEvent>('onRecordEnrich');
  // Around the records API's HTTP actions.
  readonly onRecordsListRequest = new TaggedHook<RecordRequestEvent>('onRecordsListRequest');
  readonly onRecordViewRequest = new TaggedHook<RecordRequestEvent>('onRecordViewRequest');
  readonly onRecordCreateRequest = new TaggedHook<RecordRequestEvent>('onRecordCreateRequest');
  readonly onRecordUpdateRequest = new TaggedHook<RecordRequestEvent>('onRecordUpdateRequest');
  readonly onRecordDeleteRequest = new TaggedHook<RecordRequestEvent>('onRecordDeleteRequest');
  readonly onRecordAuthRequest = new TaggedHook<RecordAuthRequestEvent>('onRecordAuthRequest');
  readonly onRecordAuthWithPasswordRequest = new TaggedHook<RecordAuthRequestEvent>(
    'onRecordAuthWithPasswordRequest',
  );
  readonly onRecordAuthWithOTPRequest = new TaggedHook<RecordAuthRequestEvent>(
    'onRecordAuthWithOTPRequest',
  );
  readonly onRecordAuthWithOAuth2Request = new TaggedHook<RecordAuthRequestEvent>(
    'onRecordAuthWithOAuth2Request',
  );
  readonly onRecordAuthRefreshRequest = new TaggedHook<RecordAuthRequestEvent>(
    'onRecordAuthRefreshRequest',
  );
  readonly onFileDownloadRequest = new TaggedHook<FileDownloadRequestEvent>(
    'onFileDownloadRequest',
  );
  readonly onBatchRequest = new Hook<RequestEvent>('onBatchRequest');
  readonly onRealtimeSubscribeRequest = new Hook<RequestEvent>('onRealtimeSubscribeRequest');
  // The app.
  readonly onBootstrap = new Hook<BootstrapEvent>('onBootstrap');
  readonly onTerminate = new Hook<TerminateEvent>('onTerminate');
  readonly onMailerSend = new Hook<MailerEvent>('onMailerSend');
  readonly onMailerRecordVerificationSend = new TaggedHook<MailerRecordEvent>(
    'onMailerRecordVerificationSend',
  );
  readonly onMailerRecordPasswordResetSend = new TaggedHook<MailerRecordEvent>(
    'onMailerRecordPasswordResetSend',
  );
  readonly onMailerRecordEmailChangeSend = new TaggedHook<MailerRecordEvent>(
    'onMailerRecordEmailChangeSend',
  );
  readonly onMailerRecordOTPSend = new TaggedHook<MailerRecordEvent>('onMailerRecordOTPSend');
  readonly onMailerRecordAuthAlertSend = new TaggedHook<MailerRecordEvent>(
    'onMailerRecordAuthAlertSend',
  );

  /** Whether a handler is bound on a hook that a record write triggers. */
  get recordWritesHooked(): boolean {
    for (const name of RECORD_WRITE_HOOKS) if (this[name].length > 0) return true;
    return false;
  }
}

/** The name of a hook of AppHooks. */
export type HookName = Exclude<keyof AppHooks, 'recordWritesHooked'>;

/** The hooks a record write triggers: in its transaction, and after its commit. */
export const RECORD_WRITE_HOOKS = [
  'onRecordValidate',
  'onRecordCreate',
  'onRecordUpdate',
  'onRecordDelete',
  'onRecordAfterCreateSuccess',
  'onRecordAfterUpdateSuccess',
  'onRecordAfterDeleteSuccess',
] as const satisfies readonly (keyof AppHooks)[];

/** Every hook's name, in registration API order. */
export const HOOK_NAMES = [
  ...RECORD_WRITE_HOOKS,
  'onCollectionAfterCreateSuccess',
  'onCollectionAfterUpdateSuccess',
  'onCollectionAfterDeleteSuccess',
  'onRecordEnrich',
  'onRecordsListRequest',
  'onRecordViewRequest',
  'onRecordCreateRequest',
  'onRecordUpdateRequest',
  'onRecordDeleteRequest',
  'onRecordAuthRequest',
  'onRecordAuthWithPasswordRequest',
  'onRecordAuthWithOTPRequest',
  'onRecordAuthWithOAuth2Request',
  'onRecordAuthRefreshRequest',
  'onFileDownloadRequest',
  'onBatchRequest',
  'onRealtimeSubscribeRequest',
  'onBootstrap',
  'onTerminate',
  'onMailerSend',
  'onMailerRecordVerificationSend',
  'onMailerRecordPasswordResetSend',
  'onMailerRecordEmailChangeSend',
  'onMailerRecordOTPSend',
  'onMailerRecordAuthAlertSend',
] as const satisfies readonly HookName[];

/** The arguments of a hook's registration method: `(fn)`, or `(collections, fn)` for a tagged hook. */
export type HookArgs<K extends HookName> =
  AppHooks[K] extends TaggedHook<infer E>
    ? TaggedHookArgs<E>
    : AppHooks[K] extends Hook<infer E>
      ? readonly [fn: HookFn<E>]
      : never;

/**
 * The registration of a record write hook: `(collections, fn)` types `e.record` from
 * CollectionRecords (what `basalt typegen` declares) for the named collections; `(fn)`, and
 * names it does not declare, give the untyped record.
 */
export interface RecordHookRegistration {
  <N extends string>(
    collections: N | readonly N[] | undefined,
    fn: HookFn<RecordEvent<RecordValuesOf<N>>>,
  ): string;
  (fn: HookFn<RecordEvent>): string;
}

/** onRecordEnrich's registration, typed as RecordHookRegistration. */
export interface RecordEnrichHookRegistration {
  <N extends string>(
    collections: N | readonly N[] | undefined,
    fn: HookFn<RecordEnrichEvent<RecordValuesOf<N>>>,
  ): string;
  (fn: HookFn<RecordEnrichEvent>): string;
}

/** The hooks whose registration types the record from CollectionRecords. */
type TypedRecordHookName = (typeof RECORD_WRITE_HOOKS)[number] | 'onRecordEnrich';

/** The registration API: one method per hook, returning the bound handler's id. */
export type HookRegistrar = {
  readonly [K in Exclude<HookName, TypedRecordHookName>]: (...args: HookArgs<K>) => string;
} & {
  readonly [K in (typeof RECORD_WRITE_HOOKS)[number]]: RecordHookRegistration;
} & {
  readonly onRecordEnrich: RecordEnrichHookRegistration;
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
