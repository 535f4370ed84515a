import { expect } from 'vitest';
import { typecheck } from './typecheck.js';

// Sources that use the types generated for createTypegenSchema's collections (./types.ts):
// a client on the unchanged `pocketbase` SDK and a hooks file, each once as good code and
// several times with one mistake.

const CLIENT_HEAD = `import PocketBase from 'pocketbase';
import type { EverythingCreate, EverythingResponse, TypedPocketBase, UsersResponse } from './types.js';

const pb = new PocketBase('http://127.0.0.1:8090') as TypedPocketBase;
const created = await pb.collection('everything').create({ title: 'Hello' });
`;

const CLIENT_GOOD = `${CLIENT_HEAD}
const full = await pb.collection('everything').create({
  title: 'Hello',
  views: 2,
  published: true,
  status: 'live',
  tags: ['a', 'b'],
  owner: 'abc',
  readers: ['r1', 'r2'],
  releaseAt: new Date(),
  meta: { any: ['json', 1, null] },
  location: { lon: 1, lat: 2 },
  cover: new Blob(['png']),
  secret: 'a long secret',
});
const title: string = full.title;
const views: number = full.views;
const status: 'draft' | 'live' | 'archived' | '' = full.status;
const tags: ('a' | 'b' | 'c')[] = full.tags;
const owner: string = full.owner;
const readers: string[] = full.readers;
const cover: string = full.cover;
const attachments: string[] = full.attachments;
const lon: number = full.location.lon;
const created_: string = full.created;
const name: 'everything' = full.collectionName;
await pb.collection('everything').update(full.id, {
  title: 'Other',
  'views+': 1,
  'views-': 2,
  'tags-': 'a',
  '+tags': ['c'],
  '+readers': ['r3'],
  'owner-': 'abc',
  'attachments+': new Blob(['x']),
  'attachments-': ['x.png'],
});
await pb.collection('order_items').update('id1', { 'qty+': 1, 'sku:autogenerate': 'SKU-' });
await pb.collection('order_items').create({ qty: 3 });
await pb.collection('orderItems').create({ note: 'other collection, same PascalCase' });
const list = await pb.collection('everything').getList(1, 20, { filter: 'views > 1' });
const first: EverythingResponse | undefined = list.items[0];
const user: UsersResponse = await pb.collection('users').getOne('abc');
const verified: boolean = user.verified;
const email: string | undefined = user.email;
await pb.collection('users').create({
  email: 'a@example.com',
  password: 'long-password',
  passwordConfirm: 'long-password',
});
await pb.collection('users').update('abc', {
  oldPassword: 'long-password',
  password: 'new-password',
  passwordConfirm: 'new-password',
});
const auth = await pb.collection('users').authWithPassword('a@example.com', 'long-password');
const userName: string = auth.record.name;
const view = await pb.collection('title_counts').getFullList();
const counted: number | undefined = view[0]?.views;
const untyped = await pb.collection('not_generated').getOne('x');
const anything: unknown = untyped['whatever'];
const body: EverythingCreate = { title: 'x' };
await pb.collection('everything').create(body);
await pb.collection('everything').create(new FormData());
export { title, views, status, tags, owner, readers, cover, attachments, lon, created_, name };
export { first, verified, email, userName, counted, anything, created };
`;

/** Client mistakes: each must fail to compile with the code and a text of its message. */
const CLIENT_BAD: Readonly<Record<string, { code: string; says: string }>> = {
  [`const t = created.titel;`]: { code: 'TS2551', says: "Did you mean 'title'?" },
  [`const n: number = created.title;`]: {
    code: 'TS2322',
    says: "Type 'string' is not assignable to type 'number'",
  },
  [`const p = (await pb.collection('users').getOne('x')).password;`]: {
    code: 'TS2339',
    says: "Property 'password' does not exist",
  },
  [`const s: string = created.secret;`]: {
    code: 'TS2322',
    says: `Type 'undefined' is not assignable to type 'string'`,
  },
  [`await pb.collection('everything').create({ views: 1 });`]: {
    code: 'TS2345',
    says: "Property 'title' is missing",
  },
  [`await pb.collection('everything').create({ title: 'x', titel: 'y' });`]: {
    code: 'TS2353',
    says: "'titel' does not exist in type 'EverythingCreate",
  },
  [`await pb.collection('everything').create({ title: 'x', status: 'published' });`]: {
    code: 'TS2322',
    says: `Type '"published"' is not assignable`,
  },
  [`await pb.collection('everything').create({ title: 'x', views: '3' });`]: {
    code: 'TS2322',
    says: "Type 'string' is not assignable to type 'number'",
  },
  [`await pb.collection('everything').update('id', { 'views+': 'one' });`]: {
    code: 'TS2322',
    says: "Type 'string' is not assignable to type 'number'",
  },
  [`await pb.collection('everything').update('id', { created: '2020-01-01' });`]: {
    code: 'TS2353',
    says: "'created' does not exist in type 'EverythingUpdate",
  },
  [`await pb.collection('users').create({ email: 'a@example.com', password: 'long-password' });`]: {
    code: 'TS2345',
    says: "Property 'passwordConfirm' is missing",
  },
  [`const v = (await pb.collection('title_counts').getOne('x')).titel;`]: {
    code: 'TS2551',
    says: "Did you mean 'title'?",
  },
};

