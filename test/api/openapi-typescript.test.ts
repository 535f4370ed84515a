import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Type } from '@sinclair/typebox';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSuperuser } from '../../src/core/auth/superuser-admin.js';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { createBasalt, type Basalt } from '../../src/index.js';
import { everyFieldTypeCollection } from '../fixtures/collections.js';
import { createEngineDatabase, type EngineDatabase } from '../helpers/test-engine.js';

// The document feeds real tools: openapi-typescript generates types from it, and a client
// written with openapi-fetch against them is type-checked by the real TypeScript compiler:
// good code compiles, a wrong body does not.

let basalt: Basalt;
let database: EngineDatabase;
let dir: string;
let work: string;

const OPENAPI_FETCH = resolve('node_modules/openapi-fetch');

/** The client code every case starts with. */
const PRELUDE = `
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';
const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:8090' });
type Everything = components['schemas']['EverythingRecord'];
export type { Everything };
`;

const GOOD = `${PRELUDE}
export async function good(): Promise<void> {
  const list = await client.GET('/api/collections/everything/records', {
    params: { query: { page: 1, perPage: 10, filter: 'views > 1', skipTotal: true } },
  });
  const first: Everything | undefined = list.data?.items[0];
  const status: 'draft' | 'live' | 'archived' | '' | undefined = first?.status;
  const tags: ('a' | 'b' | 'c')[] | undefined = first?.tags;
  const views: number | undefined = first?.views;
  const published: boolean | undefined = first?.published;
  const lon: number | undefined = first?.location.lon;
  const cover: string | undefined = first?.cover;
  const attachments: string[] | undefined = first?.attachments;
  const readers: string[] | undefined = first?.readers;
  const ownerEmail: string | undefined = first?.expand?.owner?.email;
  const meta: unknown = first?.meta;
  const name: 'everything' | undefined = first?.collectionName;
  void [status, tags, views, published, lon, cover, attachments, readers, ownerEmail, meta, name];
  const created = await client.POST('/api/collections/everything/records', {
    body: { title: 'Hello', status: 'live', tags: ['a', 'b'], location: { lon: 1, lat: 2 } },
  });
  const id: string | undefined = created.data?.id;
  await client.PATCH('/api/collections/everything/records/{id}', {
    params: { path: { id: id ?? '' } },
    body: { 'views+': 1, 'tags-': 'a', meta: { any: ['json'] } },
  });
  await client.DELETE('/api/collections/everything/records/{id}', {
    params: { path: { id: id ?? '' }, header: { 'If-Match': created.response.headers.get('etag') ?? '*' } },
  });
  const payment = await client.POST('/api/collections/payments/records', {
    params: { header: { 'Idempotency-Key': 'order-1' } },
    body: { amount: 5 },
  });
  const amount: number | undefined = payment.data?.amount;
  void amount;
  const auth = await client.POST('/api/collections/users/auth-with-password', {
    body: { identity: 'a@example.com', password: 'secret' },
  });
  const token: string | undefined = auth.data?.token;
  const email: string | undefined = auth.data?.record.email;
  // An error is the API error shape, or MFA's {mfaId}.
  const failure = auth.error;
  const error: string | undefined = failure && 'message' in failure ? failure.message : undefined;
  const mfaId: string | undefined = failure && 'mfaId' in failure ? failure.mfaId : undefined;
  void [token, email, error, mfaId];
  await client.POST('/api/collections/users/records', {
    body: { email: 'a@example.com', password: 'p4ssw0rd!', passwordConfirm: 'p4ssw0rd!' },
  });
  const order = await client.POST('/api/shop/{shopId}/orders', {
    params: { path: { shopId: 'ab' }, query: { coupon: 'X' } },
    body: { sku: 'sku-1', quantity: 2 },
  });
  const total: number | undefined = order.data?.total;
  const titles = await client.GET('/api/collections/titles/records', {});
  const title: string | undefined = titles.data?.items[0]?.title;
  void [total, title];
}
`;

/**
 * Wrong clients, each with the diagnostic it must raise. openapi-fetch infers a request's
 * options generically, so TypeScript checks the types of an inline body's keys but not that
 * each key exists; a body typed with the generated schema catches an unknown key.
 */
