import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import type { ColumnInfo, Executor } from '../../db/adapter.js';
import type { TxScope } from '../../db/transaction.js';
import { nowDateTime } from '../../lib/datetime.js';
import { checkViewQuery, parseViewQuery, referencedTables } from '../../lib/sql/view-query.js';
import type { App } from '../app.js';
import { ApiError, type ErrorCode, type ErrorData } from '../errors.js';
import { ErrorCollector, fieldError } from '../validation-errors.js';
import type { Collection, ViewCollection } from './collection-model.js';
import { ruleChecker } from './collection-rule-check.js';
import { loadCollections, updateCollection as updateCollectionRow } from './collection-store.js';
import { checkRules } from './collection-validate.js';
import { inferViewFields } from './view-fields.js';

/** A view collection that cannot be built: its field errors, and a sentence saying why. */
export class ViewBuildError extends Error {
  constructor(
    readonly view: ViewCollection,
    readonly data: ErrorData,
    message: string,
  ) {
    super(message);
  }
}

/** How much of an engine's error message a view error quotes. */
const MAX_ENGINE_MESSAGE = 500;
/** How many rows of a built view are read to check that their ids are set and distinct. */
const SAMPLE_SIZE = 10;

function queryError(view: ViewCollection, problem: string): ViewBuildError {
  const text = `Invalid query - ${problem}`;
  return new ViewBuildError(
    view,
    { viewQuery: fieldError('validation_invalid_view_query', {}, text) },
    problem,
  );
}

/** Runs `step`; an error of the query (not of the database being away) becomes a ViewBuildError. */
async function asQueryProblem<T>(
  app: App,
  view: ViewCollection,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (app.db.isUnavailable(error) || !(error instanceof Error)) throw error;
    throw queryError(view, error.message.slice(0, MAX_ENGINE_MESSAGE));
  }
}

/** Reads a few rows of the new view: every id must be set and unique (PocketBase's check). */
async function checkSampleIds(app: App, exec: Executor, view: ViewCollection): Promise<void> {
  const rows = await asQueryProblem(app, view, () =>
    exec
      .selectFrom(view.name)
      .select(sql<string | number | null>`${sql.ref('id')}`.as('id'))
      .limit(SAMPLE_SIZE)
      .execute(),
  );
  const ids = rows.map((r) => (r.id === null ? '' : String(r.id)));
  if (ids.some((id) => id === '')) {
    throw queryError(view, 'The query could return records with empty or invalid ids.');
  }
  if (new Set(ids).size !== ids.length) {
    throw queryError(view, 'The query could return records with non-unique ids.');
  }
}

/**
 * Creates the SQL view of a view collection in `exec` (its name must be free) and returns the
 * collection with the fields inferred from the query's columns and the `collections` it reads.
 * Throws a ViewBuildError when the query is not one read-only SELECT, does not run, has no
 * `id` column, or gives a column that cannot be a field.
 */
export async function buildView(
  app: App,
  exec: Executor,
  view: ViewCollection,
  collections: readonly Collection[],
): Promise<ViewCollection> {
  const checked = checkViewQuery(view.viewQuery);
  if (!checked.ok) throw queryError(view, checked.problem);
  const columns: ColumnInfo[] = await asQueryProblem(app, view, () =>
    app.db.createView(exec, view.name, checked.sql, ['id']),
  );
  if (!columns.some((c) => c.name === 'id')) {
    throw queryError(
      view,
      "Missing required id column (you can use `(ROW_NUMBER() OVER()) as id` if you don't have one).",
    );
  }
  const names = columns.map((c) => c.name);
  const inferred = inferViewFields(names, parseViewQuery(checked.sql), collections);
  if ('problem' in inferred) throw queryError(view, inferred.problem);
  await checkSampleIds(app, exec, view);
  return { ...view, fields: inferred.fields };
}

const isView = (c: Collection): c is ViewCollection => c.type === 'view';

/** The tables a view's query reads; none when it does not even parse (it fails to build then). */
function readsFrom(view: ViewCollection): string[] {
  const checked = checkViewQuery(view.viewQuery);
  return checked.ok ? referencedTables(checked.sql).map((t) => t.toLowerCase()) : [];
}

/** The view collections, each after the views its query reads (stored order otherwise). */
export function viewsInDependencyOrder(collections: readonly Collection[]): ViewCollection[] {
  const views = collections.filter(isView);
  const byName = new Map(views.map((v) => [v.name.toLowerCase(), v]));
  const visited = new Set<string>();
  const ordered: ViewCollection[] = [];
  const visit = (view: ViewCollection): void => {
    if (visited.has(view.id)) return;
    visited.add(view.id);
    for (const table of readsFrom(view)) {
      const dependency = byName.get(table);
      if (dependency) visit(dependency);
    }
    ordered.push(view);
  };
  views.forEach(visit);
  return ordered;
}

/** Drops the SQL views of the view collections stored in `exec`, readers before what they read. */
async function dropViews(app: App, exec: Executor): Promise<void> {
  const views = viewsInDependencyOrder(await loadCollections(exec));
  for (const view of views.toReversed()) await app.db.dropView(exec, view.name);
}

/**
 * Builds the SQL view of every view collection stored in `exec` again, in dependency order,
 * and stores each one's fields where they changed; each view's rules must still resolve
 * against its fields.
 */
async function buildViews(app: App, exec: Executor): Promise<void> {
  let collections = await loadCollections(exec);
  for (const view of viewsInDependencyOrder(collections)) {
    const built = await buildView(app, exec, view, collections);
    const errors = new ErrorCollector();
    const ctx = { existing: collections, trusted: true, checkRule: ruleChecker(app, collections) };
    checkRules({ ctx, errors }, built);
    if (errors.hasErrors) {
      throw new ViewBuildError(view, errors.data, 'Its rules use fields the view no longer has.');
    }
    if (!isDeepStrictEqual(built.fields, view.fields)) {
      const saved = { ...built, updated: nowDateTime() };
      await updateCollectionRow(exec, saved);
      collections = collections.map((c) => (c.id === saved.id ? saved : c));
    }
  }
}

/** The ApiError of a ViewBuildError (other errors as they are); see rebuildingViews. */
export function viewBuildRefusal(
  error: unknown,
  failCode: ErrorCode,
  isSubject: (viewId: string) => boolean,
): unknown {
  if (!(error instanceof ViewBuildError)) return error;
  if (isSubject(error.view.id)) return new ApiError(failCode, error.data);
  return new ApiError(
    failCode,
    {},
    `The view collection "${error.view.name}" reads this collection and would break: ${error.message}`,
  );
}

const rebuilding = new WeakSet<TxScope>();

/**
 * Runs a collection change with the SQL views out of its way: they are dropped first (a table
 * under a view cannot be altered on every engine) and built again from their queries once
 * `change` is done, in the same transaction, so that a change that breaks a view fails whole
 * with a ViewBuildError. Changes nested in the same scope (an import) share one rebuild.
 */
export async function withViewsRebuilt<T>(
  app: App,
  scope: TxScope,
  change: () => Promise<T>,
): Promise<T> {
  if (rebuilding.has(scope)) return change();
  rebuilding.add(scope);
  try {
    await dropViews(app, scope.db);
    const result = await change();
    await buildViews(app, scope.db);
    return result;
  } finally {
    rebuilding.delete(scope);
  }
}
