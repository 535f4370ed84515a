import { sql } from 'kysely';
import type { Executor } from '../../db/adapter.js';
import { applyFieldsProjection, FieldsParamError, parseFieldsParam } from '../../lib/json/index.js';
import type { App } from '../app.js';
import { isSuperuser } from '../auth/auth-context.js';
import type { Collection } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import { compileContextFor, ruleCondition } from '../record/record-access.js';
import type { RecordChange } from './record-change.js';
import { assertClientExpression } from '../record/record-list.js';
import type { RecordRequest } from '../record/record-request.js';
import { toRuleRequest } from '../record/record-request.js';
import { renderRecords } from '../record/record-render.js';
import { compileCondition } from '../rules/rule-compile.js';
import { constantValue } from '../rules/rule-constant.js';
import type { CompiledCondition } from '../rules/rule-types.js';
import { encodeFrame } from './realtime-client.js';
import type { SubscriberGroup, SubscriberGroups } from './realtime-groups.js';
import { recordTopicOf, type TopicOptions } from './realtime-topic.js';

/** One encoded message and the group of clients it goes to. */
export interface Delivery {
  readonly group: SubscriberGroup;
  readonly frame: Buffer;
}

/**
 * The groups a change of `id` in `collection` concerns (API.md §5.3): `coll/*`, bare `coll`
 * and `coll/ID`, where `coll` is the collection's exact name or id.
 */
function groupsFor(
  groups: SubscriberGroups,
  collection: Collection,
  id: string,
): SubscriberGroup[] {
  const out: SubscriberGroup[] = [];
  const names =
    collection.name === collection.id ? [collection.name] : [collection.name, collection.id];
  for (const name of names)
    for (const topic of [`${name}/*`, name, `${name}/${id}`]) out.push(...groups.of(topic));
  return out;
}

/** The rule and the client's filter as conditions; undefined when one fails to compile. */
function accessConditions(
  app: App,
  collection: Collection,
  rule: string,
  filter: string | undefined,
  request: RecordRequest,
): CompiledCondition[] | undefined {
  const superuser = isSuperuser(request.auth);
  const ruleRequest = toRuleRequest(request);
  const parts: CompiledCondition[] = [];
  try {
    const ruleCond = superuser
      ? undefined
      : ruleCondition(app, collection, collection.name, rule, ruleRequest);
    if (ruleCond) parts.push(ruleCond);
    if (filter !== undefined && filter.trim() !== '') {
      if (!superuser) assertClientExpression(filter);
      const ctx = compileContextFor(app, collection, collection.name, ruleRequest, 'clientFilter');
      parts.push(compileCondition(filter, ctx, app.db.dialect));
    }
  } catch (error) {
    // API.md §5.5: a failing or invalid filter silently drops the event.
    if (error instanceof ApiError) return undefined;
    throw error;
  }
  return parts;
}

/**
 * Whether the stored record `id` passes the topic's rule and the client's filter (API.md
 * §5.5), with the rule compiler of the REST API; conditions known before the query (a ""
 * rule, `@request.auth.id != ''`) need no query.
 */
async function mayReceive(
  app: App,
  exec: Executor,
  collection: Collection,
  id: string,
  rule: string,
  options: TopicOptions,
  request: RecordRequest,
): Promise<boolean> {
  const parts = accessConditions(app, collection, rule, options.query.filter, request);
  if (!parts) return false;
  const open: CompiledCondition[] = [];
  for (const part of parts) {
    const known = constantValue(part);
    if (known === false) return false;
    if (known === undefined) open.push(part);
  }
  if (open.length === 0) return true;
  let query = exec
    .selectFrom(collection.name)
    .select(sql<number>`1`.as('one'))
    .where(sql.ref(`${collection.name}.id`), '=', id);
  for (const part of open) query = query.where(part);
  return (await query.executeTakeFirst()) !== undefined;
}

/** The record as the group sees it: visibility and expand as the REST view, then `fields`. */
async function recordFor(
  app: App,
  exec: Executor,
  change: RecordChange,
  options: TopicOptions,
  request: RecordRequest,
): Promise<unknown> {
  const [json] = await renderRecords(
    app,
    change.collection,
    [change.row],
    request,
    options.query.expand,
    exec,
  );
  const fields = options.query.fields;
  if (fields === undefined || fields.trim() === '') return json;
  return applyFieldsProjection(json, parseFieldsParam(fields));
}

/** The message of a change for one group, or undefined when the group may not see it. */
async function messageFor(
  app: App,
  exec: Executor,
  group: SubscriberGroup,
  change: RecordChange,
): Promise<Buffer | undefined> {
  const { subscription } = group;
  const options = subscription.options;
  const target = recordTopicOf(subscription.topic);
  if (!options || !target) return undefined;
  const { collection } = change;
  const rule = target.recordId === undefined ? collection.listRule : collection.viewRule;
  if (rule === null && !isSuperuser(group.auth)) return undefined;
  const request: RecordRequest = {
    auth: group.auth,
    method: 'GET',
    headers: options.headers,
    query: options.query,
    context: 'realtime',
  };
  const id = String(change.row.id);
  if (!(await mayReceive(app, exec, collection, id, rule ?? '', options, request)))
    return undefined;
  const record = await recordFor(app, exec, change, options, request);
  return encodeFrame(subscription.raw, { record, action: change.action });
}

/**
 * The messages of one record change, one per subscriber group allowed to see it: each
 * group's rule query and serialization run once for all its clients. `exec` reads the
 * database: the root handle after commit, the transaction before a delete. A group whose
 * options cannot be applied (an invalid `fields`) gets nothing; the error is logged.
 */
export async function recordDeliveries(
  app: App,
  exec: Executor,
  groups: SubscriberGroups,
  change: RecordChange,
): Promise<Delivery[]> {
  const out: Delivery[] = [];
  for (const group of groupsFor(groups, change.collection, String(change.row.id))) {
    try {
      const frame = await messageFor(app, exec, group, change);
      if (frame) out.push({ group, frame });
    } catch (error) {
      // An invalid `fields` option is the client's mistake; anything else is logged as a failure.
      if (error instanceof FieldsParamError)
        app.logger.debug({ topic: group.subscription.topic }, 'realtime: invalid fields option');
      else app.logger.error({ err: error }, 'realtime: a record message failed');
    }
  }
  return out;
}
