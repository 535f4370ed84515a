import type { App } from '../../src/core/app.js';
import { hashPassword } from '../../src/lib/security/password.js';
import { newRecordId, randomString } from '../../src/lib/security/random.js';
import { newRow } from '../../src/core/record/record-defaults.js';

/**
 * Inserts an account into an auth collection directly (the records API arrives later) and
 * returns its id.
 */
export async function insertAuthRecord(
  app: App,
  collection: string,
  email: string,
  password: string,
): Promise<string> {
  const c = app.collections.findAuth(collection);
  if (!c) throw new Error(`no auth collection ${collection}`);
  const id = newRecordId();
  await app.db.db
    .insertInto(c.name)
    .values({
      ...newRow(c),
      id,
      email,
      password: await hashPassword(password),
      tokenKey: randomString(50),
    })
    .execute();
  return id;
}
