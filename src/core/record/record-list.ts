import { sql, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../../db/schema-types.js';
import type { App } from '../app.js';
import { isSuperuser } from '../auth/auth-context.js';
import type { Collection } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import { pageWindow, type ListParams, type PageWindow } from '../list/list-params.js';
import { compileCondition } from '../rules/rule-compile.js';
import type { FilterParams } from '../rules/rule-compiler.js';
import { compileSort } from '../rules/rule-sort.js';
import type { CompiledCondition } from '../rules/rule-types.js';
import { compileContextFor, ruleCondition } from './record-access.js';
import type { RecordRow } from './record-model.js';
import { toRuleRequest, type RecordRequest } from './record-request.js';
import { readableCollection } from './record-view.js';

/** A page of stored records and the total (undefined with skipTotal). */
export interface RecordPage {
  readonly collection: Collection;
  readonly rows: RecordRow[];
  readonly window: PageWindow;
  readonly total: number | undefined;
}

/** Non-superusers may not reach other data through @collection or @request in their own filter or sort. */
export function assertClientExpression(text: string | undefined): void {
  if (!text) return;
  if (text.includes('@collection.'))
    throw new ApiError('forbidden', {}, 'Only superusers can filter by @collection.');
  if (text.includes('@request.'))
    throw new ApiError('forbidden', {}, 'Only superusers can filter by @request.');
}

function conditions(
  app: App,
  collection: Collection,
  params: ListParams,
  request: RecordRequest,
  filterParams: FilterParams | undefined,
): CompiledCondition[] {
  const superuser = isSuperuser(request.auth);
  const ruleRequest = toRuleRequest(request);
  const out: CompiledCondition[] = [];
  if (!superuser) {
    const rule = ruleCondition(
      app,
      collection,
      collection.name,
      collection.listRule ?? '',
      ruleRequest,
    );
    if (rule) out.push(rule);
  }
  if (params.filter !== undefined && params.filter.trim() !== '') {
    const ctx = compileContextFor(app, collection, collection.name, ruleRequest, 'clientFilter');
    out.push(compileCondition(params.filter, ctx, app.db.dialect, filterParams));
  }
  return out;
}

function withConditions<O>(
  query: SelectQueryBuilder<Database, string, O>,
  parts: readonly CompiledCondition[],
): SelectQueryBuilder<Database, string, O> {
  return parts.reduce((q, c) => q.where(c), query);
}

/**
 * Lists records (API.md §1.1): the listRule acts as a filter ANDed with the client's filter,
 * sorted, paged, and counted unless skipTotal. `filterParams` binds the filter's `{:name}`
 * placeholders (filters written by code; a client's filter has none).
 */
export async function listRecords(
  app: App,
  idOrName: string,
  params: ListParams,
  request: RecordRequest,
  filterParams?: FilterParams,
): Promise<RecordPage> {
  const collection = readableCollection(app, idOrName);
  const superuser = isSuperuser(request.auth);
  if (collection.listRule === null && !superuser) throw new ApiError('superuser_only_action');
  if (!superuser) {
    assertClientExpression(params.filter);
    assertClientExpression(params.sort);
  }
  const window = pageWindow(params);
  const parts = conditions(app, collection, params, request, filterParams);
  const table = collection.name;
  let query = withConditions(app.db.db.selectFrom(table).selectAll(table), parts);
  if (params.sort !== undefined && params.sort.trim() !== '') {
    const ctx = compileContextFor(app, collection, table, toRuleRequest(request), 'clientFilter');
    for (const s of compileSort(params.sort, ctx, app.db.dialect))
      query = query.orderBy(s.expression, s.modifiers);
  }
  const rows = await query
    .limit(window.perPage)
    .offset((window.page - 1) * window.perPage)
    .execute();
  const filtered = params.filter !== undefined && params.filter.trim() !== '';
  if (rows.length === 0 && filtered && !superuser && (collection.listRule ?? '') !== '') {
    await app.emptyListGuard.onEmpty(collection.id);
  }
  let total: number | undefined;
  if (!window.skipTotal) {
    const count = await withConditions(
      app.db.db.selectFrom(table).select(sql<number | string | bigint>`count(*)`.as('n')),
      parts,
    ).executeTakeFirst();
    total = Number(count?.n ?? 0);
  }
  return { collection, rows, window, total };
}
