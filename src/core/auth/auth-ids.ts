import type { DbAdapter, Executor } from '../../db/adapter.js';
import type { Collection } from '../collection/collection-model.js';
import { loadCollections } from '../collection/collection-store.js';

/**
 * The system table that holds every auth record id once, with the auth collection of its
 * record. Its primary key makes auth record ids unique across all auth collections (API.md
 * §1.2, PocketBase's `validation_invalid_auth_id`), also under concurrent creates: a row is
 * written in the transaction that inserts the record, so of two creates with one id in two
 * collections the second waits for the first and fails on the key (issue 15 S2).
 */
export const AUTH_IDS_TABLE = '_authIds';

/**
 * The auth collection that holds `id` (undefined when none does). For a helpful error before
 * the insert; the insert itself is what {@link claimAuthId} decides on.
 */
export async function authIdHolder(exec: Executor, id: string): Promise<string | undefined> {
  const row = await exec
    .selectFrom('_authIds')
    .select('collectionRef')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.collectionRef;
}

/**
 * Registers `id` as a record of the auth collection `collectionId`, inside the transaction
 * that inserts the record. False when another auth collection holds it (the caller fails the
 * write, which rolls the transaction back). A row left for the same collection is reused.
 */
export async function claimAuthId(
  adapter: Pick<DbAdapter, 'isUniqueViolation'>,
  exec: Executor,
  collectionId: string,
  id: string,
): Promise<boolean> {
  const holder = await authIdHolder(exec, id);
  if (holder !== undefined) return holder === collectionId;
  try {
    await exec.insertInto('_authIds').values({ id, collectionRef: collectionId }).execute();
    return true;
  } catch (error) {
    // A concurrent create in another collection committed the id first.
    if (adapter.isUniqueViolation(error)) return false;
    throw error;
  }
}

/**
 * Releases the ids of one auth record (when `recordId` is given) or of a whole auth
 * collection, in the transaction of the delete.
 */
export async function releaseAuthIds(
  exec: Executor,
  collectionId: string,
  recordId?: string,
): Promise<void> {
  let query = exec.deleteFrom('_authIds').where('collectionRef', '=', collectionId);
  if (recordId !== undefined) query = query.where('id', '=', recordId);
  await query.execute();
}

/**
 * Creates `_authIds` and registers the ids of the auth records already stored, oldest
 * collection first: when two collections share an id (written before the table existed), the
 * older collection's record keeps it and the other can no longer sign in as a record of the
 * older one's collection (the rule compiler also checks the collection).
 */
export async function createAuthIdsTable(adapter: DbAdapter, exec: Executor): Promise<void> {
  await adapter.createTable(exec, AUTH_IDS_TABLE, [
    { name: 'id', kind: 'primaryKey' },
    { name: 'collectionRef', kind: 'text' },
  ]);
  const auth = (await loadCollections(exec))
    .filter((c: Collection) => c.type === 'auth')
    .sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : 0));
  for (const collection of auth) {
    await exec
      .insertInto('_authIds')
      .columns(['id', 'collectionRef'])
      .expression((eb) =>
        eb
          .selectFrom(`${collection.name} as r`)
          .select((s) => [s.ref('r.id').as('id'), s.val(collection.id).as('collectionRef')])
          .where((w) =>
            w.not(
              w.exists(w.selectFrom('_authIds as a').select('a.id').whereRef('a.id', '=', 'r.id')),
            ),
          ),
      )
      .execute();
  }
}
