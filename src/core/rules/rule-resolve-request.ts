import { sql } from 'kysely';
import type { IdentifierOperand } from '../../lib/filter/index.js';
import { findField } from '../collection/collection-model.js';
import type { Field } from '../field/field-model.js';
import { fieldToJson } from '../record/record-json.js';
import { resolveError, type Compiler } from './rule-compiler.js';
import { mainCursor } from './rule-cursor.js';
import { modifierNotApplicable, type Modifier } from './rule-modifiers.js';
import { jsValueOperand, literalOperand, NULL_OPERAND, type Resolved } from './rule-operand.js';
import { compareOperands } from './rule-operators.js';
import { requestFieldPath, requestListModifier, type RequestField } from './rule-request-fields.js';
import { listFieldValue, lookup, NOT_FOUND, staticValue } from './rule-request-values.js';
import { columnOperand, isListField, recordCollectionOf } from './rule-resolve-column.js';
import type { JoinScope } from './rule-scope.js';

/**
 * `@request.body.f:changed`: submitted (`:isset`) and different from the stored value
 * (`!=`, null-safe), as a boolean value.
 */
function changed(c: Compiler, scope: JoinScope, value: RequestField): Resolved {
  if (!value.found) return literalOperand(c.dialect, false);
  const submitted = jsValueOperand(c.dialect, bareValue(value.field, value.value));
  const stored = columnOperand(c, scope, mainCursor(c), value.field, undefined);
  return { expr: sql`(${compareOperands(c.dialect, submitted, '!=', stored)})`, type: 'bool' };
}

function bareValue(field: Field, value: unknown): unknown {
  return isListField(field) ? listFieldValue(field, value) : value;
}

/** A request value that is a schema field: modifiers, sub-paths and the bare value. */
function requestField(
  c: Compiler,
  scope: JoinScope,
  operand: IdentifierOperand,
  modifier: Modifier | undefined,
  value: RequestField,
  path: readonly string[],
): Resolved {
  if (path.length > 0) return requestFieldPath(c, scope, operand, modifier, value, path);
  if (modifier === 'each' || modifier === 'length') {
    return requestListModifier(c, scope, operand, modifier, value);
  }
  if (modifier === 'changed') {
    if (value.source !== '@request.body') throw modifierNotApplicable(c, operand, modifier);
    return changed(c, scope, value);
  }
  const found = { found: value.found, value: bareValue(value.field, value.value) };
  const resolved = staticValue(c, operand, modifier, found);
  if (modifier === 'isset' || value.source !== '@request.body') return resolved;
  const recordOf = recordCollectionOf(c, c.ctx.main.collection, value.field);
  return recordOf === undefined ? resolved : { ...resolved, recordOf };
}

/** `@request.body.<key>...`: a field of the main collection, or any other submitted key. */
function resolveBody(
  c: Compiler,
  scope: JoinScope,
  operand: IdentifierOperand,
  modifier: Modifier | undefined,
  key: string,
  path: readonly string[],
): Resolved {
  const body = c.ctx.request.body;
  const field = findField(c.ctx.main.collection, key);
  if (field === undefined) {
    if (modifier === 'each' || modifier === 'length' || modifier === 'changed') {
      throw modifierNotApplicable(c, operand, modifier);
    }
    return staticValue(c, operand, modifier, lookup(body, [key, ...path]));
  }
  const found = Object.hasOwn(body, key);
  const value: RequestField = { source: '@request.body', field, found, value: body[key] };
  return requestField(c, scope, operand, modifier, value, path);
}

/** `@request.auth.<field>...`: the authenticated record (all fields, hidden ones included). */
function resolveAuth(
  c: Compiler,
  scope: JoinScope,
  operand: IdentifierOperand,
  modifier: Modifier | undefined,
  key: string,
  path: readonly string[],
): Resolved {
  const auth = c.ctx.request.auth;
  if (auth === undefined)
    return modifier === 'isset' ? literalOperand(c.dialect, false) : NULL_OPERAND;
  if (path.length === 0 && (key === 'collectionId' || key === 'collectionName')) {
    const value = key === 'collectionId' ? auth.collection.id : auth.collection.name;
    return staticValue(c, operand, modifier, { found: true, value });
  }
  const field = findField(auth.collection, key);
  if (field === undefined) return staticValue(c, operand, modifier, NOT_FOUND);
  const value = fieldToJson(field, auth.record[key]);
  const authField: RequestField = { source: '@request.auth', field, found: true, value };
  const resolved = requestField(c, scope, operand, modifier, authField, path);
  // The id names the signed-in record only together with its collection (see rule-operators).
  const isId = key === 'id' && path.length === 0 && modifier !== 'isset';
  return isId ? { ...resolved, authRecordOf: auth.collection.id } : resolved;
}

/**
 * Resolves `@request.context`, `@request.method`, `@request.headers.x`, `@request.query.x`,
 * `@request.body.f...` and `@request.auth.f...` (API.md §2.2). Every value is known before the
 * query runs and is bound; only relation paths (`@request.auth.team.name`) join. A missing key
 * is NULL; any other `@request` identifier is a 400.
 */
export function resolveRequest(
  c: Compiler,
  scope: JoinScope,
  operand: IdentifierOperand,
  modifier: Modifier | undefined,
): Resolved {
  const [, section, key, ...path] = operand.path;
  const request = c.ctx.request;
  if ((section === 'context' || section === 'method') && key === undefined) {
    return staticValue(c, operand, modifier, { found: true, value: request[section] });
  }
  if (key !== undefined) {
    switch (section) {
      case 'headers':
      case 'query':
        return staticValue(c, operand, modifier, lookup(request[section], [key, ...path]));
      case 'body':
        return resolveBody(c, scope, operand, modifier, key, path);
      case 'auth':
        return resolveAuth(c, scope, operand, modifier, key, path);
    }
  }
  throw resolveError(c, `unknown field "${operand.name}"`, operand.pos);
}
