import type { Collection } from '../collection/collection-model.js';
import { isRestricted, type Compiler } from './rule-compiler.js';

/** Relation hops a path may take (API.md §2.1: `rel.field` auto-joins, at most 6 hops). */
export const MAX_RELATION_HOPS = 6;

/**
 * A row that an identifier path has reached: the main record, a joined record or an
 * `@collection` row, with what the rest of the path needs to know about it.
 */
export interface PathCursor {
  readonly collection: Collection;
  /** The SQL alias of the row. */
  readonly alias: string;
  /** Identifies the path so far; equal paths share their joins. */
  readonly key: string;
  /** The path went through a multi-valued join, so the row is one of several items. */
  readonly multi: boolean;
  /** Relation hops taken so far. */
  readonly hops: number;
  /**
   * Hidden fields are unknown and an auth `email` needs `emailVisibility` (paths from the main
   * record in restricted client filters; `@collection` and `@request` paths are exempt).
   */
  readonly restricted: boolean;
  /** A missing field resolves to NULL instead of failing (paths under `@request`). */
  readonly nullifyMissing: boolean;
  /** The row is the main record, whose `id` is never empty. */
  readonly mainRow: boolean;
}

/** The cursor of the record the condition is evaluated against. */
export function mainCursor(c: Compiler): PathCursor {
  return {
    collection: c.ctx.main.collection,
    alias: c.ctx.main.alias,
    key: 'main',
    multi: false,
    hops: 0,
    restricted: isRestricted(c),
    nullifyMissing: false,
    mainRow: true,
  };
}
