import { readFileSync } from 'node:fs';
import PocketBase, { ClientResponseError, type CollectionModel } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSuperuser } from '../../src/core/auth/superuser-admin.js';
import { FIELD_TYPES } from '../../src/core/field/field-registry.js';
import { dashboardCollection, everyFieldTypeCollection } from '../fixtures/collections.js';
import { startLiveServer, type LiveServer } from '../helpers/live-server.js';

let live: LiveServer;
let pb: PocketBase;

beforeAll(async () => {
  live = await startLiveServer();
  await createSuperuser(live.app, 'root@example.com', 'root-password-1');
  pb = new PocketBase(live.url);
  pb.autoCancellation(false);
});
afterAll(async () => {
  await live.close();
});

describe('the official pocketbase SDK against a real Basalt server', () => {
  it('authenticates as a superuser', async () => {
    const auth = await pb
      .collection('_superusers')
      .authWithPassword('root@example.com', 'root-password-1');
    expect(auth.record.email).toBe('root@example.com');
    expect(pb.authStore.isValid).toBe(true);
    expect(pb.authStore.isSuperuser).toBe(true);
    const refreshed = await pb.collection('_superusers').authRefresh();
    expect(refreshed.token).not.toBe('');
  });

  it('reports a wrong password as a ClientResponseError 400', async () => {
    const other = new PocketBase(live.url);
    const err = await other
      .collection('_superusers')
      .authWithPassword('root@example.com', 'wrong-password')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientResponseError);
    expect((err as ClientResponseError).status).toBe(400);
    expect((err as ClientResponseError).message).toBe('Failed to authenticate.');
  });

  it('creates a collection with every field type, reads it back, changes it and deletes it', async () => {
    const created = await pb.collections.create(everyFieldTypeCollection());
    expect(created.name).toBe('everything');
    const types = created.fields.map((f) => f.type);
    for (const type of FIELD_TYPES) {
      expect(types).toContain(type);
    }

    const read = await pb.collections.getOne('everything');
    expect(read).toEqual(created);
    const list = await pb.collections.getFullList({ sort: 'name' });
    expect(list.map((c) => c.name)).toContain('everything');
    const page = await pb.collections.getList(1, 2, { sort: '-created' });
    expect(page.items.length).toBe(2);

    const fields: Record<string, unknown>[] = read.fields
      .filter((f) => f.name !== 'meta')
      .map((f) => (f.name === 'title' ? { ...f, name: 'headline' } : { ...f }));
    fields.push({ name: 'rating', type: 'number', min: 1, max: 5 });
    const updated = await pb.collections.update(read.id, {
      name: 'stuff',
      fields,
      indexes: ['CREATE INDEX idx_stuff_rating ON stuff (rating)'],
      listRule: null,
    });
    expect(updated.name).toBe('stuff');
    expect(updated.listRule).toBeNull();
    expect(updated.fields.map((f) => f.name)).toContain('headline');
    expect(updated.fields.map((f) => f.name)).not.toContain('meta');
    expect(updated.indexes).toEqual(['CREATE INDEX `idx_stuff_rating` ON `stuff` (`rating`)']);
    const columns = (await live.app.db.listColumns(live.app.db.db, 'stuff')).map((c) => c.name);
    expect(columns).toContain('rating');
    expect(columns).not.toContain('meta');

    await pb.collections.truncate('stuff');
    await pb.collections.delete('stuff');
    const missing = await pb.collections.getOne('stuff').catch((e: unknown) => e);
    expect((missing as ClientResponseError).status).toBe(404);
    expect(await live.app.db.listTables(live.app.db.db)).not.toContain('stuff');
  });

  it('returns validation errors in the shape the SDK exposes', async () => {
    const err = await pb.collections
      .create({ name: 'bad name', fields: [{ name: 'x', type: 'nope' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientResponseError);
    const e = err as ClientResponseError;
    expect(e.status).toBe(400);
    expect(e.response.data).toMatchObject({
      name: { code: 'validation_invalid_name' },
      fields: { 0: { type: { code: 'validation_unknown_field_type' } } },
    });
  });

  it('imports collections and reads the scaffolds', async () => {
    // The SDK types ask for complete models; the server fills in what an import leaves out.
    const partial = { name: 'imported', type: 'base', fields: [{ name: 'a', type: 'text' }] };
    await pb.collections.import([partial as unknown as CollectionModel], false);
    expect((await pb.collections.getOne('imported')).fields.map((f) => f.name)).toEqual([
      'id',
      'a',
    ]);
    const scaffolds = await pb.collections.getScaffolds();
    expect(Object.keys(scaffolds)).toEqual(['base', 'auth', 'view']);
  });

  it("creates collections from the scaffolds as PocketBase's dashboard sends them", async () => {
    const scaffolds = await pb.collections.getScaffolds();
    for (const type of ['base', 'auth'] as const) {
      const scaffold = scaffolds[type]!;
      const created = await pb.collections.create(
        dashboardCollection(scaffold, `dash_${type}`, [{ type: 'number', name: 'order' }]),
      );
      expect(created.fields.map((f) => f.name)).toContain('order');
      expect(created.fields.filter((f) => f.system).length).toBe(type === 'auth' ? 6 : 1);
    }
  });

  it('imports the pb_schema.json PocketBase exported', async () => {
    const path = '/work/shared/fixtures/pocketbase-0.39.11/pb_schema.json';
    const schema = JSON.parse(readFileSync(path, 'utf8')) as CollectionModel[];
    await pb.collections.import(schema, false);
    const categories = await pb.collections.getOne('categories');
    expect(categories.fields.map((f) => f.name)).toEqual(['id', 'name', 'order']);
    const totals = await pb.collections.getOne('order_totals');
    const exported = schema.find((c) => c.name === 'order_totals');
    expect(totals).toMatchObject({ type: 'view', viewQuery: String(exported?.viewQuery) });
    expect(totals.fields).toEqual(exported?.fields);
    const page = await pb.collection('order_totals').getList(1, 10);
    expect(page.items).toEqual([]);
    const dryRun = await pb.collections.dryRunViewQuery(String(exported?.viewQuery));
    expect(dryRun).toMatchObject({ fields: exported?.fields, sample: [] });
  });

  it('checks health', async () => {
    const health = await pb.health.check();
    expect(health.code).toBe(200);
  });
});
