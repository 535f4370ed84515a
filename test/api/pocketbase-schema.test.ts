import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUTH_SYSTEM_FIELD_NAMES, dashboardCollection } from '../fixtures/collections.js';
import { useSuperuserApp } from '../helpers/superuser-app.js';

const ctx = useSuperuserApp();

type Json = Record<string, unknown>;
type FieldJson = Json & { name: string };

/** What PocketBase v0.39.11 exported (`GET /api/collections?perPage=500`), as its dashboard does. */
function pbSchema(): Json[] {
  const path = '/work/shared/fixtures/pocketbase-0.39.11/pb_schema.json';
  return JSON.parse(readFileSync(path, 'utf8')) as Json[];
}

async function exported(): Promise<Json[]> {
  const res = await ctx.su.get('/api/collections?perPage=500');
  expect(res.status).toBe(200);
  return res.body.items as Json[];
}

/** A collection export without its timestamps, for comparisons across imports. */
function timeless(collections: Json[]): Json[] {
  return collections.map(({ created: _c, updated: _u, ...rest }) => rest);
}

async function importCollections(collections: Json[]) {
  return ctx.su.send('PUT', '/api/collections/import', { collections });
}

describe('PocketBase schemas with their system fields (issue 15, item 7)', () => {
  it('imports the pb_schema.json PocketBase exported, then its own export idempotently', async () => {
    const schema = pbSchema();
    const res = await importCollections(schema);
    expect(res.status, res.text).toBe(204);
    const first = await exported();
    // The view comes back as PocketBase exported it, its fields inferred again from its query.
    const view = schema.find((c) => c.name === 'order_totals');
    expect(timeless(first).find((c) => c.name === 'order_totals')).toEqual(
      timeless([view ?? {}])[0],
    );
    const categories = first.find((c) => c.name === 'categories');
    expect((categories?.fields as FieldJson[]).map((f) => f.name)).toEqual(['id', 'name', 'order']);
    const users = first.find((c) => c.name === 'users');
    expect((users?.fields as FieldJson[]).map((f) => f.name)).toContain('role');

    const again = await importCollections(first);
    expect(again.status, again.text).toBe(204);
    expect(timeless(await exported())).toEqual(timeless(first));
  });

  it('serves PocketBase-shaped scaffolds that create base and auth collections', async () => {
    const res = await ctx.su.get('/api/collections/meta/scaffolds');
    expect(res.status).toBe(200);
    const scaffolds = res.body as Record<string, Json>;
    expect(Object.keys(scaffolds).sort()).toEqual(['auth', 'base', 'view']);
    expect((scaffolds.base?.fields as FieldJson[]).map((f) => f.name)).toEqual(['id']);
    expect((scaffolds.auth?.fields as FieldJson[]).map((f) => f.name)).toEqual(
      AUTH_SYSTEM_FIELD_NAMES,
    );
    expect(scaffolds.view).toMatchObject({ type: 'view', fields: [], viewQuery: '' });

    for (const type of ['base', 'auth'] as const) {
      const scaffold = scaffolds[type] as Json & { fields: Json[] };
      const created = await ctx.su.post(
        '/api/collections',
        dashboardCollection(scaffold, `from_${type}`),
      );
      expect(created.status, created.text).toBe(200);
      const fields = created.body.fields as FieldJson[];
      expect(fields.find((f) => f.name === 'id')).toMatchObject({ system: true });
      expect(fields.find((f) => f.name === 'created')).toMatchObject({ system: false });
    }
    const auth = await ctx.su.post('/api/collections/from_auth/records', {
      email: 'a@example.com',
      password: 'long-enough-1',
      passwordConfirm: 'long-enough-1',
    });
    expect(auth.status, auth.text).toBe(200);
  });

  it('still refuses a changed or removed system field', async () => {
    const scaffolds = (await ctx.su.get('/api/collections/meta/scaffolds')).body as Record<
      string,
      Json & { fields: FieldJson[] }
    >;
    const base = scaffolds.base!;
    const badId = await ctx.su.post('/api/collections', {
      ...base,
      name: 'bad_id',
      fields: base.fields.map((f) => (f.name === 'id' ? { ...f, hidden: true } : f)),
    });
    expect(badId.status).toBe(400);
    expect(badId.body.data).toMatchObject({
      fields: { 0: { hidden: { code: 'validation_system_change' } } },
    });

    const users = (await ctx.su.get('/api/collections/users')).body as Json & {
      fields: FieldJson[];
    };
    const noEmail = await ctx.su.patch('/api/collections/users', {
      fields: users.fields.filter((f) => f.name !== 'email'),
    });
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.data).toMatchObject({ fields: { code: 'validation_system_change' } });

    const idIndex = users.fields.findIndex((f) => f.name === 'id');
    const changedId = await ctx.su.patch('/api/collections/users', {
      fields: users.fields.map((f) => (f.name === 'id' ? { ...f, hidden: true } : f)),
    });
    expect(changedId.status).toBe(400);
    expect(changedId.body.data).toMatchObject({
      fields: { [idIndex]: { hidden: { code: 'validation_system_change' } } },
    });
    const after = await ctx.su.get('/api/collections/users');
    expect(after.body.fields).toEqual(users.fields);
  });

  it("lets the id field take its own pattern, as PocketBase's dashboard sets it", async () => {
    const scaffolds = (await ctx.su.get('/api/collections/meta/scaffolds')).body as Record<
      string,
      Json & { fields: FieldJson[] }
    >;
    const base = scaffolds.base!;
    const shaped = {
      pattern: '^prt-[a-z0-9]+$',
      autogeneratePattern: 'prt-[a-z0-9]{12}',
      min: 16,
      max: 16,
    };
    const created = await ctx.su.post('/api/collections', {
      ...base,
      name: 'tickets',
      createRule: '',
      fields: base.fields.map((f) => (f.name === 'id' ? { ...f, ...shaped } : f)),
    });
    expect(created.status).toBe(200);
    const record = await ctx.su.post('/api/collections/tickets/records', {});
    expect(record.status).toBe(200);
    expect(record.body.id).toMatch(/^prt-[a-z0-9]{12}$/);
    const wrong = await ctx.su.post('/api/collections/tickets/records', { id: 'abcdefghijklmnop' });
    expect(wrong.status).toBe(400);

    const stored = created.body as Json & { fields: FieldJson[] };
    const widened = await ctx.su.patch('/api/collections/tickets', {
      fields: stored.fields.map((f) => (f.name === 'id' ? { ...f, max: 20 } : f)),
    });
    expect(widened.status).toBe(200);
  });
});
