import type PocketBase from 'pocketbase';
import { createSuperuser } from '../../src/core/auth/superuser-admin.js';
import { newRow } from '../../src/core/record/record-defaults.js';
import { everyFieldTypeCollection } from '../fixtures/collections.js';
import type { Site } from './basalt-site.js';

/** The accounts a seeded site has. */
export const SUPERUSER = { email: 'root@example.com', password: 'root-password-1' };
export const USER = { email: 'ann@example.com', password: 'ann-password-1' };

/** A client of the site signed in as the superuser. */
export async function superuserClient(site: Site): Promise<PocketBase> {
  const pb = site.client();
  await pb.collection('_superusers').authWithPassword(SUPERUSER.email, SUPERUSER.password);
  return pb;
}

function letters(i: number): string {
  return String.fromCharCode(65 + (i % 26)) + String.fromCharCode(97 + Math.floor(i / 26));
}

/** Records with a value in every field, some fields left empty or false. */
async function seedEverything(pb: PocketBase, userIds: readonly string[]): Promise<void> {
  await pb.collections.create(everyFieldTypeCollection('everything', '_pb_users_auth_'));
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    const full = i % 3 !== 0;
    const record = await pb.collection('everything').create({
      title: `Item ${letters(i)}`,
      views: i * 7,
      published: full,
      contact: full ? `c${String(i)}@example.com` : '',
      homepage: full ? `https://site${String(i)}.example.org/a?b=c` : '',
      body: full ? `<p>Body <b>${String(i)}</b> with "quotes" and 'apostrophes'</p>` : '',
      releaseAt: full ? `2025-0${String(1 + (i % 9))}-02 03:04:05.678Z` : '',
      status: full ? 'live' : '',
      tags: full ? ['c', 'a'] : [],
      owner: full ? userIds[i % userIds.length] : '',
      readers: full ? [...userIds] : [],
      meta: full ? { n: i, nested: { list: [1, 'two', null, true] }, text: 'é ü 字' } : null,
      secret: full ? `a-long-secret-${String(i)}` : '',
      location: { lon: i * 1.25 - 5, lat: -i * 0.5 },
    });
    ids.push(record.id);
  }
  // Insertion order is not id order; an update and a delete must not change it.
  await pb.collection('everything').update(ids[4] ?? '', { views: 999 });
  await pb.collection('everything').delete(ids[7] ?? '');
}

/** A plain collection of `rows` records whose ids sort in the reverse of their insertion order. */
async function seedBulk(site: Site, pb: PocketBase, rows: number): Promise<void> {
  await pb.collections.create({
    name: 'bulk',
    listRule: '',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'n', type: 'number' },
      { name: 'flag', type: 'bool' },
    ],
    indexes: ['CREATE INDEX idx_bulk_n ON bulk (n)'],
  });
  const collection = site.app.collections.find('bulk');
  if (!collection) throw new Error('bulk was not created');
  await site.app.db.transaction(async (tx) => {
    for (let start = 0; start < rows; start += 500) {
      const batch = [];
      for (let i = start; i < Math.min(rows, start + 500); i++) {
        const id = `b${String(999_999 - i).padStart(14, '0')}`;
        batch.push({ ...newRow(collection), id, title: `row ${String(i)}`, n: i / 4, flag: i % 2 });
      }
      await tx.insertInto('bulk').values(batch).execute();
    }
  });
}

/**
 * Fills a new site: a superuser, two users, a collection with every field type (records
 * created, updated and deleted through the API), a bulk collection of `bulkRows` records, a
 * view of its first rows and changed settings.
 */
export async function seedSite(site: Site, bulkRows: number): Promise<void> {
  await createSuperuser(site.app, SUPERUSER.email, SUPERUSER.password);
  const pb = await superuserClient(site);
  const userIds: string[] = [];
  for (const [email, name] of [
    [USER.email, 'Ann'],
    ['bob@example.com', 'Bob'],
  ] as const) {
    const password = email === USER.email ? USER.password : 'bob-password-1';
    const user = await pb
      .collection('users')
      .create({ email, password, passwordConfirm: password, name, verified: true });
    userIds.push(user.id);
  }
  await seedEverything(pb, userIds);
  await seedBulk(site, pb, bulkRows);
  // A view: the copy makes it on the target from its query (SQL every engine accepts).
  await pb.collections.create({
    name: 'bulk_head',
    type: 'view',
    listRule: '',
    viewQuery: 'SELECT b.id, b.title, b.n FROM bulk b WHERE b.n < 2',
  });
  await pb.settings.update({ meta: { appName: 'Copied App' }, batch: { enabled: true } });
}

/** What the API shows of a site to its superuser. */
export interface SiteState {
  readonly collections: unknown[];
  readonly records: Record<string, unknown[]>;
  readonly settings: unknown;
}

/** Reads every collection, every record in `@rowid` order (views': by id) and the settings. */
export async function captureState(site: Site): Promise<SiteState> {
  const pb = await superuserClient(site);
  const collections = await pb.collections.getFullList();
  const records: Record<string, unknown[]> = {};
  for (const c of collections) {
    // Login origins change with every sign-in, the checks' own included: not compared.
    if (c.name === '_authOrigins') continue;
    // Views have no insertion order.
    const sort = c.type === 'view' ? 'id' : '@rowid';
    records[c.name] = await pb.collection(c.name).getFullList({ sort, batch: 1000 });
  }
  return { collections, records, settings: await pb.settings.getAll() };
}
