import { FilterSyntaxError, parseSort } from '../../lib/filter/index.js';
import type { App } from '../app.js';
import { ApiError } from '../errors.js';
import { listResult, pageWindow, type ListParams, type ListResult } from '../list/list-params.js';
import { collectionToJson } from './collection-json.js';
import type { RuleRequest } from '../rules/rule-types.js';
import { filterCollectionIds } from './collection-list-filter.js';
import type { Collection } from './collection-model.js';

const SORTABLE = ['id', 'created', 'updated', 'name', 'system', 'type'] as const;
type SortKey = (typeof SORTABLE)[number];

function isSortKey(name: string): name is SortKey {
  return (SORTABLE as readonly string[]).includes(name);
}

function comparator(
  sort: string | undefined,
): ((a: Collection, b: Collection) => number) | undefined {
  if (!sort || sort.trim() === '') return undefined;
  let fields;
  try {
    fields = parseSort(sort);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw new ApiError('bad_request');
    throw error;
  }
  const keys = fields.map((f) => {
    if (!isSortKey(f.field)) throw new ApiError('bad_request');
    return { key: f.field, sign: f.direction === 'desc' ? -1 : 1 };
  });
  return (a, b) => {
    for (const { key, sign } of keys) {
      const x = String(a[key]);
      const y = String(b[key]);
      if (x !== y) return x < y ? -sign : sign;
    }
    return 0;
  };
}

/**
 * Lists collections (API.md §3.5) with paging, and filtering and sorting on id, created,
 * updated, name, system and type.
 */
export async function listCollections(
  app: App,
  params: ListParams,
  request: RuleRequest,
): Promise<ListResult<Record<string, unknown>>> {
  const window = pageWindow(params);
  let all = app.collections.all();
  if (params.filter !== undefined && params.filter.trim() !== '') {
    const ids = await filterCollectionIds(app, params.filter, request);
    all = all.filter((c) => ids.has(c.id));
  }
  const compare = comparator(params.sort);
  if (compare) all.sort(compare);
  const start = (window.page - 1) * window.perPage;
  const items = all.slice(start, start + window.perPage).map(collectionToJson);
  return listResult(items, window, all.length);
}
