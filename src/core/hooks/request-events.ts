import type { TaggedEvent } from '../../lib/hook/index.js';
import type { App } from '../app.js';
import type { Collection } from '../collection/collection-model.js';
import type { RecordModel } from '../record/record.js';
import type { RecordRequest } from '../record/record-request.js';
import { ActorEvent, collectionTags } from './record-event.js';

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
export class RecordRequestEvent extends ActorEvent implements TaggedEvent {
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

  tags(): readonly string[] {
    return collectionTags(this.collection);
  }
}

/** How a RecordAuthRequestEvent's record signs in. */
export type AuthMethodName = 'password' | 'otp' | 'oauth2' | 'refresh';

/**
 * A sign-in request. The per-method hooks (onRecordAuthWithPasswordRequest,
 * onRecordAuthWithOTPRequest, onRecordAuthWithOAuth2Request, onRecordAuthRefreshRequest) run
 * around the whole request: a handler may change `body` before `e.next()` and the response
 * after it. onRecordAuthRequest runs for every method once the credentials checked out,
 * with `record`, `token` and `meta` set: a throw refuses the sign-in, `meta` may be changed.
 */
export class RecordAuthRequestEvent extends ActorEvent implements TaggedEvent {
  /** The signed-in record, once the credentials checked out. */
  record: RecordModel | null = null;
  /** The new auth token, once the credentials checked out. */
  token = '';
  /** OAuth2's `meta` of the answer. */
  meta: Readonly<Record<string, unknown>> | undefined;
  /** What is sent, once `e.next()` returned. */
  response: unknown = null;

  constructor(
    readonly app: App,
    readonly collection: Collection,
    readonly method: AuthMethodName,
    readonly request: RecordRequest,
    /** The submitted body (identity and password, OTP, OAuth2 code...). */
    public body: unknown,
  ) {
    super();
  }

  tags(): readonly string[] {
    return collectionTags(this.collection);
  }
}

/**
 * A request that is not about one collection (onBatchRequest, onRealtimeSubscribeRequest):
 * handlers may change `body` before `e.next()` and `response` after it, or throw.
 */
export class RequestEvent extends ActorEvent {
  /** What is sent, once `e.next()` returned (null for an empty answer). */
  response: unknown = null;

  constructor(
    readonly app: App,
    readonly request: RecordRequest,
    public body: unknown,
  ) {
    super();
  }
}

/**
 * onFileDownloadRequest: a file about to be served, after the access checks. A handler may
 * change `servedName` (the download's file name) or throw to refuse.
 */
export class FileDownloadRequestEvent extends ActorEvent implements TaggedEvent {
  constructor(
    readonly app: App,
    readonly collection: Collection,
    readonly recordId: string,
    /** The stored file name (a thumb's source file for a thumb). */
    readonly fileName: string,
    /** The thumb size asked for, or ''. */
    readonly thumb: string,
    readonly request: RecordRequest,
    public servedName: string,
  ) {
    super();
  }

  tags(): readonly string[] {
    return collectionTags(this.collection);
  }
}
