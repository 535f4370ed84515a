import { isJsonObject, type JsonObject } from '../../lib/json-merge.js';
import type { TxScope } from '../../db/transaction.js';
import type { App } from '../app.js';
import { noTimeLimit } from '../transaction-call.js';
import { ApiError, type ErrorData } from '../errors.js';
import { fieldError } from '../validation-errors.js';
import type { Collection } from './collection-model.js';
import { filesOfLeavingFields, type FieldFiles } from '../record/record-files.js';
import type { CollectionChangeSource } from '../hooks/collection-event.js';
import {
  changing,
  createCollection,
  deleteCollection,
  updateCollection,
} from './collection-service.js';
import { ViewBuildError, viewBuildRefusal, withViewsRebuilt } from './view-build.js';
import { loadCollections } from './collection-store.js';

function matchStored(item: JsonObject, stored: readonly Collection[]): Collection | undefined {
  const { id, name } = item;
  if (typeof id === 'string' && id !== '') return stored.find((c) => c.id === id);
  if (typeof name === 'string')
    return stored.find((c) => c.name.toLowerCase() === name.toLowerCase());
  return undefined;
}

/**
 * The first, relation-free form of a new collection: relation fields, indexes and rules are
 * left for the second pass, so that imported collections may reference each other in any
 * order, cycles included.
 */
function skeleton(item: JsonObject): JsonObject {
  const fields = Array.isArray(item.fields)
    ? item.fields.filter((f: unknown) => !isJsonObject(f) || f.type !== 'relation')
    : item.fields;
  const rules = {
    listRule: null,
    viewRule: null,
    createRule: null,
    updateRule: null,
    deleteRule: null,
  };
  const auth =
    item.type === 'auth'
      ? {
          authRule: '',
          manageRule: null,
          mfa: { rule: '' },
          passwordAuth: { identityFields: ['email'] },
        }
      : {};
  return { ...item, ...rules, ...auth, fields, indexes: [] };
}

/**
 * Import files often list only the custom fields; the stored system fields (id, and the auth
 * fields) are kept where the item leaves them out.
 */
function withStoredSystemFields(item: JsonObject, stored: Collection | undefined): JsonObject {
  if (!stored || !Array.isArray(item.fields)) return { ...item, id: undefined };
  const given = item.fields.filter(isJsonObject);
  const missing = stored.fields.filter(
    (f) => f.system && !given.some((g) => g.id === f.id || g.name === f.name),
  );
  const fields: unknown[] = item.fields;
  return { ...item, id: undefined, fields: [...missing, ...fields] };
}

async function applyPass(
  items: JsonObject[],
  run: (item: JsonObject, i: number) => Promise<void>,
): Promise<void> {
  const data: ErrorData = {};
  for (const [i, item] of items.entries()) {
    try {
      await run(item, i);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 400) throw error;
      data[String(i)] =
        Object.keys(error.data).length > 0
          ? error.data
          : fieldError('validation_invalid_value', {}, error.message);
      throw new ApiError('collections_import_failed', { collections: data });
    }
  }
}

/**
 * Imports collection definitions in one transaction: existing ones (matched by id, else name)
 * are updated, new ones created; with `deleteMissing`, non-system collections not in the
 * list are deleted. Any error rolls the whole import back. Each collection it creates,
 * updates or deletes runs its onCollectionAfter*Success hook after the commit (with `source`,
 * `hook` by default); a new collection is created, then updated.
 */
export function importCollections(
  app: App,
  input: unknown,
  deleteMissing: boolean,
  source: CollectionChangeSource = 'hook',
): Promise<void> {
  // One collection change: the schema gate is held alone through the commit and the reload.
  return changing(app, {}, () => importNow(app, input, deleteMissing, source));
}

async function importNow(
  app: App,
  input: unknown,
  deleteMissing: boolean,
  source: CollectionChangeSource,
): Promise<void> {
  if (!Array.isArray(input) || input.length === 0) {
    throw new ApiError('collections_import_failed', {
      collections: fieldError('validation_required'),
    });
  }
  const items = input.map((item: unknown) => (isJsonObject(item) ? item : {}));
  // Files of file fields the import drops are read before its transaction (see
  // filesOfLeavingFields) and deleted once it has committed.
  const leaving = new Map<string, FieldFiles>();
  for (const item of items) {
    const stored = matchStored(item, app.collections.all());
    if (stored) leaving.set(stored.id, await filesOfLeavingFields(app, stored, item));
  }
  const ids: string[] = [];
  await app.transaction(async (scope) => {
    ids.length = 0;
    try {
      await withViewsRebuilt(app, scope, () =>
        importPasses(app, { scope, source }, items, ids, leaving, deleteMissing),
      );
    } catch (error) {
      // A view of the import that does not build is that item's error; another one's, the import's.
      if (error instanceof ViewBuildError && ids.includes(error.view.id)) {
        const at = String(ids.indexOf(error.view.id));
        throw new ApiError('collections_import_failed', { collections: { [at]: error.data } });
      }
      throw viewBuildRefusal(error, 'collections_import_failed', () => false);
    }
  }, noTimeLimit());
}

/**
 * The two passes of an import in `scope`: every new collection created in a relation-free form
 * first, then every item applied in full as an update; `ids` receives each item's collection id.
 */
async function importPasses(
  app: App,
  change: { readonly scope: TxScope; readonly source: CollectionChangeSource },
  items: JsonObject[],
  ids: string[],
  leaving: ReadonlyMap<string, FieldFiles>,
  deleteMissing: boolean,
): Promise<void> {
  const before = await loadCollections(change.scope.db);
  await applyPass(items, async (item) => {
    const stored = matchStored(item, before);
    ids.push(stored ? stored.id : (await createCollection(app, skeleton(item), change)).id);
  });
  const created = await loadCollections(change.scope.db);
  await applyPass(items, async (item, i) => {
    const stored = created.find((c) => c.id === ids[i]);
    const id = ids[i] ?? '';
    await updateCollection(app, id, withStoredSystemFields(item, stored), {
      ...change,
      leavingFiles: leaving.get(id),
    });
  });
  if (deleteMissing) await deleteMissingCollections(app, change, new Set(ids));
}

async function deleteMissingCollections(
  app: App,
  change: { readonly scope: TxScope; readonly source: CollectionChangeSource },
  keep: ReadonlySet<string>,
): Promise<void> {
  const all = await loadCollections(change.scope.db);
  const doomed = all.filter((c) => !c.system && !keep.has(c.id));
  const doomedIds = new Set(doomed.map((c) => c.id));
  for (const c of doomed) {
    await deleteCollection(app, c.id, { ...change, alsoDeleting: doomedIds });
  }
}
