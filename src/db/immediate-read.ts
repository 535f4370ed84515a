import type { CompiledQuery } from 'kysely';
import type { Executor } from './adapter.js';

/** Runs a compiled read at once, or answers undefined when it has to wait its turn. */
export type ImmediateReader = (query: CompiledQuery) => unknown[] | undefined;

// The engines' immediate readers, by the root Kysely handle they serve.
const readers = new WeakMap<Executor, ImmediateReader>();

/**
 * Lets an engine answer reads on its root handle without Kysely's asynchronous connection
 * round trip (SQLite: when its one connection is free, the statement runs synchronously).
 * Transactions are other handles and always take the normal path.
 */
export function registerImmediateReader(root: Executor, reader: ImmediateReader): void {
  readers.set(root, reader);
}

/**
 * Runs a compiled SELECT and returns its rows: at once when the engine can (see
 * registerImmediateReader), otherwise through Kysely. The same rows either way.
 */
export async function selectRows<R>(exec: Executor, query: CompiledQuery): Promise<R[]> {
  const rows = readers.get(exec)?.(query);
  // Row objects as the driver returns them, exactly what Kysely's own path yields as R[].
  if (rows !== undefined) return rows as R[];
  return (await exec.executeQuery<R>(query)).rows;
}
