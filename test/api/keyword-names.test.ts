import { describe, expect, it } from 'vitest';
import { useSuperuserApp } from '../helpers/superuser-app.js';

const ctx = useSuperuserApp();

/** Text fields named after SQL keywords (PocketBase accepts all of them). */
const KEYWORD_TEXT = ['order', 'group', 'key', 'default', 'select', 'to', 'where', 'user', 'table'];

async function createKeywordCollections(): Promise<void> {
  const { su } = ctx;
  const group = await su.post('/api/collections', {
    name: 'group',
    listRule: '',
    viewRule: '',
    fields: [{ name: 'select', type: 'text' }],
  });
  expect(group.status, group.text).toBe(200);
  const order = await su.post('/api/collections', {
    name: 'order',
    // Rules that name keyword fields, on both sides of the compiler.
    listRule: "desc = false || @request.auth.id != ''",
    viewRule: "select != 'secret'",
    createRule: "@request.body.limit >= 0 && @request.body.where != 'nope'",
    updateRule: "user = '' || user = @request.body.user",
    deleteRule: '',
    fields: [
      ...KEYWORD_TEXT.map((name) => ({ name, type: 'text' })),
      { name: 'index', type: 'number' },
      { name: 'limit', type: 'number' },
      { name: 'offset', type: 'number' },
      { name: 'values', type: 'json' },
      { name: 'desc', type: 'bool' },
      { name: 'from', type: 'relation', collectionId: 'group', maxSelect: 1 },
    ],
    indexes: [
      'CREATE UNIQUE INDEX idx_order_key ON `order` (`key`)',
      'CREATE INDEX idx_order_group ON `order` (`group`, `index` DESC) WHERE `desc` = FALSE',
    ],
  });
  expect(order.status, order.text).toBe(200);
}

describe('names that are SQL keywords (issue 15, item 8)', () => {
  it('creates, lists, filters, sorts, expands, renames and deletes them', async () => {
    const { su } = ctx;
    const guest = su.as(undefined);
    await createKeywordCollections();
    const g = await su.post('/api/collections/group/records', { select: 'g1' });
    expect(g.status, g.text).toBe(200);
    const ids: string[] = [];
    for (const [i, name] of ['a', 'b', 'c'].entries()) {
      const rec = await guest.post('/api/collections/order/records', {
        order: name,
        group: 'grp',
        key: `k${i}`,
        default: 'd',
        select: 'visible',
        to: 'x',
        where: 'w',
        table: 't',
        index: i,
        limit: 10 - i,
        offset: i * 2,
        values: { n: i },
        desc: false,
        from: g.body.id,
      });
      expect(rec.status, rec.text).toBe(200);
      ids.push(String(rec.body.id));
    }
    // The unique index on `key` holds and is reported on the field.
    const dup = await guest.post('/api/collections/order/records', { key: 'k0' });
    expect(dup.status).toBe(400);
    expect(dup.body.data).toMatchObject({ key: { code: 'validation_not_unique' } });
    // The createRule reads @request.body.where.
    const refused = await guest.post('/api/collections/order/records', { where: 'nope' });
    expect(refused.status).toBe(400);

    const list = await guest.get(
      '/api/collections/order/records?' +
        new URLSearchParams({
          filter:
            "order != 'b' && group = 'grp' && limit > 0 && from.select = 'g1' && desc = false",
          sort: '-index,order',
          expand: 'from',
          fields: 'order,index,key,expand.from.select',
        }).toString(),
    );
    expect(list.status, list.text).toBe(200);
    expect(list.body.items).toEqual([
      { order: 'c', index: 2, key: 'k2', expand: { from: { select: 'g1' } } },
      { order: 'a', index: 0, key: 'k0', expand: { from: { select: 'g1' } } },
    ]);
    // A back-relation through the keyword relation field, and a sort on one.
    const back = await guest.get(
      '/api/collections/group/records?expand=order_via_from&sort=-select',
    );
    expect(back.status, back.text).toBe(200);
    const items = back.body.items as { expand: { order_via_from: unknown[] } }[];
    expect(items[0]?.expand.order_via_from).toHaveLength(3);

    const patched = await guest.patch(`/api/collections/order/records/${ids[0]}`, {
      user: 'u1',
      values: [1, 2],
      'limit+': 5,
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ user: 'u1', values: [1, 2], limit: 15 });

    // Rename a keyword field to another keyword and the collection to another keyword.
    const stored = await su.get('/api/collections/order');
    const fields = (stored.body.fields as { name: string }[]).map((f) =>
      f.name === 'order' ? { ...f, name: 'having' } : f,
    );
    const renamed = await su.patch('/api/collections/order', {
      name: 'select',
      fields,
      listRule: "having != '' && desc = false",
      indexes: [
        'CREATE UNIQUE INDEX idx_order_key ON `select` (`key`)',
        'CREATE INDEX idx_order_group ON `select` (`group`, `having`) WHERE `desc` = FALSE',
      ],
    });
    expect(renamed.status, renamed.text).toBe(200);
    const after = await guest.get(
      '/api/collections/select/records?sort=having&filter=having>%27a%27',
    );
    expect(after.status, after.text).toBe(200);
    expect((after.body.items as { having: string }[]).map((r) => r.having)).toEqual(['b', 'c']);

    expect((await guest.delete(`/api/collections/select/records/${ids[1]}`)).status).toBe(204);
    const truncated = await su.delete('/api/collections/select/truncate');
    expect(truncated.status).toBe(204);
    expect((await su.delete('/api/collections/select')).status).toBe(204);
    expect((await su.delete('/api/collections/group')).status).toBe(204);
  });

  it('still refuses names the engines or the record JSON keep for themselves', async () => {
    const { su } = ctx;
    for (const name of ['expand', 'null', 'rowid', '_rowid_', 'xmin', 'a_via_b']) {
      const res = await su.post('/api/collections', {
        name: 'things',
        fields: [{ name, type: 'text' }],
      });
      expect(res.status, name).toBe(400);
      expect(res.body.data).toHaveProperty(['fields', '0', 'name', 'code']);
    }
    for (const name of ['_things', 'pg_things', 'sqlite_things', 'x_via_y']) {
      const res = await su.post('/api/collections', { name });
      expect(res.status, name).toBe(400);
      expect(res.body.data).toHaveProperty(['name', 'code']);
    }
  });
});
