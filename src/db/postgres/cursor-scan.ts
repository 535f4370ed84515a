import { sql, type Expression } from 'kysely';
import { LOWER_ALPHANUMERIC, randomString } from '../../lib/security/random.js';
import type { Executor } from '../adapter.js';
import type { DynamicRow } from '../schema-types.js';

/**
 * Yields the rows of a SELECT `size` at a time through a server-side cursor (DECLARE /
 * FETCH) in the transaction `exec`: the result is sorted once, and never held whole by the
 * client. A scan abandoned part way leaves its cursor to the end of the transaction.
 */
export async function* scanPostgresRows(
  exec: Executor,
  query: Expression<unknown>,
  size: number,
): AsyncGenerator<DynamicRow[]> {
  const cursor = sql.id(`basalt_scan_${randomString(12, LOWER_ALPHANUMERIC)}`);
  await sql`declare ${cursor} no scroll cursor for ${query}`.execute(exec);
  for (;;) {
    const { rows } = await sql<DynamicRow>`fetch forward ${sql.lit(size)} from ${cursor}`.execute(
      exec,
    );
    if (rows.length > 0) yield rows;
    if (rows.length < size) break;
  }
  await sql`close ${cursor}`.execute(exec);
}
