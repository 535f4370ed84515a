import type { App } from '../app.js';
import { checkRuleResolves } from '../rules/rule-check.js';
import type { Collection } from './collection-model.js';

/** Finds a collection by id, else by name in any case. */
export function findCollectionIn(
  collections: readonly Collection[],
  idOrName: string,
): Collection | undefined {
  const lower = idOrName.toLowerCase();
  return (
    collections.find((c) => c.id === idOrName) ??
    collections.find((c) => c.name.toLowerCase() === lower)
  );
}

/**
 * Checks rules against the collection being saved and the other collections of `existing`
 * (read in the saving transaction); returns the problem, or undefined when the rule resolves.
 */
export function ruleChecker(app: App, existing: readonly Collection[]) {
  return (rule: string, collection: Collection): string | undefined => {
    const others = existing.filter((c) => c.id !== collection.id);
    const find = (idOrName: string) => {
      const lower = idOrName.toLowerCase();
      if (collection.id === idOrName || collection.name.toLowerCase() === lower) return collection;
      return findCollectionIn(others, idOrName);
    };
    return checkRuleResolves(rule, collection, find, app.db.dialect);
  };
}
