import type { TxScope, AfterCommit } from '../../db/transaction.js';
import { HookEvent, type TaggedEvent } from '../../lib/hook/index.js';
import type { App } from '../app.js';
import { isSuperuser } from '../auth/auth-context.js';
import type { Collection } from '../collection/collection-model.js';
import { RecordModel } from '../record/record.js';
import type { RecordRequest, WriteSource } from '../record/record-request.js';
import { toRuleRequest } from '../record/record-request.js';
import type { RuleRequest } from '../rules/rule-types.js';
import type { UntypedValues } from './collection-records.js';

/** The tags of a collection's events: its id and its name (handlers may name either). */
export function collectionTags(collection: Collection): readonly string[] {
  return [collection.id, collection.name];
}

/**
 * The auth record of a request as a RecordModel, or null for a guest and for the app's own
 * code (trusted, superuser-level, with no record behind it).
 */
export function authRecordOf(request: RecordRequest | undefined): RecordModel | null {
  const auth = request?.auth;
  if (!auth || auth.record.id === '') return null;
  return RecordModel.fromRow(auth.collection, auth.record);
}

/** An event of something a request asked for: who asked (`auth`, `isSuperuser`). */
export abstract class ActorEvent extends HookEvent {
  #auth: RecordModel | null | undefined;

  /** The request that caused the event; an internal one for code, the CLI and system work. */
  abstract readonly request: RecordRequest | undefined;

  /** The signed-in auth record of the request, or null (a guest, or the app's own code). */
  get auth(): RecordModel | null {
    this.#auth ??= authRecordOf(this.request);
    return this.#auth;
  }

  get isSuperuser(): boolean {
    return isSuperuser(this.request?.auth);
  }
}

/**
 * What every event about one record tells a handler (APP-LOGIC.md §2): the app, the record
 * and its collection, who asks and through what. `R` types the record's values (types only,
 * see CollectionRecords).
 */
export abstract class RecordEventBase<R = UntypedValues> extends ActorEvent implements TaggedEvent {
  constructor(
    /** The app. Inside the write transaction, its reads and writes join that transaction. */
    readonly app: App,
    readonly record: RecordModel<R>,
    readonly request: RecordRequest | undefined,
  ) {
    super();
  }

  get collection(): Collection {
    return this.record.collection;
  }

  /** The `@request` object that rules see for this request. */
  requestInfo(): RuleRequest | undefined {
    return this.request ? toRuleRequest(this.request) : undefined;
  }

  tags(): readonly string[] {
    return collectionTags(this.record.collection);
  }
}

/**
 * A record write: onRecordValidate, onRecordCreate, onRecordUpdate, onRecordDelete (inside
 * the write transaction) and the onRecordAfter*Success hooks (after its commit).
 */
export class RecordEvent<R = UntypedValues> extends RecordEventBase<R> {
  constructor(
    app: App,
    record: RecordModel<R>,
    request: RecordRequest | undefined,
    private readonly scope: TxScope,
    /** Where the write comes from. */
    readonly source: WriteSource,
  ) {
    super(app, record, request);
  }

  /** The record as it was stored before this write (a copy of `record` for a create). */
  get original(): RecordModel<R> {
    return this.record.original();
  }

  /** Which attempt of the transaction this is (1, then 2... when the engine asked for a retry). */
  get attempt(): number {
    return this.scope.attempt;
  }

  /**
   * Runs `fn` once after the outermost transaction committed; never when it rolls back or
   * for an attempt that is retried. Its errors are logged.
   */
  afterCommit(fn: AfterCommit): void {
    this.scope.afterCommit(fn);
  }
}

/**
 * One record about to be sent (REST, realtime, expand, batch, auth answers): `record.set` of
 * a field replaces its value in the JSON, of another name adds custom data; `hide(...)`
 * removes fields, `unhide(...)` shows hidden ones.
 */
export class RecordEnrichEvent<R = UntypedValues> extends RecordEventBase<R> {
  readonly hidden = new Set<string>();
  readonly unhidden = new Set<string>();

  hide(...names: string[]): void {
    for (const name of names) {
      this.hidden.add(name);
      this.unhidden.delete(name);
    }
  }

  unhide(...names: string[]): void {
    for (const name of names) {
      this.unhidden.add(name);
      this.hidden.delete(name);
    }
  }
}
