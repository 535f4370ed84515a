import {
  schemaRef,
  type JsonSchema,
  type OpenApiPathItem,
} from '../../lib/openapi/openapi-model.js';
import {
  NO_CONTENT,
  SHARED,
  errors,
  okResponse,
  pathParam,
  superuserItem,
} from './openapi-common.js';

/** The schema of a cron job as `GET /api/crons` lists it. */
export function cronSchemas(): Record<string, JsonSchema> {
  return {
    [SHARED.cron]: {
      type: 'object',
      description: 'A cron job: its id and its expression (a macro shown expanded).',
      properties: {
        id: { type: 'string', examples: ['expire-orders', '__pbDBOptimize__'] },
        expression: { type: 'string', examples: ['*/5 * * * *'] },
      },
      required: ['id', 'expression'],
    },
  };
}

/** The crons API (API.md §9 "Crons"): superusers' documents only. */
export function cronPaths(): Record<string, OpenApiPathItem> {
  return {
    '/api/crons': superuserItem('get', {
      operationId: 'crons.list',
      summary: 'List the cron jobs (by id, the `__pb*` system jobs last)',
      responses: {
        '200': okResponse({ type: 'array', items: schemaRef(SHARED.cron) }, 'The cron jobs.'),
      },
    }),
    '/api/crons/{id}': superuserItem('post', {
      operationId: 'crons.run',
      summary: 'Run a cron job now, in the background (answers at once)',
      parameters: [pathParam('id', 'The cron job id.')],
      responses: { '204': NO_CONTENT, ...errors(404) },
    }),
  };
}
