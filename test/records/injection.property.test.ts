import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { ApiClient, login } from '../helpers/api-client.js';
import { snapshotRows } from '../helpers/db-rows.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let clients: ApiClient[];
const executed: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ onQuery: (e) => executed.push(e.sql) });
  const su = new ApiClient(t.server, await superuserToken(t));
  await createCollection(t.app, {
    name: 'items',
    listRule: '',
    viewRule: '',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'n', type: 'number' },
      { name: 'tags', type: 'select', values: ['a', 'b'], maxSelect: 2 },
      { name: 'owner', type: 'relation', collectionId: 'users' },
      { name: 'data', type: 'json' },
    ],
  });
  await su.post('/api/collections/users/records', {
    email: 'p@example.com',
    password: 'password-123',
    passwordConfirm: 'password-123',
  });
  for (let i = 0; i < 5; i++)
    await su.post('/api/collections/items/records', {
      title: `t${String(i)}`,
      n: i,
      tags: ['a'],
      data: { i },
    });
  const user = su.as(await login(su, 'users', 'p@example.com', 'password-123'));
  clients = [su, su.as(undefined), user];
});
afterAll(async () => {
  await t.close();
});

const sqlish = fc.constantFrom(
  "'",
  '"',
  ';',
  '--',
  '/*',
  '*/',
  ' OR 1=1',
  "'; DROP TABLE items; --",
  '") OR ("1"="1',
  '\\',
  '%',
  '_',
  '@collection.users.email',
  '@request.auth.id',
  'title',
  '~',
  '?=',
  '&&',
  '||',
  '(',
  ')',
  ':each',
  ':length',
  '.',
  ',',
  '\u0000',
  '😀',
  '1e308',
  '-',
  'tags',
  'owner.email',
  'items_via_owner',
);
const adversarial = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.array(sqlish, { maxLength: 12 }).map((parts) => parts.join(' ')),
);

describe('filter, sort, expand and fields are inert (property)', () => {
  it('never answer 5xx, never put input text into SQL, never change data', async () => {
    const before = await snapshotRows(t.app);
    await fc.assert(
      fc.asyncProperty(
        adversarial,
        fc.constantFrom('filter', 'sort', 'expand', 'fields'),
        fc.nat({ max: 2 }),
        async (text, param, who) => {
          // What the same client runs without the parameter (its token's lookup, the list):
          // a short input such as ` "i` can be part of that SQL's own text (` "id"`).
          executed.length = 0;
          await clients[who]!.get('/api/collections/items/records');
          const baseline = executed.join('\n');
          executed.length = 0;
          const res = await clients[who]!.get(
            `/api/collections/items/records?${param}=${encodeURIComponent(text)}`,
          );
          expect(res.status).toBeLessThan(500);
          expect([200, 400, 403]).toContain(res.status);
          // Identifiers may legitimately appear in SQL; input with quotes or SQL syntax must not.
          if (/['";\\]|--|\/\*/.test(text) && text.length >= 3 && !baseline.includes(text)) {
            for (const q of executed) expect(q.includes(text)).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(await snapshotRows(t.app)).toEqual(before);
  });
});
