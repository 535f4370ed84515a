import type { Executor } from './adapter.js';
import { readOnlyQuery } from './read-only-query.js';

/** What an immediate reader answers when the read has to wait its turn. */
export const NOT_NOW: unique symbol = Symbol('not now');

/**
 * Runs a read at once: `all` answers every row, `first` the first row or undefined; both
 * answer NOT_NOW when the connection is busy.
 */
export interface ImmediateReader {
  all(sql: string, parameters: readonly unknown[]): unknown[] | typeof NOT_NOW;
  first(sql: string, parameters: readonly unknown[]): unknown;
}

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

async function viaKysely<R>(
  exec: Executor,
  sql: string,
  parameters: readonly unknown[],
): Promise<R[]> {
  return (await exec.executeQuery<R>(readOnlyQuery(sql, parameters))).rows;
}

/**
 * Runs a SELECT given as SQL text and parameters and returns its rows: at once when the
 * engine can (see registerImmediateReader), otherwise through Kysely. The same rows either
 * way, as the driver returns them.
 */
export function selectRows<R>(
  exec: Executor,
  sql: string,
  parameters: readonly unknown[],
): Promise<R[]> {
  const rows = readers.get(exec)?.all(sql, parameters) ?? NOT_NOW;
  if (rows !== NOT_NOW) return Promise.resolve(rows as R[]);
  return viaKysely<R>(exec, sql, parameters);
}

/**
 * The first row of a SELECT, or undefined. Cheaper than selectRows for a lookup by key:
 * the immediate path steps the statement once and builds no array.
 */
export async function selectFirstRow<R>(
  exec: Executor,
  sql: string,
  parameters: readonly unknown[],
): Promise<R | undefined> {
  const reader = readers.get(exec);
  if (reader) {
    const row = reader.first(sql, parameters);
    if (row !== NOT_NOW) return row as R | undefined;
  }
  return (await viaKysely<R>(exec, sql, parameters))[0];
}
