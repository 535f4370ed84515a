import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { generateTypes, writeTypes } from '../../src/index.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';
import { TYPECHECK_TIMEOUT, typecheck } from '../helpers/typecheck.js';
import { createTypegenSchema } from '../helpers/typegen-schema.js';

// What the API and a hook's `e.record.get` give at run time must fit the types `basalt
// typegen` writes: each value seen, as a JSON literal, is type-checked against its type
// (excess and missing keys fail too), on every engine.
let t: TestApp;
let token: string;
let userId: string;

beforeAll(async () => {
  t = await createTestApp();
  await createTypegenSchema(t.app);
  token = await superuserToken(t);
  const user = await t.app.records('users').create({
    email: 'reader@example.com',
    password: 'long-password-1',
    passwordConfirm: 'long-password-1',
    name: 'Reader',
  });
  userId = String(user.id);
});

afterAll(async () => {
  await t.close();
});

async function send(method: 'GET' | 'POST', url: string, payload?: unknown, auth = token) {
  const res = await t.server.inject({
    method,
    url,
    headers: auth ? { authorization: auth } : {},
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<unknown>();
}

/** `checks` (type name -> value seen) type-checked against the generated types. */
function expectFits(checks: readonly (readonly [string, unknown])[]): void {
  const types = generateTypes(t.app.collections.all(), { sdk: false, hooks: false });
  const lines = checks.map(
    ([type, value], i) => `export const v${String(i)}: ${type} = ${JSON.stringify(value)};`,
  );
  const source = `import type * as T from './types.js';\n${lines.map((l) => l.replace(/: (\w+)/, ': T.$1')).join('\n')}\n`;
  expect(typecheck({ 'types.ts': types, 'values.ts': source }), source).toEqual([]);
}

describe('generated types and the values at run time', () => {
  it('fit the API responses and the values hooks see', { timeout: TYPECHECK_TIMEOUT }, async () => {
    const seen: Record<string, unknown>[] = [];
    t.app.hooks.onRecordCreate.bind({
      tags: 'everything',
      fn: async (e) => {
        await e.next();
        seen.push(
          Object.fromEntries(e.collection.fields.map((f) => [f.name, e.record.get(f.name)])),
        );
      },
    });
    const created = await send('POST', '/api/collections/everything/records', {
      title: 'Hello World',
      views: 5,
      published: true,
      contact: 'a@example.com',
      homepage: 'https://example.org',
      body: '<p>x</p>',
      releaseAt: '2025-01-02 03:04:05.000Z',
      status: 'live',
      tags: ['a', 'b'],
      owner: userId,
      readers: [userId],
      meta: { k: [1, null, 'x'] },
      secret: 'a-long-enough-secret',
      location: { lon: 1.5, lat: -2 },
    });
    const empty = await send('POST', '/api/collections/everything/records', { title: 'Empty' });
    const guestList = await send('GET', '/api/collections/everything/records', undefined, '');
    const user = await send('GET', `/api/collections/users/records/${userId}`);
    const view = await send('GET', '/api/collections/title_counts/records', undefined, '');
    const item = await send('POST', '/api/collections/order_items/records', { qty: 2 });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({ status: ['live'], owner: [userId], cover: [] });

    const items = (list: unknown): unknown[] => (list as { items: unknown[] }).items;
    expectFits([
      ['EverythingResponse', created],
      ['EverythingResponse', empty],
      ...items(guestList).map((r) => ['EverythingResponse', r] as const),
      ['UsersResponse', user],
      ...items(view).map((r) => ['TitleCountsResponse', r] as const),
      ['OrderItems2Response', item],
      ['EverythingValues', seen[0]],
      ['EverythingValues', seen[1]],
    ]);
  });

  it('writeTypes writes the file, leaves it when nothing changed, rewrites it after a change', async () => {
    const file = join(t.dir, 'types', 'basalt-types.ts');
    expect(writeTypes(t.app, file)).toBe(true);
    expect(writeTypes(t.app, file)).toBe(false);
    expect(readFileSync(file, 'utf8')).not.toContain('LateAdditionRecord');
    await createCollection(t.app, {
      name: 'late_addition',
      type: 'base',
      fields: [{ name: 'n', type: 'number' }],
    });
    expect(writeTypes(t.app, file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('export type LateAdditionRecord');
  });
});
