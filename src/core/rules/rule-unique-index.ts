import {
  IndexDefinitionError,
  parseIndexDefinition,
  type IndexDefinition,
} from '../../db/index-definition.js';
import type { Collection } from '../collection/collection-model.js';

function parseOrSkip(text: string): IndexDefinition | undefined {
  try {
    return parseIndexDefinition(text);
  } catch (error) {
    // Stored indexes were validated when saved; one that no longer parses is simply not a
    // unique index for this purpose.
    if (error instanceof IndexDefinitionError) return undefined;
    throw error;
  }
}

/**
 * Whether the collection has a UNIQUE index on exactly the one column `column` (names match
 * case-insensitively, as SQLite resolves them). Such a back-relation is single-valued.
 */
export function hasSingleColumnUniqueIndex(collection: Collection, column: string): boolean {
  const name = column.toLowerCase();
  return collection.indexes.some((text) => {
    const index = parseOrSkip(text);
    return (
      index !== undefined &&
      index.unique &&
      index.columns.length === 1 &&
      index.columns[0]?.name.toLowerCase() === name
    );
  });
}
