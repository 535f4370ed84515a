import type { App } from '../core/app.js';
import type { AppHooks } from '../core/hooks/app-hooks.js';
import {
  RecordRequestEvent,
  type RecordRequestAction,
  type RecordRequestQuery,
} from '../core/hooks/request-events.js';
import type { RecordRequest } from '../core/record/record-request.js';

const HOOKS = {
  list: 'onRecordsListRequest',
  view: 'onRecordViewRequest',
  create: 'onRecordCreateRequest',
  update: 'onRecordUpdateRequest',
  delete: 'onRecordDeleteRequest',
} as const satisfies Record<RecordRequestAction, keyof AppHooks>;

/** A records API request as its action runs it: possibly changed by the request hook's handlers. */
export interface RecordRequestInput {
  readonly query: RecordRequestQuery;
  readonly body: unknown;
}

/**
 * Runs a records API action inside its request hook (APP-LOGIC.md §2): handlers run before
 * the action's rules and may change the query and body it reads, and the response after
 * `e.next()`. For an unknown collection, or with no handler bound, the action runs alone
 * (it answers the 404 itself).
 */
export async function runRecordRequest(
  app: App,
  action: RecordRequestAction,
  idOrName: string,
  request: RecordRequest,
  input: { id?: string; query: RecordRequestQuery; body?: unknown },
  run: (input: RecordRequestInput) => Promise<unknown>,
): Promise<unknown> {
  const hook = app.hooks[HOOKS[action]];
  const collection = hook.length === 0 ? undefined : app.collections.find(idOrName);
  if (!collection) return run({ query: input.query, body: input.body });
  const event = new RecordRequestEvent(
    app,
    action,
    collection,
    request,
    input.id,
    { ...input.query },
    input.body,
  );
  await hook.trigger(event, async (e) => {
    e.response = await run({ query: e.query, body: e.body });
  });
  return event.response;
}
