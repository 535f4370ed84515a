import { literalKeyword, type IdentifierOperand, type Operand } from '../../lib/filter/index.js';
import { findField } from '../collection/collection-model.js';
import type { Compiler } from './rule-compiler.js';
import { mainCursor } from './rule-cursor.js';
import { resolveFunction } from './rule-functions.js';
import { macroValue } from './rule-macros.js';
import { modifierNotApplicable, modifierOf } from './rule-modifiers.js';
import { literalOperand, type Resolved } from './rule-operand.js';
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
 * Resolves one side of a comparison in `scope`: literals and macros become bound parameters,
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
  }
}
