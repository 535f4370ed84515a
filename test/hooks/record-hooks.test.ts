import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BadRequestError, ValidationError } from '../../src/core/app-errors.js';
import { createSuperuser, deleteSuperuser } from '../../src/core/auth/superuser-admin.js';
import { createCollection } from '../../src/core/collection/collection-service.js';
import type { HookName } from '../../src/core/hooks/app-hooks.js';
import type { RecordEvent } from '../../src/core/hooks/record-event.js';
import { createRecord, updateRecord } from '../../src/core/record/record-write.js';
import { internalRequest } from '../../src/core/record/record-request.js';
import { ApiClient, login } from '../helpers/api-client.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';
import { testEngine } from '../helpers/test-engine.js';

// The in-transaction record hooks run on every write path (APP-LOGIC.md §1-3), inside the
// write's transaction: what they change is validated and stored, what they throw rolls the
// whole write back (their own writes included), and after-commit work runs once.
let t: TestApp;
let su: ApiClient;
const unbind: (() => void)[] = [];

/** Every record hook call as `hook:collection`, while `record()` is on. */
const calls: string[] = [];
const WRITE_HOOKS = [
  'onRecordValidate',
  'onRecordCreate',
  'onRecordUpdate',
  'onRecordDelete',
  'onRecordAfterCreateSuccess',
  'onRecordAfterUpdateSuccess',
  'onRecordAfterDeleteSuccess',
] as const satisfies readonly HookName[];

function record(): void {
  for (const name of WRITE_HOOKS) {
    const hook = t.app.hooks[name];
    const id = hook.on(async (e: RecordEvent) => {
      calls.push(`${name}:${e.collection.name}`);
      await e.next();
    });
    unbind.push(() => {
      hook.unbind(id);
    });
  }
}

function on(
  name: (typeof WRITE_HOOKS)[number],
  collection: string,
  fn: (e: RecordEvent) => Promise<void>,
): void {
  const hook = t.app.hooks[name];
  const id = hook.on(collection, fn);
  unbind.push(() => {
    hook.unbind(id);
  });
}

async function count(table: string, where?: [string, string]): Promise<number> {
  let query = t.app.db.db.selectFrom(table).select(sql<number | string>`count(*)`.as('n'));
  if (where) query = query.where(sql.ref(where[0]), '=', where[1]);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The newest mail written to the data directory (SMTP is off in tests). */
function lastMail(): string {
  const dir = join(t.dir, 'mail');
  if (!existsSync(dir)) return '';
  const files = readdirSync(dir).sort();
  return readFileSync(join(dir, files[files.length - 1] ?? ''), 'utf8').replace(/=\r?\n/g, '');
}

async function waitFor<T>(probe: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  t = await createTestApp();
  su = new ApiClient(t.server, await superuserToken(t));
  await t.app.settings.update({ batch: { enabled: true } });
  await createCollection(t.app, {
    name: 'items',
    listRule: '',
    viewRule: '',
    createRule: '',
    updateRule: '',
    deleteRule: '',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'status', type: 'text' },
      { name: 'n', type: 'number', max: 100 },
    ],
  });
  await createCollection(t.app, {
    name: 'notes',
    createRule: '',
    fields: [{ name: 'text', type: 'text' }],
  });
  const items = t.app.collections.find('items');
  await createCollection(t.app, {
    name: 'kids',
    fields: [
      { name: 'parent', type: 'relation', collectionId: items?.id, cascadeDelete: true },
      { name: 'loose', type: 'relation', collectionId: items?.id },
    ],
  });
  await su.post('/api/collections/users/records', {
    email: 'u@example.com',
    password: 'password-123',
    passwordConfirm: 'password-123',
  });
});
afterEach(() => {
  for (const off of unbind.splice(0)) off();
  calls.length = 0;
});
afterAll(async () => {
  await t.close();
});

