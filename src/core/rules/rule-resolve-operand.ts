import {
  literalKeyword,
  type IdentifierOperand,
  type Operand,
  type ParamOperand,
} from '../../lib/filter/index.js';
import { findField } from '../collection/collection-model.js';
import { resolveError, type Compiler } from './rule-compiler.js';
import { mainCursor } from './rule-cursor.js';
import { resolveFunction } from './rule-functions.js';
import { macroValue } from './rule-macros.js';
import { modifierNotApplicable, modifierOf } from './rule-modifiers.js';
import { jsValueOperand, literalOperand, type Resolved } from './rule-operand.js';
import { resolveCollectionPath } from './rule-resolve-collection.js';
import { walkPath } from './rule-resolve-field.js';
import { resolveRequest } from './rule-resolve-request.js';
import type { JoinScope } from './rule-scope.js';

const KEYWORD_VALUES = { null: null, true: true, false: false } as const;

function resolveIdentifier(c: Compiler, scope: JoinScope, operand: IdentifierOperand): Resolved {
  const modifier = modifierOf(c, operand);
  const root = operand.path[0];
  if (root === '@request') return resolveRequest(c, scope, operand, modifier);
  if (root === '@collection') return resolveCollectionPath(c, scope, operand, modifier);
  const keyword = literalKeyword(operand);
  if (keyword !== undefined && findField(c.ctx.main.collection, operand.name) === undefined) {
    return literalOperand(c.dialect, KEYWORD_VALUES[keyword]);
  }
  const macro = operand.path.length === 1 ? macroValue(operand.name, c.now) : undefined;
  if (macro !== undefined) {
    if (modifier !== undefined) throw modifierNotApplicable(c, operand, modifier);
    return literalOperand(c.dialect, macro);
  }
  return walkPath(c, scope, mainCursor(c), operand.path, modifier, operand);
}

/**
 * A `{:name}` placeholder as a bound parameter: its value converted as request values are
 * (arrays and objects as JSON text, dates in the PocketBase format).
 */
function resolveParam(c: Compiler, operand: ParamOperand): Resolved {
  const params = c.params;
  if (params === undefined || !Object.hasOwn(params, operand.name)) {
    throw resolveError(c, `no value for the placeholder {:${operand.name}}`, operand.pos);
  }
  return jsValueOperand(c.dialect, params[operand.name]);
}

/**
 * Resolves one side of a comparison in `scope`: literals, placeholders and macros become bound
 * parameters,
 * `null`/`true`/`false` are literals unless a field has that name, and identifiers resolve to
 * columns, joins and request values (API.md §2.1-2.4).
 */
export function resolveOperand(c: Compiler, scope: JoinScope, operand: Operand): Resolved {
  switch (operand.kind) {
    case 'number':
    case 'text':
      return literalOperand(c.dialect, operand.value);
    case 'function':
      return resolveFunction(c, operand, (arg) => resolveOperand(c, scope, arg));
    case 'identifier':
      return resolveIdentifier(c, scope, operand);
    case 'param':
      return resolveParam(c, operand);
  }
}
