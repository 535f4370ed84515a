/**
 * Naming rules for collections and fields. Names become SQL table and column names on three
 * engines, so they are plain identifiers of at most 63 characters (PostgreSQL's limit).
 * SQL keywords (`order`, `group`, `select`, ...) are fine, as in PocketBase: every engine
 * quotes every identifier Basalt writes into SQL.
 */

import { fieldError } from '../validation-errors.js';
import type { FieldError } from '../errors.js';

/** The longest collection or field name. */
export const MAX_NAME_LENGTH = 63;

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why a name is not acceptable, or undefined when it is. */
export type NameProblem = 'format' | 'length' | 'via';

/** Checks a collection or field name against the shared rules. */
export function checkName(name: string): NameProblem | undefined {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return 'length';
  if (!NAME_RE.test(name)) return 'format';
  // `a_via_b` names a back-relation in filters and expand (PocketBase refuses it too).
  if (name.toLowerCase().includes('_via_')) return 'via';
  return undefined;
}

/** The field error of a collection or field name that breaks the shared rules, if any. */
export function nameError(name: string): FieldError | undefined {
  if (name === '') return fieldError('validation_required');
  const problem = checkName(name);
  if (problem === 'via') return fieldError('validation_found_via');
  return problem ? fieldError('validation_invalid_name') : undefined;
}
