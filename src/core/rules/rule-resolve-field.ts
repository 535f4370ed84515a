import type { IdentifierOperand } from '../../lib/filter/index.js';
import { findField } from '../collection/collection-model.js';
import { isMultiValue, type Field } from '../field/field-model.js';
import { isFilterHidden } from '../field/field-registry.js';
import { resolveError, type Compiler } from './rule-compiler.js';
import { MAX_RELATION_HOPS, type PathCursor } from './rule-cursor.js';
import { backRelationHop, relationHop } from './rule-joins.js';
import type { Modifier } from './rule-modifiers.js';
import { NULL_OPERAND, type Resolved } from './rule-operand.js';
import { columnOperand, jsonPathOperand } from './rule-resolve-column.js';
import type { JoinScope } from './rule-scope.js';

/**
 * An unknown (or, for restricted filters, hidden or password) field: NULL under `@request`,
 * else a 400.
 */
function missing(
  c: Compiler,
  cursor: PathCursor,
  operand: IdentifierOperand,
  segment: string,
): Resolved {
  if (cursor.nullifyMissing) return NULL_OPERAND;
  const where = operand.path.length > 1 ? ` in "${operand.name}"` : '';
  throw resolveError(c, `unknown field "${segment}"${where}`, operand.pos);
}

function visibleField(cursor: PathCursor, segment: string): Field | undefined {
  const field = findField(cursor.collection, segment);
  return field !== undefined && cursor.restricted && isFilterHidden(field) ? undefined : field;
}

/** `rel.id` on a single relation reads the stored id without a join, as PocketBase does. */
function isSingleRelationId(field: Field, rest: readonly string[]): boolean {
  return field.type === 'relation' && !isMultiValue(field) && rest.length === 1 && rest[0] === 'id';
}

function nextCursor(
  c: Compiler,
  scope: JoinScope,
  cursor: PathCursor,
  segment: string,
  operand: IdentifierOperand,
): PathCursor | undefined {
  if (cursor.hops >= MAX_RELATION_HOPS) {
    const what = `"${operand.name}" follows more than ${MAX_RELATION_HOPS} relations`;
    throw resolveError(c, what, operand.pos);
  }
  const field = visibleField(cursor, segment);
  if (field === undefined) {
    const known = findField(cursor.collection, segment) !== undefined;
    return known ? undefined : backRelationHop(c, scope, cursor, segment, operand.pos);
  }
  return field.type === 'relation' ? relationHop(c, scope, cursor, field, operand.pos) : undefined;
}

/**
 * Resolves the field path `segments` from the cursor's row (API.md §2.1): relation fields and
 * back-relations (`comments_via_post`) join the next collection, at most 6 hops; a json or
 * geoPoint field takes the rest of the path as a JSON path; the last segment is a field of the
 * row reached, read with `modifier`.
 */
export function walkPath(
  c: Compiler,
  scope: JoinScope,
  start: PathCursor,
  segments: readonly string[],
  modifier: Modifier | undefined,
  operand: IdentifierOperand,
): Resolved {
  let cursor = start;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? '';
    const rest = segments.slice(i + 1);
    const field = visibleField(cursor, segment);
    if (rest.length === 0) {
      if (field === undefined) return missing(c, cursor, operand, segment);
      return columnOperand(c, scope, cursor, field, modifier);
    }
    if (field !== undefined && (field.type === 'json' || field.type === 'geoPoint')) {
      return jsonPathOperand(c, cursor, field, rest, modifier);
    }
    if (field !== undefined && isSingleRelationId(field, rest)) {
      return columnOperand(c, scope, cursor, field, modifier);
    }
    const next = nextCursor(c, scope, cursor, segment, operand);
    if (next === undefined) return missing(c, cursor, operand, segment);
    cursor = next;
  }
  return missing(c, cursor, operand, operand.name);
}
