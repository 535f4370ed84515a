import { HookEvent, type TaggedEvent } from '../../lib/hook/index.js';
import type { App } from '../app.js';
import { isSuperuser } from '../auth/auth-context.js';
import type { Collection } from '../collection/collection-model.js';
import type { RecordModel } from '../record/record.js';
import type { RecordRequest } from '../record/record-request.js';
import { authRecordOf, collectionTags } from './record-event.js';

/** The query parameters a records API action reads (list: all; view, create, update: expand). */
export interface RecordRequestQuery {
  page?: number | undefined;
  perPage?: number | undefined;
  sort?: string | undefined;
  filter?: string | undefined;
  skipTotal?: string | undefined;
  expand?: string | undefined;
}

/** Which records API action a RecordRequestEvent is about. */
export type RecordRequestAction = 'list' | 'view' | 'create' | 'update' | 'delete';

/**
 * A records API request (onRecordsListRequest, onRecordViewRequest, onRecordCreateRequest,
 * onRecordUpdateRequest, onRecordDeleteRequest), around the action and before its rules:
 * handlers may change `query` and `body` before `e.next()` (which runs the action) and
 * `response` after it, or throw an ApiError to answer instead.
 */
export class RecordRequestEvent extends HookEvent implements TaggedEvent {
  #auth: RecordModel | null | undefined;
  /** What is sent: the list result or the record JSON once `e.next()` returned (delete: null). */
  response: unknown = null;

  constructor(
    readonly app: App,
    readonly action: RecordRequestAction,
    readonly collection: Collection,
    readonly request: RecordRequest,
    /** The record id (view, update, delete). */
    readonly id: string | undefined,
    /** The query parameters the action reads; a handler may change them before `e.next()`. */
    public query: RecordRequestQuery,
    /** The submitted body (create, update); uploaded files are not part of it. */
    public body: unknown,
  ) {
    super();
  }

  get auth(): RecordModel | null {
    this.#auth ??= authRecordOf(this.request);
    return this.#auth;
  }

  get isSuperuser(): boolean {
    return isSuperuser(this.request.auth);
  }

  tags(): readonly string[] {
    return collectionTags(this.collection);
  }
}
