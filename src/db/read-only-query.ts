import { CompiledQuery } from 'kysely';

// Compiled queries known to only read, though given as SQL text (a RawNode, which Kysely
// cannot tell from a write). A driver may send such a query before the transaction's BEGIN
// has answered (see postgres/pipelined-driver.ts).
const declaredReads = new WeakSet<CompiledQuery>();

/** A SELECT given as SQL text and parameters, marked as a query that only reads. */
export function readOnlyQuery(sql: string, parameters: readonly unknown[]): CompiledQuery {
  const query = CompiledQuery.raw(sql, [...parameters]);
  declaredReads.add(query);
  return query;
}

/**
 * Whether a query only reads: one made by readOnlyQuery, or a SELECT built with Kysely
 * without a WITH clause (which could hold a data-modifying statement). Other raw SQL counts
 * as a write.
 */
export function onlyReads(query: CompiledQuery): boolean {
  if (declaredReads.has(query)) return true;
  const node = query.query;
  return node.kind === 'SelectQueryNode' && node.with === undefined;
}
