import { sql } from 'kysely';
import type { Executor } from '../../db/adapter.js';
import { hasSingleColumnUniqueIndex } from '../collection/collection-indexes.js';
import { FilterSyntaxError, parseExpand, type ExpandNode } from '../../lib/filter/index.js';
import type { App } from '../app.js';
import { isSuperuser } from '../auth/auth-context.js';
import type { Collection } from '../collection/collection-model.js';
import type { RelationField } from '../field/relation-field.js';
import { isMultiValue } from '../field/field-model.js';
import { fromStoredValue } from '../field/field-value-store.js';
import { ruleCondition } from './record-access.js';
import type { RecordJson, RecordRow } from './record-model.js';
import { recordsToJson } from './record-output.js';
import { toRuleRequest, withContext, type RecordRequest } from './record-request.js';

/** Back-relations expand at most this many records per parent (API.md §2.5). */
const BACK_RELATION_LIMIT = 1000;

/** How one expand path segment resolves from a collection. */
interface Resolved {
  readonly target: Collection;
  /** The relation field: on the parent (forward) or on the target (back-relation). */
  readonly field: RelationField;
  readonly back: boolean;
  /** Whether each parent gets an array (multiple or non-unique back-relation) or one record. */
  readonly many: boolean;
}

function resolve(app: App, parent: Collection, name: string): Resolved | undefined {
  const forward = parent.fields.find(
    (f): f is RelationField => f.type === 'relation' && f.name === name,
  );
  if (forward) {
    const target = app.collections.findById(forward.collectionId);
    return target
      ? { target, field: forward, back: false, many: isMultiValue(forward) }
      : undefined;
  }
  const m = /^(\w+)_via_(\w+)$/.exec(name);
  const target = m ? app.collections.find(m[1] ?? '') : undefined;
  const field = target?.fields.find(
    (f): f is RelationField =>
      f.type === 'relation' && f.name === m?.[2] && f.collectionId === parent.id,
  );
  if (!target || !field) return undefined;
  const unique = !isMultiValue(field) && hasSingleColumnUniqueIndex(target, field.name);
  return { target, field, back: true, many: !unique };
}

function idsOf(field: RelationField, row: RecordRow): string[] {
  const value = fromStoredValue(field, row[field.name]);
  return Array.isArray(value) ? value.map(String) : [];
}

/** One query per level: the related rows the requester may view (viewRule, context "expand"). */
async function fetchRelated(
  app: App,
  exec: Executor,
  r: Resolved,
  parents: readonly RecordRow[],
  request: RecordRequest,
): Promise<RecordRow[]> {
  const table = r.target.name;
  const parentIds = parents.map((p) => String(p.id));
  // No parents (a level the requester could not see) means no related rows, and `IN ()`
  // is a syntax error on PostgreSQL and MariaDB.
  if (parentIds.length === 0) return [];
  const column = sql.ref(`${table}.${r.field.name}`);
  let query = exec.selectFrom(table).selectAll(table);
  if (r.back) {
    query = isMultiValue(r.field)
      ? query.where(app.db.dialect.jsonArrayOverlaps(column, parentIds))
      : query.where(column, 'in', parentIds);
    query = query.limit(BACK_RELATION_LIMIT * parents.length);
  } else {
    const ids = [...new Set(parents.flatMap((p) => idsOf(r.field, p)))];
    if (ids.length === 0) return [];
    query = query.where(sql.ref(`${table}.id`), 'in', ids);
  }
  if (!isSuperuser(request.auth)) {
    const rule = ruleCondition(
      app,
      r.target,
      table,
      r.target.viewRule ?? '',
      toRuleRequest(withContext(request, 'expand')),
    );
    if (rule) query = query.where(rule);
  }
  return query.execute();
}

function pick(byId: Map<string, RecordJson>, ids: readonly string[]): RecordJson[] {
  const out: RecordJson[] = [];
  for (const id of ids) {
    const json = byId.get(id);
    if (json) out.push(json);
  }
  return out;
}

/**
 * The related records of each parent, in order: a forward relation's stored ids, or the rows
 * that point back at the parent (at most BACK_RELATION_LIMIT, in query order). Back-relations
 * are grouped in one pass over the rows.
 */