const HOOKS_HEAD = `import { defineHooks } from 'basalt';

export default defineHooks((app) => {
`;

const HOOKS_GOOD = `import type { RecordEvent } from 'basalt';
${HOOKS_HEAD}
  app.onRecordCreate('everything', async (e) => {
    const title: string = e.record.get('title');
    const views: number = e.record.get('views');
    const status: ('draft' | 'live' | 'archived')[] = e.record.get('status');
    const owner: string[] = e.record.get('owner');
    const location: { lon: number; lat: number } = e.record.get('location');
    const secret: string = e.record.get('secret');
    const before: string = e.original.get('title');
    e.record.set('views', views + 1);
    e.record.set('tags', ['a', 'c']);
    e.record.set('tags', 'b');
    e.record.set('status', 'live');
    e.record.set('custom', { anything: true });
    const custom: unknown = e.record.get('custom');
    const text: string = e.record.getString('title');
    await e.next();
    e.afterCommit(() => {
      console.log(title, status, owner, location, secret, before, custom, text);
    });
  });
  app.onRecordEnrich('users', async (e) => {
    const verified: boolean = e.record.get('verified');
    if (!verified) e.hide('email');
    await e.next();
  });
  app.onRecordUpdate(['everything', 'order_items'], async (e) => {
    const id: string = e.record.get('id');
    console.log(id);
    await e.next();
  });
  app.onRecordDelete(async (e) => {
    const anything: unknown = e.record.get('title');
    console.log(anything);
    await e.next();
  });
  app.onRecordCreate('not_generated', async (e) => {
    const anything: unknown = e.record.get('title');
    e.record.set('title', 42);
    console.log(anything);
    await e.next();
  });
  app.onRecordAfterCreateSuccess('order_items', async (e) => {
    const qty: number = e.record.get('qty');
    console.log(qty);
    await e.next();
  });
  // A handler written for the untyped record still fits a typed collection.
  const untyped = async (e: RecordEvent): Promise<void> => {
    const anything: unknown = e.record.get('title');
    console.log(anything);
    await e.next();
  };
  app.onRecordValidate('everything', untyped);
  app.onRecordsListRequest('everything', async (e) => {
    await e.next();
  });
});
`;

/** Hooks mistakes, as CLIENT_BAD. */
const HOOKS_BAD: Readonly<Record<string, { code: string; says: string }>> = {
  [`app.onRecordCreate('everything', async (e) => { const n: number = e.record.get('title'); await e.next(); });`]:
    { code: 'TS2322', says: "Type 'string' is not assignable to type 'number'" },
  [`app.onRecordCreate('everything', async (e) => { e.record.set('views', 'many'); await e.next(); });`]:
    { code: 'TS2345', says: "not assignable to parameter of type 'number'" },
  [`app.onRecordUpdate('everything', async (e) => { e.record.set('status', 'published'); await e.next(); });`]:
    { code: 'TS2345', says: `Argument of type '"published"'` },
  [`app.onRecordAfterCreateSuccess('order_items', async (e) => { const q: string = e.record.get('qty'); await e.next(); });`]:
    { code: 'TS2322', says: "Type 'number' is not assignable to type 'string'" },
};

/**
 * Type-checks the good client and hooks files and each mistake against `types` (the text
 * `basalt typegen` wrote), saved as `typesFile` (a `.d.ts` is how a hooks folder keeps it: not
 * an entry): the good files compile, each mistake fails with its error.
 */
export function expectTypesWork(types: string, typesFile: 'types.ts' | 'types.d.ts'): void {
  const files: Record<string, string> = {
    [typesFile]: types,
    'client-good.ts': CLIENT_GOOD,
    'hooks-good.ts': HOOKS_GOOD,
  };
  const expected: Record<string, { code: string; says: string }> = {};
  for (const [i, [line, error]] of Object.entries(CLIENT_BAD).entries()) {
    files[`client-bad-${String(i)}.ts`] = `${CLIENT_HEAD}${line}\nexport {};\n`;
    expected[`client-bad-${String(i)}.ts`] = error;
  }
  for (const [i, [line, error]] of Object.entries(HOOKS_BAD).entries()) {
    files[`hooks-bad-${String(i)}.ts`] = `${HOOKS_HEAD}  ${line}\n});\n`;
    expected[`hooks-bad-${String(i)}.ts`] = error;
  }
  const errors = typecheck(files);
  const good = errors.filter((e) => !(e.file in expected));
  expect(good).toEqual([]);
  for (const [file, error] of Object.entries(expected)) {
    const found = errors.filter((e) => e.file === file);
    const context = `${file}: ${files[file] ?? ''}\n${JSON.stringify(found)}`;
    expect(
      found.map((e) => `TS${String(e.code)}`),
      context,
    ).toEqual([error.code]);
    expect(found[0]?.message, context).toContain(error.says);
  }
}