async function newItem(title = 'x'): Promise<string> {
  const res = await su.post('/api/collections/items/records', { title });
  expect(res.status).toBe(200);
  return String(res.body.id);
}

describe('every write path fires the record hooks in its transaction', () => {
  const cases: {
    name: string;
    run: () => Promise<void>;
    expected: string[];
  }[] = [
    {
      name: 'REST create',
      run: async () => {
        await newItem();
      },
      expected: [
        'onRecordCreate:items',
        'onRecordValidate:items',
        'onRecordAfterCreateSuccess:items',
      ],
    },
    {
      name: 'REST update',
      run: async () => {
        const id = await newItem();
        calls.length = 0;
        expect(
          (await su.patch(`/api/collections/items/records/${id}`, { title: 'y' })).status,
        ).toBe(200);
      },
      expected: [
        'onRecordUpdate:items',
        'onRecordValidate:items',
        'onRecordAfterUpdateSuccess:items',
      ],
    },
    {
      name: 'REST delete',
      run: async () => {
        const id = await newItem();
        calls.length = 0;
        expect((await su.delete(`/api/collections/items/records/${id}`)).status).toBe(204);
      },
      expected: ['onRecordDelete:items', 'onRecordAfterDeleteSuccess:items'],
    },
    {
      name: 'batch create, update and delete',
      run: async () => {
        const id = await newItem();
        const gone = await newItem();
        calls.length = 0;
        const res = await su.post('/api/batch', {
          requests: [
            { method: 'POST', url: '/api/collections/items/records', body: { title: 'b' } },
            { method: 'PATCH', url: `/api/collections/items/records/${id}`, body: { title: 'c' } },
            { method: 'DELETE', url: `/api/collections/items/records/${gone}` },
          ],
        });
        expect(res.status).toBe(200);
      },
      expected: [
        'onRecordCreate:items',
        'onRecordValidate:items',
        'onRecordUpdate:items',
        'onRecordValidate:items',
        'onRecordDelete:items',
        'onRecordAfterCreateSuccess:items',
        'onRecordAfterUpdateSuccess:items',
        'onRecordAfterDeleteSuccess:items',
      ],
    },
    {
      name: 'cascades: a cascading child is deleted, a loose reference is updated',
      run: async () => {
        const parent = await newItem();
        await su.post('/api/collections/kids/records', { parent, loose: parent });
        const other = await newItem();
        await su.post('/api/collections/kids/records', { parent: other, loose: parent });
        calls.length = 0;
        expect((await su.delete(`/api/collections/items/records/${parent}`)).status).toBe(204);
      },
      expected: [
        'onRecordDelete:kids',
        'onRecordUpdate:kids',
        'onRecordValidate:kids',
        'onRecordDelete:items',
        'onRecordAfterDeleteSuccess:kids',
        'onRecordAfterUpdateSuccess:kids',
        'onRecordAfterDeleteSuccess:items',
      ],
    },
    {
      name: 'the superuser CLI',
      run: async () => {
        await createSuperuser(t.app, 'cli@example.com', 'password-123');
        await deleteSuperuser(t.app, 'cli@example.com');
      },
      expected: [
        'onRecordCreate:_superusers',
        'onRecordValidate:_superusers',
        'onRecordAfterCreateSuccess:_superusers',
        'onRecordDelete:_superusers',
        'onRecordAfterDeleteSuccess:_superusers',
      ],
    },
    {
      name: 'auth system records: a sign-in from a new device stores its origin',
      run: async () => {
        await login(su.as(undefined), 'users', 'u@example.com', 'password-123');
      },
      expected: [
        'onRecordCreate:_authOrigins',
        'onRecordValidate:_authOrigins',
        'onRecordAfterCreateSuccess:_authOrigins',
      ],
    },
    {
      name: 'account flows: a password reset updates the account',
      run: async () => {
        const guest = su.as(undefined);
        expect(
          (
            await guest.post('/api/collections/users/request-password-reset', {
              email: 'u@example.com',
            })
          ).status,
        ).toBe(204);
        const token = await waitFor(
          () => /[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/.exec(lastMail())?.[0],
        );
        calls.length = 0;
        const res = await guest.post('/api/collections/users/confirm-password-reset', {
          token,
          password: 'password-456',
          passwordConfirm: 'password-456',
        });
        expect(res.status).toBe(204);
        await guest.post('/api/collections/users/confirm-password-reset', {});
      },
      expected: [
        'onRecordUpdate:users',
        'onRecordValidate:users',
        'onRecordAfterUpdateSuccess:users',
      ],
    },
    {
      name: 'code: createRecord with an internal request',
      run: async () => {
        await createRecord(t.app, 'notes', { text: 'from code' }, internalRequest());
      },
      expected: [
        'onRecordCreate:notes',
        'onRecordValidate:notes',
        'onRecordAfterCreateSuccess:notes',
      ],
    },
  ];

  it.each(cases)('$name', async ({ run, expected }) => {
    record();
    await run();
    // After-commit hooks run once the transaction committed: before the response is sent.
    expect(calls).toEqual(expected);
  });
});

describe('what handlers do inside the transaction', () => {
  it('a value set before e.next() is cast, validated, stored and answered', async () => {
    on('onRecordCreate', 'items', async (e) => {
      e.record.set('status', 'pending');
      e.record.set('n', '42');
      await e.next();
    });
    const res = await su.post('/api/collections/items/records', { title: 'cast' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'pending', n: 42 });
    const stored = await t.app.db.db
      .selectFrom('items')
      .selectAll()
      .where(sql.ref('id'), '=', String(res.body.id))
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe('pending');
    expect(Number(stored.n)).toBe(42);
  });

  it('an invalid value set by a handler answers 400 with the field error and stores nothing', async () => {
    on('onRecordUpdate', 'items', async (e) => {
      e.record.set('n', 1000);
      await e.next();
    });
    const id = await newItem('before');
    const res = await su.patch(`/api/collections/items/records/${id}`, { title: 'after' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Failed to update record.');
    expect(res.body.data).toMatchObject({ n: { code: 'validation_max_number_constraint' } });
    const stored = await su.get(`/api/collections/items/records/${id}`);
    expect(stored.body.title).toBe('before');
  });

  it('sees the original and the new values, and reads its own write through the app', async () => {
    let seen: unknown[] = [];
    on('onRecordUpdate', 'items', async (e) => {
      await e.next();
      const row = await t.app.db.db
        .selectFrom('items')
        .select(sql.ref('title').as('title'))
        .where(sql.ref('id'), '=', e.record.id)
        .executeTakeFirstOrThrow();
      seen = [e.original.get('title'), e.record.get('title'), row.title, e.record.isNew, e.source];
    });
    const id = await newItem('old');
    const res = await su.patch(`/api/collections/items/records/${id}`, { title: 'new' });
    expect(res.status).toBe(200);
    expect(seen).toEqual(['old', 'new', 'new', false, 'api']);
  });

  it('a throw rolls back the write and what the handler wrote, in REST and in batch', async () => {
    const before = await count('notes');
    on('onRecordCreate', 'items', async (e) => {
      await e.next();
      await createRecord(t.app, 'notes', { text: 'written by the hook' }, internalRequest());
      if (e.record.get('title') === 'boom') throw new Error('payment provider said no');
    });
    const itemsBefore = await count('items');
    const res = await su.post('/api/collections/items/records', { title: 'boom' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, message: 'Failed to create record.', data: {} });
    expect(res.text).not.toContain('payment provider');
    expect(await count('items')).toBe(itemsBefore);
    expect(await count('notes')).toBe(before);

    const batch = await su.post('/api/batch', {
      requests: [
        { method: 'POST', url: '/api/collections/items/records', body: { title: 'fine' } },
        { method: 'POST', url: '/api/collections/items/records', body: { title: 'boom' } },
      ],
    });
    expect(batch.status).toBe(400);
    expect(batch.body.data).toMatchObject({
      requests: { '1': { response: { status: 400, message: 'Failed to create record.' } } },
    });
    expect(await count('items')).toBe(itemsBefore);
    expect(await count('notes')).toBe(before);
    // The server keeps serving.
    expect((await su.post('/api/collections/items/records', { title: 'ok' })).status).toBe(200);
  });

  it('an error class answers as itself: BadRequestError with field errors', async () => {
    on('onRecordDelete', 'items', async () => {
      throw new BadRequestError('Orders cannot be deleted.', {
        title: new ValidationError('locked', 'This record is locked.'),
      });
    });
    const id = await newItem();
    const res = await su.delete(`/api/collections/items/records/${id}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      status: 400,
      message: 'Orders cannot be deleted.',
      data: { title: { code: 'locked', message: 'This record is locked.' } },
    });
    expect(await count('items', ['id', id])).toBe(1);
  });

  it('a handler that neither calls e.next() nor throws fails the write', async () => {
    on('onRecordCreate', 'items', async () => {
      // forgot e.next()
    });
    const itemsBefore = await count('items');
    const res = await su.post('/api/collections/items/records', { title: 'lost' });
    expect(res.status).toBe(400);
    expect(await count('items')).toBe(itemsBefore);
  });

  it('after-commit work runs once after the commit and never for a rolled-back write', async () => {
    const done: string[] = [];
    on('onRecordCreate', 'items', async (e) => {
      e.afterCommit(() => {
        done.push(`after:${String(e.record.get('title'))}`);
      });
      await e.next();
      if (e.record.get('title') === 'rollback') throw new Error('no');
    });
    on('onRecordAfterCreateSuccess', 'items', async (e) => {
      done.push(`success:${String(e.record.get('title'))}`);
      await e.next();
    });
    await su.post('/api/collections/items/records', { title: 'rollback' });
    await su.post('/api/collections/items/records', { title: 'kept' });
    expect(done).toEqual(['after:kept', 'success:kept']);
  });

  it('handlers limited to a collection run for it only, by name or id', async () => {
    const notes = t.app.collections.find('notes');
    const seen: string[] = [];
    on('onRecordCreate', notes?.id ?? '', async (e) => {
      seen.push(e.collection.name);
      await e.next();
    });
    await newItem();
    await createRecord(t.app, 'notes', { text: 'n' }, internalRequest());
    expect(seen).toEqual(['notes']);
  });
});

// SQLite serialises write transactions: they cannot deadlock.
describe.skipIf(testEngine() === 'sqlite')('a transaction retried after a deadlock', () => {
  it('re-runs the hooks and runs after-commit work of the committed attempt only', async () => {
    const a = await newItem('a');
    const b = await newItem('b');
    const afterCommit: string[] = [];
    const attempts: number[] = [];
    on('onRecordUpdate', 'items', async (e) => {
      attempts.push(e.attempt);
      e.afterCommit(() => {
        afterCommit.push(e.record.id);
      });
      await e.next();
    });
    let waiting = 0;
    let open: () => void = () => undefined;
    const opened = new Promise<void>((resolve) => (open = resolve));
    let firstAttempts = 0;
    const move = (first: string, second: string) =>
      t.app.transaction(async (scope) => {
        const initial = ++firstAttempts <= 2;
        const request = internalRequest();
        await updateRecord(t.app, 'items', first, { title: 'moved' }, request, { scope });
        if (initial) {
          waiting += 1;
          if (waiting === 2) open();
          await opened;
        }
        await updateRecord(t.app, 'items', second, { title: 'moved' }, request, { scope });
      });
    await Promise.all([move(a, b), move(b, a)]);
    expect(firstAttempts).toBe(3);
    expect(attempts).toContain(2);
    // Two transactions of two updates committed: four after-commit calls, not more.
    expect(afterCommit.sort()).toEqual([a, a, b, b].sort());
  });
});