function relatedPerParent(
  r: Resolved,
  parents: readonly RecordRow[],
  byId: Map<string, RecordJson>,
  rows: readonly RecordRow[],
): RecordJson[][] {
  if (!r.back) return parents.map((parent) => pick(byId, idsOf(r.field, parent)));
  const byParent = new Map<string, string[]>();
  for (const row of rows) {
    for (const parentId of idsOf(r.field, row)) {
      const ids = byParent.get(parentId) ?? [];
      if (ids.length < BACK_RELATION_LIMIT) ids.push(String(row.id));
      byParent.set(parentId, ids);
    }
  }
  return parents.map((parent) => pick(byId, byParent.get(String(parent.id)) ?? []));
}

/**
 * At most this many expanded records in one response, counting each time a record appears.
 * Shared records repeat at every place they are reached, so the size of the answer grows as
 * the number of relations per record raised to the depth (40 records with 5 links each, 6
 * levels: 780,000 records, 95 MB); a relation that would pass the budget is left out.
 */
export const MAX_EXPANDED_RECORDS = 100_000;

/** The expanded records one response has left (see MAX_EXPANDED_RECORDS). */
interface ExpandBudget {
  left: number;
}

async function expandLevel(
  app: App,
  exec: Executor,
  parent: Collection,
  rows: readonly RecordRow[],
  out: RecordJson[],
  nodes: readonly ExpandNode[],
  request: RecordRequest,
  /** How many times each row appears in the response. */
  copies: readonly number[],
  budget: ExpandBudget,
): Promise<void> {
  if (rows.length === 0) return;
  const expands: Record<string, unknown>[] = out.map(() => ({}));
  let resolvedAny = false;
  for (const node of nodes) {
    const r = resolve(app, parent, node.name);
    if (!r || (r.target.viewRule === null && !isSuperuser(request.auth))) continue;
    resolvedAny = true;
    const related = await fetchRelated(app, exec, r, rows, request);
    const json = await recordsToJson(app, exec, r.target, related, request);
    const byId = new Map(json.map((j) => [String(j.id), j]));
    const perParent = relatedPerParent(r, rows, byId, related).map((items) =>
      r.many ? items : items.slice(0, 1),
    );
    // How many times each related record will appear, and in all.
    const relatedCopies = new Map<string, number>();
    let total = 0;
    perParent.forEach((items, i) => {
      const times = copies[i] ?? 1;
      for (const item of items) {
        total += times;
        relatedCopies.set(String(item.id), (relatedCopies.get(String(item.id)) ?? 0) + times);
      }
    });
    if (total > budget.left) {
      app.logger.debug({ relation: node.name, records: total }, 'left out a too large expand');
      continue;
    }
    budget.left -= total;
    if (node.children.length > 0) {
      const nested = related.map((row) => relatedCopies.get(String(row.id)) ?? 0);
      await expandLevel(app, exec, r.target, related, json, node.children, request, nested, budget);
    }
    perParent.forEach((items, i) => {
      if (items.length > 0) (expands[i] ?? {})[node.name] = r.many ? items : items[0];
    });
  }
  if (!resolvedAny) return;
  out.forEach((record, i) => {
    record.expand = expands[i] ?? {};
  });
}

/**
 * Expands relations of records in place (API.md §2.5): forward and back-relations, nested up
 * to 6 levels, one query per requested relation per level, the related collections' view
 * rules applied, at most MAX_EXPANDED_RECORDS expanded records per response. Invalid expand text is logged and ignored, never an error.
 */
export async function expandRecords(
  app: App,
  exec: Executor,
  collection: Collection,
  rows: readonly RecordRow[],
  out: RecordJson[],
  expand: string | undefined,
  request: RecordRequest,
): Promise<void> {
  if (!expand || expand.trim() === '' || rows.length === 0) return;
  let nodes: ExpandNode[];
  try {
    nodes = parseExpand(expand);
  } catch (error) {
    if (!(error instanceof FilterSyntaxError)) throw error;
    app.logger.debug({ err: error }, 'ignored an invalid expand');
    return;
  }
  const copies = rows.map(() => 1);
  await expandLevel(app, exec, collection, rows, out, nodes, request, copies, {
    left: MAX_EXPANDED_RECORDS,
  });
}
