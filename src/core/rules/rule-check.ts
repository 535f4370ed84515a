import type { SqlDialect } from '../../db/sql-dialect.js';
import type { Collection } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import { compileCondition } from './rule-compile.js';
import type { RuleRequest } from './rule-types.js';

/** A guest GET with no headers, query or body: what a rule is checked against on save. */
export const EMPTY_GUEST_REQUEST: RuleRequest = {
  context: 'default',
  method: 'GET',
  headers: {},
  query: {},
  body: {},
  auth: undefined,
};

/**
 * Compiles `rule` for `collection` with an empty guest request and returns the error message
 * (e.g. `Invalid rule: unknown field "titel" at position 0.`) when it does not parse or does
 * not resolve, or undefined when it does. The collections layer calls this when a collection
 * is saved; `findCollection` must also find the collection being saved (self-relations).
 */
export function checkRuleResolves(
  text: string,
  collection: Collection,
  findCollection: (idOrName: string) => Collection | undefined,
  dialect: SqlDialect,
): string | undefined {
  try {
    compileCondition(
      text,
      {
        main: { collection, alias: collection.name },
        request: EMPTY_GUEST_REQUEST,
        origin: 'rule',
        superuser: false,
        findCollection,
      },
      dialect,
    );
    return undefined;
  } catch (error) {
    if (error instanceof ApiError) return error.message;
    throw error;
  }
}
