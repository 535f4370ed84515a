import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { MAX_EXPANDED_RECORDS } from '../../src/core/record/record-expand.js';
import { ApiClient } from '../helpers/api-client.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

// Deep expands through a self-relation: the work per level is bounded (one query per
// relation per level), whatever the number of records and paths.
let t: TestApp;
let su: ApiClient;
let user: ApiClient;
const queries: string[] = [];
const ROWS = 40;

beforeAll(async () => {
  t = await createTestApp({ onQuery: (event) => queries.push(event.sql) });
  su = new ApiClient(t.server, await superuserToken(t));
  await createCollection(t.app, {
    id: 'pbc_selfnodes01',
    name: 'nodes',
    listRule: '',
    viewRule: "@request.auth.id != '' && label != 'hidden'",
    fields: [
      { name: 'label', type: 'text' },
      { name: 'parent', type: 'relation', collectionId: 'pbc_selfnodes01' },
      { name: 'links', type: 'relation', collectionId: 'pbc_selfnodes01', maxSelect: 99 },
    ],
  });
  const ids: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const res = await su.post('/api/collections/nodes/records', {
      label: `n${i}`,
      parent: ids.at(-1) ?? '',
      links: ids.slice(-5),
    });
    ids.push(String(res.body.id));
  }
  const created = await su.post('/api/collections/users/records', {
    email: 'reader@example.com',
    password: 'password-long',
    passwordConfirm: 'password-long',
  });
  expect(created.status).toBe(200);
  const login = await su.post('/api/collections/users/auth-with-password', {
    identity: 'reader@example.com',
    password: 'password-long',
  });
  user = su.as(String(login.body.token));
});
afterAll(async () => {
  await t.close();
});

/** The expanded records in a response, counting each place a record appears. */
function expandedCount(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + expandedCount(v), 0);
  if (typeof value !== 'object' || value === null || !('expand' in value)) return 0;
  let n = 0;
  for (const related of Object.values(value.expand as object)) {
    n += Array.isArray(related) ? related.length : 1;
    n += expandedCount(related);
  }
  return n;
}

/** How many levels of `name` the first item expands. */
function depthOf(item: unknown, name: string): number {
  let depth = 0;
  let node = item as { expand?: Record<string, unknown> } | undefined;
  while (node?.expand?.[name] !== undefined) {
    const next = node.expand[name];
    node = (Array.isArray(next) ? next[0] : next) as typeof node;
    depth++;
  }
  return depth;
}

const path = (segment: string) => Array.from({ length: 8 }, () => segment).join('.');

describe('deep expands through a self-relation', () => {
  for (const [name, levels] of [
    ['parent', 6],
    ['nodes_via_parent', 6],
    // 5 links per record: 5^6 copies per record at the 6th level, past the budget.
    ['links', 4],
  ] as const) {
    it(`expands ${name} 8 levels deep (6 used) with one query per level`, async () => {
      queries.length = 0;
      const started = performance.now();
      const res = await user.get(
        `/api/collections/nodes/records?perPage=${ROWS}&sort=-label&expand=${encodeURIComponent(path(name))}`,
      );
      const ms = performance.now() - started;
      expect(res.status).toBe(200);
      const items = res.body.items as Record<string, unknown>[];
      expect(items).toHaveLength(ROWS);
      // The requester's auth record, the list, its count, then one query per expanded level.
      expect(queries.length).toBeLessThanOrEqual(3 + 6);
      const expanded = expandedCount(items);
      expect(expanded).toBeLessThanOrEqual(MAX_EXPANDED_RECORDS);
      const deepest = Math.max(...items.map((item) => depthOf(item, name)));
      expect(deepest).toBe(levels);
      // A measurement for the record, not an assertion: timing depends on the machine.
      console.log(
        `expand ${name} x8 on ${ROWS} rows: ${ms.toFixed(0)} ms, ${queries.length} queries, ` +
          `${expanded} expanded records, ${res.text.length} bytes`,
      );
    });
  }
});
