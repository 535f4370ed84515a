import { parseIndexDefinition, type IndexDefinition } from '../../db/index-definition.js';
import { perCollection } from './collection-memo.js';
import type { Collection } from './collection-model.js';

/**
 * The parsed index definitions of a collection, parsed once per collection version (the texts
 * were validated when the collection was saved).
 */
export const indexDefinitions = perCollection((collection): readonly IndexDefinition[] =>
  collection.indexes.map((text) => parseIndexDefinition(text)),
);

/**
 * Whether the collection has a UNIQUE index on exactly the one column `column` (names match
 * case-insensitively, as SQLite resolves them); a back-relation through it is single-valued.
 */
export function hasSingleColumnUniqueIndex(collection: Collection, column: string): boolean {
  const name = column.toLowerCase();
  return indexDefinitions(collection).some(
    (index) =>
      index.unique && index.columns.length === 1 && index.columns[0]?.name.toLowerCase() === name,
  );
}
