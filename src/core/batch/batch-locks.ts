import { sql } from 'kysely';
import type { TxScope } from '../../db/transaction.js';
import type { App } from '../app.js';
import { bodyId, recordsUrl, type BatchItem } from './batch-input.js';

/** The id a batch item updates or deletes, if it names an existing record's id at all. */
function targetId(item: BatchItem, urlId: string | undefined): string | undefined {
  if (item.method === 'PATCH' || item.method === 'DELETE') return urlId;
  if (item.method === 'PUT' && urlId === undefined) return bodyId(item.body);
  return undefined;
}

/**
 * On engines with row locks, locks every record the batch may update or delete before its
 * first write, in one global order (collection name, then id). Two batches that touch the same
 * records in opposite orders then queue one behind the other instead of deadlocking; the
 * transaction retry (db/transaction.ts) stays for conflicts this cannot foresee.
 */
export async function lockBatchTargets(
  app: App,
  scope: TxScope,
  items: readonly BatchItem[],
): Promise<void> {
  if (!app.db.dialect.rowLocks) return;
  const ids = new Map<string, Set<string>>();
  for (const item of items) {
    const url = recordsUrl(item.url);
    const id = url && targetId(item, url.id);
    const collection = url && app.collections.find(url.collection);
    if (id === undefined || !collection) continue;
    let set = ids.get(collection.name);
    if (!set) ids.set(collection.name, (set = new Set()));
    set.add(id);
  }
  for (const name of [...ids.keys()].sort()) {
    await scope.db
      .selectFrom(name)
      .select(sql.ref('id').as('id'))
      .where(sql.ref('id'), 'in', [...(ids.get(name) ?? [])])
      .orderBy(sql.ref('id'))
      .forUpdate()
      .execute();
  }
}
