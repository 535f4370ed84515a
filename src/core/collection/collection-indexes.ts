import { parseIndexDefinition, type IndexDefinition } from '../../db/index-definition.js';
import type { Collection } from './collection-model.js';

// Parsed once per collection version; the texts were validated when the collection was saved.
const parsed = new WeakMap<Collection, readonly IndexDefinition[]>();

/** The parsed index definitions of a collection. */
export function indexDefinitions(collection: Collection): readonly IndexDefinition[] {
  let defs = parsed.get(collection);
  if (!defs) {
    defs = collection.indexes.map((text) => parseIndexDefinition(text));
    parsed.set(collection, defs);
  }
  return defs;
}

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
