import type { DbAdapter } from '../../db/adapter.js';
import { nowDateTime } from '../../lib/datetime.js';
import { randomString } from '../../lib/security/random.js';

/** The `_params` row holding the key of record ETags. */
const ETAG_KEY_ID = 'recordEtagKey';

/** The key's length: 43 characters of 62, about 256 bits. */
const KEY_LENGTH = 43;

function keyOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed: unknown = JSON.parse(value);
  if (
    typeof parsed === 'object' &&
    parsed !== null &&
    'key' in parsed &&
    typeof parsed.key === 'string' &&
    parsed.key.length >= KEY_LENGTH
  ) {
    return parsed.key;
  }
  throw new Error(`the _params row "${ETAG_KEY_ID}" does not hold a valid key`);
}

async function readKey(db: DbAdapter): Promise<string | undefined> {
  const row = await db.db
    .selectFrom('_params')
    .select('value')
    .where('id', '=', ETAG_KEY_ID)
    .executeTakeFirst();
  return keyOf(row?.value);
}

/**
 * The app's key of record ETags (record-etag.ts), made on first start: a random secret in
 * the `_params` row `recordEtagKey`, so that every node of one database, and a copy made by
 * `migrate-data`, computes the same tags. Two nodes starting at once both try to insert it;
 * the loser's unique violation is ignored and it reads the winner's key.
 */
export async function loadRecordEtagKey(db: DbAdapter): Promise<string> {
  const stored = await readKey(db);
  if (stored !== undefined) return stored;
  const now = nowDateTime();
  const value = JSON.stringify({ key: randomString(KEY_LENGTH) });
  try {
    await db.db
      .insertInto('_params')
      .values({ id: ETAG_KEY_ID, value, created: now, updated: now })
      .execute();
  } catch (error) {
    if (!db.uniqueViolation(error)) throw error;
  }
  const key = await readKey(db);
  if (key === undefined) throw new Error(`the _params row "${ETAG_KEY_ID}" could not be made`);
  return key;
}
