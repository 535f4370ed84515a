import { JOB_STATES } from '../jobs/job-types.js';
import {
  schemaRef,
  type JsonSchema,
  type OpenApiPathItem,
} from '../../lib/openapi/openapi-model.js';
import {
  DATE_TEXT,
  FIELDS_PARAM,
  NO_CONTENT,
  SHARED,
  errors,
  mergeItems,
  okResponse,
  pathParam,
  queryParam,
  superuserItem,
} from './openapi-common.js';

const STRING: JsonSchema = { type: 'string' };

/** The schemas of a job (API.md §12) and of a page of jobs. */
export function jobSchemas(): Record<string, JsonSchema> {
  return {
    [SHARED.job]: {
      type: 'object',
      description: 'A background job (`jobAdd`, `app.enqueue`).',
      properties: {
        id: STRING,
        name: STRING,
        payload: { description: 'The JSON payload it was enqueued with.' },
        key: { type: 'string', description: 'Its deduplication key, or "".' },
        state: { type: 'string', enum: [...JOB_STATES] },
        attempts: { type: 'integer' },
        maxAttempts: { type: 'integer' },
        runAt: DATE_TEXT,
        lockedUntil: DATE_TEXT,
        lockedBy: { type: 'string', description: 'The worker running it, or "".' },
        lastError: { type: 'string', description: 'The last failed attempt\'s error, or "".' },
        created: DATE_TEXT,
        updated: DATE_TEXT,
      },
      required: [
        'id',
        'name',
        'payload',
        'key',
        'state',
        'attempts',
        'maxAttempts',
        'runAt',
        'lockedUntil',
        'lockedBy',
        'lastError',
        'created',
        'updated',
      ],
    },
    [SHARED.jobList]: {
      type: 'object',
      properties: {
        items: { type: 'array', items: schemaRef(SHARED.job) },
        page: { type: 'integer' },
        perPage: { type: 'integer' },
        totalItems: { type: 'integer', description: '-1 with skipTotal.' },
        totalPages: { type: 'integer', description: '-1 with skipTotal.' },
      },
      required: ['items', 'page', 'perPage', 'totalItems', 'totalPages'],
    },
  };
}

/** The jobs API (API.md §12, Basalt only): superusers' documents only. */
export function jobPaths(): Record<string, OpenApiPathItem> {
  const job = okResponse(schemaRef(SHARED.job), 'The job.');
  const id = pathParam('id', 'The job id.');
  return {
    '/api/jobs': superuserItem('get', {
      operationId: 'jobs.list',
      summary: 'List jobs, newest first',
      parameters: [
        queryParam('page', { type: 'integer', default: 1 }, 'The page (1 and up).'),
        queryParam('perPage', { type: 'integer', default: 30, maximum: 1000 }, 'Jobs per page.'),
        queryParam('skipTotal', { type: 'boolean' }, 'Skip the count.'),
        queryParam('state', { type: 'string', enum: [...JOB_STATES] }, 'Only jobs in this state.'),
        queryParam('name', { type: 'string', maxLength: 255 }, 'Only jobs of this name.'),
        FIELDS_PARAM,
      ],
      responses: { '200': okResponse(schemaRef(SHARED.jobList), 'A page.'), ...errors(400) },
    }),
    '/api/jobs/{id}': mergeItems(
      superuserItem('get', {
        operationId: 'jobs.view',
        summary: 'View a job',
        parameters: [id],
        responses: { '200': job, ...errors(404) },
      }),
      superuserItem('delete', {
        operationId: 'jobs.delete',
        summary: 'Delete a job (not while it runs: 400)',
        parameters: [id],
        responses: { '204': NO_CONTENT, ...errors(400, 404) },
      }),
    ),
    '/api/jobs/{id}/run': superuserItem('post', {
      operationId: 'jobs.run',
      summary: 'Run a failed or pending job now (attempts reset; running or done: 400)',
      parameters: [id],
      responses: { '200': job, ...errors(400, 404) },
    }),
  };
}
