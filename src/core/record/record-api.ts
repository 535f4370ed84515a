import type { App } from '../app.js';
import { ApiError } from '../errors.js';
import { listResult, type ListResult } from '../list/list-params.js';
import type { FilterParams } from '../rules/rule-compiler.js';
import { deleteRecord } from './record-delete.js';
import { listRecords } from './record-list.js';
import type { RecordJson } from './record-model.js';
import { renderRecords } from './record-render.js';
import { trustedRequest } from './record-trusted.js';
import { viewRecord } from './record-view.js';
import { createRecord, updateRecord } from './record-write.js';

export type { RecordJson } from './record-model.js';

/**
 * The data of a create or update: the same keys as a REST request body, modifiers included
 * (`field+`, `+field`, `field-`), e.g. `{ title: 'x', 'stock-': 1 }`.
 */
export type RecordData = Readonly<Record<string, unknown>>;

/** What `list` reads: as the REST list's query params, with `{:name}` values in `params`. */
export interface RecordListOptions {
  /** A filter in the rule language; its `{:name}` placeholders take their values from `params`. */
  readonly filter?: string;
  /** As the REST `sort` param, e.g. `-created,title`. */
  readonly sort?: string;
  /** 1 when omitted. */
  readonly page?: number;
  /** 30 when omitted, at most 1000. */
  readonly perPage?: number;
  /** The values of the filter's `{:name}` placeholders, bound as parameters. */
  readonly params?: FilterParams;
  /** Leaves the count out (`totalItems` and `totalPages` are -1). */
  readonly skipTotal?: boolean;
}

/** Options of a write from code. */
export interface RecordWriteOptions {
  /**
   * An If-Match precondition, e.g. a client's header forwarded by a custom route: the write
   * happens only if the record's current ETag is listed (or `*`), else ApiError 412.
   */
  readonly ifMatch?: string | undefined;
}

/**
 * Records of one collection for the app's own code (hooks, routes, jobs): collection rules
 * are bypassed and the records read as a superuser reads them (hidden fields included).
 * Inside `app.transaction(...)` every call joins that transaction. Writes go through the same
 * save path as REST (validation, modifiers, events after commit). Errors are the REST ones:
 * an unknown collection or record is an ApiError 404, invalid data a 400 with field errors.
 */
export interface RecordsApi {
  /** The record with this id; 404 when there is none. */
  getOne(id: string): Promise<RecordJson>;
  /**
   * The first record matching `filter` (rule language, `{:name}` placeholders bound from
   * `params`); 404 when none matches.
   */
  getFirst(filter: string, params?: FilterParams): Promise<RecordJson>;
  /** A page of records, as the REST list answers it. */
  list(options?: RecordListOptions): Promise<ListResult<RecordJson>>;
  /** Creates a record from REST-style data and returns it. */
  create(data: RecordData): Promise<RecordJson>;
  /** Updates a record with REST-style data (modifiers included) and returns it. */
  update(id: string, data: RecordData, options?: RecordWriteOptions): Promise<RecordJson>;
  /** Deletes a record (relations resolved as a REST delete does). */
  delete(id: string, options?: RecordWriteOptions): Promise<void>;
}

/** The records API of one collection (by id or name), see {@link RecordsApi}. */
export function recordsApi(app: App, collection: string): RecordsApi {
  const request = () => trustedRequest(app);
  const list = async (options: RecordListOptions = {}): Promise<ListResult<RecordJson>> => {
    const rr = request();
    const page = await listRecords(
      app,
      collection,
      {
        filter: options.filter,
        sort: options.sort,
        page: options.page,
        perPage: options.perPage,
        skipTotal: options.skipTotal === true ? 'true' : undefined,
      },
      rr,
      options.params ?? {},
    );
    const items = await renderRecords(app, page.collection, page.rows, rr, undefined);
    return listResult(items, page.window, page.total);
  };
  return {
    async getOne(id) {
      const rr = request();
      const { collection: found, row } = await viewRecord(app, collection, id, rr);
      return firstOf(await renderRecords(app, found, [row], rr, undefined));
    },
    async getFirst(filter, params) {
      const page = await list({ filter, params, perPage: 1, skipTotal: true });
      const [first] = page.items;
      if (first === undefined) throw new ApiError('not_found');
      return first;
    },
    list,
    async create(data) {
      const rr = request();
      const { collection: found, row } = await createRecord(app, collection, data, rr);
      return firstOf(await renderRecords(app, found, [row], rr, undefined));
    },
    async update(id, data, options) {
      const rr = { ...request(), ifMatch: options?.ifMatch };
      const { collection: found, row } = await updateRecord(app, collection, id, data, rr);
      return firstOf(await renderRecords(app, found, [row], rr, undefined));
    },
    async delete(id, options) {
      await deleteRecord(app, collection, id, { ...request(), ifMatch: options?.ifMatch });
    },
  };
}

function firstOf(items: readonly RecordJson[]): RecordJson {
  const [first] = items;
  if (first === undefined) throw new Error('a rendered record is missing');
  return first;
}