const BAD: Record<string, { code: string; expected: RegExp }> = {
  unknownField: {
    code: `const body: components['schemas']['EverythingCreate'] = { title: 'x', nope: 1 };
  await client.POST('/api/collections/everything/records', { body });`,
    expected: /'nope' does not exist/,
  },
  wrongEnum: {
    code: `await client.POST('/api/collections/everything/records', { body: { title: 'x', status: 'gone' } });`,
    expected: /"gone"' is not assignable/,
  },
  missingRequired: {
    code: `await client.POST('/api/collections/everything/records', { body: { status: 'live' } });`,
    expected: /Property 'title' is missing/,
  },
  wrongType: {
    code: `await client.POST('/api/collections/everything/records', { body: { title: 'x', views: 'many' } });`,
    expected: /'string' is not assignable to type 'number'/,
  },
  routeBody: {
    code: `await client.POST('/api/shop/{shopId}/orders', { params: { path: { shopId: 'ab' } }, body: { sku: 'x', quantity: 'two' } });`,
    expected: /'string' is not assignable to type 'number'/,
  },
  missingIdempotencyKey: {
    code: `await client.POST('/api/collections/payments/records', { body: { amount: 5 } });`,
    expected: /'params' is missing/,
  },
  unknownPath: {
    code: `await client.GET('/api/collections/nothing/records', {});`,
    expected: /not assignable/,
  },
};

function compile(files: Record<string, string>): Map<string, string[]> {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(work, name), text);
  const program = ts.createProgram(
    Object.keys(files).map((name) => join(work, name)),
    {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
      skipLibCheck: true,
      paths: { 'openapi-fetch': [OPENAPI_FETCH] },
    },
  );
  const byFile = new Map<string, string[]>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file ? diagnostic.file.fileName.slice(work.length + 1) : '(global)';
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    byFile.set(file, [...(byFile.get(file) ?? []), text]);
  }
  return byFile;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'basalt-openapi-ts-'));
  work = mkdtempSync(join(tmpdir(), 'basalt-openapi-client-'));
  database = await createEngineDatabase();
  basalt = await createBasalt({ dataDir: dir, db: database.url });
  await createCollection(basalt.app, everyFieldTypeCollection());
  await createCollection(basalt.app, {
    name: 'titles',
    type: 'view',
    listRule: '',
    viewRule: '',
    viewQuery: 'SELECT id, title, views FROM everything',
  });
  await createCollection(basalt.app, {
    name: 'payments',
    createRule: '',
    idempotency: 'required',
    fields: [{ name: 'amount', type: 'number', required: true }],
  });
  basalt.routerAdd(
    'POST',
    '/api/shop/{shopId}/orders',
    (e) => ({ orderId: e.params.shopId, total: e.body.quantity * 2 }),
    {
      params: Type.Object({ shopId: Type.String() }),
      query: Type.Object({ coupon: Type.Optional(Type.String()) }),
      body: Type.Object({ sku: Type.String(), quantity: Type.Integer({ minimum: 1 }) }),
      response: Type.Object({ orderId: Type.String(), total: Type.Number() }),
    },
  );
  await createSuperuser(basalt.app, 'admin@example.com', 'correct-horse-1');
});
afterAll(async () => {
  await basalt.close({ graceMs: 500 });
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('typed clients from the document', () => {
  it('openapi-typescript types make an openapi-fetch client type-check', async () => {
    const login = await basalt.inject({
      method: 'POST',
      url: '/api/collections/_superusers/auth-with-password',
      payload: { identity: 'admin@example.com', password: 'correct-horse-1' },
    });
    const token = login.json<{ token: string }>().token;
    const res = await basalt.inject({
      method: 'GET',
      url: '/api/openapi.json',
      headers: { authorization: token },
    });
    expect(res.statusCode).toBe(200);
    const source = astToString(await openapiTS(res.body));
    const files: Record<string, string> = { 'schema.d.ts': source, 'good.ts': GOOD };
    for (const [name, bad] of Object.entries(BAD)) {
      files[`${name}.ts`] =
        `${PRELUDE}\nexport async function bad(): Promise<void> {\n  ${bad.code}\n}\n`;
    }
    const diagnostics = compile(files);
    expect(diagnostics.get('schema.d.ts')).toBeUndefined();
    expect(diagnostics.get('(global)')).toBeUndefined();
    expect(diagnostics.get('good.ts')).toBeUndefined();
    for (const [name, bad] of Object.entries(BAD)) {
      const found = diagnostics.get(`${name}.ts`) ?? [];
      expect(found.join('\n'), name).toMatch(bad.expected);
    }
    // The compiler reads lib.dom and the generated types: a limit for a busy machine, not a
    // measure.
  }, 180_000);
});
