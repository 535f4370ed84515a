import { sql } from 'kysely';
import type { IdentifierOperand } from '../../lib/filter/index.js';
import { isMultiValue, type Field } from '../field/field-model.js';
import type { Compiler } from './rule-compiler.js';
import { boundRelationHop } from './rule-joins.js';
import { modifierNotApplicable, type Modifier } from './rule-modifiers.js';
import { jsValueOperand, literalOperand, NULL_OPERAND, type Resolved } from './rule-operand.js';
import {
  listFieldValue,
  listItems,
  lookup,
  NOT_FOUND,
  relationIds,
  staticValue,
  type Lookup,
} from './rule-request-values.js';
import { isListField } from './rule-resolve-column.js';
import { walkPath } from './rule-resolve-field.js';
import type { JoinScope } from './rule-scope.js';

/** A schema field's value in the request (`@request.body.f` or `@request.auth.f`). */
export interface RequestField {
  /** `@request.body` or `@request.auth`: where the value comes from, for join keys. */
  readonly source: string;
  readonly field: Field;
  readonly found: boolean;
  readonly value: unknown;
}

/**
 * `:each` / `:length` on a request value (API.md §2.3): only for select/file/relation fields
 * (400 otherwise). `:length` is the item count; `:each` on a multi field joins one row per item
 * of the bound list and is multi-valued, on a single field it is the value itself.
 */
export function requestListModifier(
  c: Compiler,
  scope: JoinScope,
  operand: IdentifierOperand,
  modifier: 'each' | 'length',
  value: RequestField,
): Resolved {
  const { field } = value;
  if (!isListField(field)) throw modifierNotApplicable(c, operand, modifier);
  const items = listItems(value.value);
  if (modifier === 'length') return literalOperand(c.dialect, items.length);
  if (!isMultiValue(field)) return jsValueOperand(c.dialect, listFieldValue(field, items));
  const json = sql.val(JSON.stringify(items));
  const { alias } = scope.join(`${value.source}.${field.name}:each`, (a) => ({
    source: c.dialect.jsonEach(json, a),
  }));
  return { expr: sql.ref(`${alias}.value`), multi: true, type: 'text' };
}

function nested(value: RequestField, path: readonly string[]): Lookup {
  const { field } = value;
  if (!value.found || (field.type !== 'json' && field.type !== 'geoPoint')) return NOT_FOUND;
  return lookup(value.value, path);
}

/**
 * A path below a request field: through a relation to the records with the submitted (or the
 * authenticated record's) ids, or inside a json/geoPoint value. Anything else is NULL.
 */
export function requestFieldPath(
  c: Compiler,
  scope: JoinScope,
  operand: IdentifierOperand,
  modifier: Modifier | undefined,
  value: RequestField,
  path: readonly string[],
): Resolved {
  const { field } = value;
  if (field.type !== 'relation') return staticValue(c, operand, modifier, nested(value, path));
  const ids = relationIds(value.value);
  const cursor = boundRelationHop(c, scope, value.source, field, ids, operand.pos);
  if (cursor === undefined)
    return modifier === 'isset' ? literalOperand(c.dialect, false) : NULL_OPERAND;
  return walkPath(c, scope, cursor, path, modifier, operand);
}
