import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema-types.js';

/** The oldest MariaDB with everything the dialect uses (JSON_TABLE came in 10.6). */
const MINIMUM = { major: 10, minor: 6 };

/**
 * Checks that the server answers and is a MariaDB that Basalt supports. MySQL itself is not
 * supported yet: unique keys over long texts need MariaDB's hash keys, and the NO PAD binary
 * collation is named differently there.
 */
export async function assertSupportedServer(db: Kysely<Database>): Promise<void> {
  const result = await sql<{ version: string }>`select version() as version`.execute(db);
  const version = result.rows[0]?.version ?? '';
  const match = /^(\d+)\.(\d+)/.exec(version);
  const major = Number(match?.[1] ?? 0);
  const minor = Number(match?.[2] ?? 0);
  const recent = major > MINIMUM.major || (major === MINIMUM.major && minor >= MINIMUM.minor);
  if (!version.includes('MariaDB') || !recent) {
    throw new Error(
      `Basalt needs MariaDB ${MINIMUM.major}.${MINIMUM.minor} or later; the server is ${version}.`,
    );
  }
}
