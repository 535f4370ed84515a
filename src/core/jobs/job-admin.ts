import { formatDateTime } from '../../lib/datetime.js';
import type { App } from '../app.js';
import { ApiError } from '../errors.js';
import { listResult, pageWindow, type ListParams, type ListResult } from '../list/list-params.js';
import { deleteJobRow, listJobRows, readJob, requeueJob, type JobRow } from './job-store.js';
import { JOB_STATES, type JobState, type JsonValue } from './job-types.js';

/** A job as the superuser API shows it (dates in the PocketBase format, '' when unset). */
export interface JobJson {
  id: string;
  name: string;
  payload: JsonValue;
  key: string;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lockedUntil: string;
  lockedBy: string;
  lastError: string;
  created: string;
  updated: string;
}

const dateText = (ms: number | null): string => (ms === null ? '' : formatDateTime(new Date(ms)));

/** A stored job as JSON. */
export function jobToJson(row: JobRow): JobJson {
  return {
    id: row.id,
    name: row.name,
    payload: JSON.parse(row.payload) as JsonValue,
    key: row.key ?? '',
    state: row.state,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    runAt: dateText(row.runAt),
    lockedUntil: dateText(row.lockedUntil),
    lockedBy: row.lockedBy ?? '',
    lastError: row.lastError ?? '',
    created: dateText(row.created),
    updated: dateText(row.updated),
  };
}

/** The query of `GET /api/jobs`: a page, and optionally a state and a name. */
export interface JobListParams extends ListParams {
  readonly state?: string | undefined;
  readonly name?: string | undefined;
}

function isJobState(text: string): text is JobState {
  return JOB_STATES.some((s) => s === text);
}

function stateFilter(state: string | undefined): JobState | undefined {
  if (state === undefined || state === '') return undefined;
  if (isJobState(state)) return state;
  throw new ApiError('validation_failed', {
    state: {
      code: 'validation_invalid_value',
      message: `Must be one of: ${JOB_STATES.join(', ')}.`,
    },
  });
}

/** A page of jobs, newest first (`GET /api/jobs`); 400 for an unknown state. */
export async function listJobs(app: App, params: JobListParams): Promise<ListResult<JobJson>> {
  const state = stateFilter(params.state);
  const window = pageWindow(params);
  const name = params.name === undefined || params.name === '' ? undefined : params.name;
  const { rows, total } = await listJobRows(
    app.db.db,
    { state, name },
    {
      offset: (window.page - 1) * window.perPage,
      limit: window.perPage,
      count: !window.skipTotal,
    },
  );
  return listResult(rows.map(jobToJson), window, total);
}

async function requireJob(app: App, id: string): Promise<JobRow> {
  const row = await readJob(app.db.db, id);
  if (!row) throw new ApiError('not_found');
  return row;
}

/** One job (`GET /api/jobs/{id}`); 404 when missing. */
export async function viewJob(app: App, id: string): Promise<JobJson> {
  return jobToJson(await requireJob(app, id));
}

/**
 * Runs a job again (`POST /api/jobs/{id}/run`): a failed job becomes pending with its
 * attempts reset, a pending one due now; the workers of this process are woken. 404 when
 * missing, 400 when it is running or done.
 */
export async function rerunJob(app: App, id: string): Promise<JobJson> {
  if (!(await requeueJob(app, id))) {
    const row = await requireJob(app, id);
    throw new ApiError(
      'bad_request',
      {},
      `Only failed or pending jobs can be run; this job is ${row.state}.`,
    );
  }
  app.jobs.wake();
  return jobToJson(await requireJob(app, id));
}

/** Deletes a job (`DELETE /api/jobs/{id}`); 404 when missing, 400 while it runs. */
export async function deleteJob(app: App, id: string): Promise<void> {
  if (await deleteJobRow(app, id)) return;
  await requireJob(app, id);
  throw new ApiError('bad_request', {}, 'A running job cannot be deleted.');
}
