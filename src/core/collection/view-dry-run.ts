import { LOWER_ALPHANUMERIC, randomString } from '../../lib/security/random.js';
import type { App } from '../app.js';
import { ApiError } from '../errors.js';
import type { Field } from '../field/field-model.js';
import type { RecordJson } from '../record/record-model.js';
import { recordToJson } from '../record/record-json.js';
import { fieldError } from '../validation-errors.js';
import { blankCollection } from './collection-defaults.js';
import type { ViewCollection } from './collection-model.js';
import { loadCollections } from './collection-store.js';
import { buildView, ViewBuildError } from './view-build.js';

/** What a dry run of a view query shows: the fields it would give and some of its records. */
export interface DryRunResult {
  readonly fields: Field[];
  readonly sample: RecordJson[];
}

/** How many records a dry run shows. */
const SAMPLE_SIZE = 10;

/** Ends the dry run's transaction once the result is read, so that nothing of it stays. */
class DryRunDone extends Error {
  constructor(readonly result: DryRunResult) {
    super('dry run done');
  }
}

/** A throwaway view collection for `query`, under a name no collection can have. */
function draftView(query: string): ViewCollection {
  const name = `_basalt_dry_run_${randomString(10, LOWER_ALPHANUMERIC)}`;
  return { ...blankCollection(), name, type: 'view', viewQuery: query, fields: [] };
}

/**
 * `POST /api/collections/meta/dry-run-view` (superusers): builds the view of `query` in a
 * transaction that is always rolled back and answers the fields it would have and its first
 * records, or 400 naming what is wrong with the query.
 */
export async function dryRunView(app: App, query: unknown): Promise<DryRunResult> {
  if (typeof query !== 'string' || query.trim() === '') {
    throw new ApiError('validation_failed', { query: fieldError('validation_required') });
  }
  const draft = draftView(query);
  try {
    await app.transaction(async (scope) => {
      const built = await buildView(app, scope.db, draft, await loadCollections(scope.db));
      const rows = await scope.db.selectFrom(built.name).selectAll().limit(SAMPLE_SIZE).execute();
      const visibility = { showHidden: true, showEmail: true };
      throw new DryRunDone({
        fields: built.fields,
        sample: rows.map((row) => recordToJson(built, row, visibility)),
      });
    });
  } catch (error) {
    if (error instanceof DryRunDone) return error.result;
    if (error instanceof ViewBuildError) {
      throw new ApiError('bad_request', error.data, `Invalid view query: ${error.message}`);
    }
    throw error;
  }
  throw new Error('unreachable: the dry run transaction always throws');
}
