import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSuperuser } from '../../src/core/auth/superuser-admin.js';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { createBasalt, type Basalt } from '../../src/index.js';
import { everyFieldTypeCollection } from '../fixtures/collections.js';
import { insertAuthRecord } from '../helpers/users.js';
import { createEngineDatabase, type EngineDatabase } from '../helpers/test-engine.js';

// GET /api/openapi.json: the document of the live schema and custom routes, validated by a
// real OpenAPI 3.1 validator, its access (superusers, or public), and its cache.

let basalt: Basalt;
let database: EngineDatabase;
let dir: string;
let superuser: string;
let user: string;

type Doc = {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: {
    schemas: Record<string, Record<string, unknown>>;
    securitySchemes: Record<string, unknown>;
  };
};

async function login(collection: string, identity: string, password: string): Promise<string> {
  const res = await basalt.inject({
    method: 'POST',
    url: `/api/collections/${collection}/auth-with-password`,
    payload: { identity, password },
  });
  const body = res.json<{ token?: string }>();
  if (typeof body.token !== 'string') throw new Error(`login failed: ${res.body}`);
  return body.token;
}

async function fetchDoc(
  token?: string,
): Promise<{ status: number; body: Doc & Record<string, unknown> }> {
  const res = await basalt.inject({
    method: 'GET',
    url: '/api/openapi.json',
    headers: token ? { authorization: token } : {},
  });
  return { status: res.statusCode, body: res.json() };
}

async function expectValid(doc: unknown): Promise<void> {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(doc) as Record<string, unknown>);
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);
  expect(validator.version).toBe('3.1');
}

/**
 * The JSON Schema keywords the document uses, checked against a value: `$ref` (to
 * components), `type`, `const`, `enum`, `required`, `properties`, `items`, `maxItems`.
 * Returns the mismatches' paths.
 */
function mismatches(
  schemas: Doc['components']['schemas'],
  schema: unknown,
  value: unknown,
  path = '',
): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === 'string') {
    return mismatches(schemas, schemas[s.$ref.replace('#/components/schemas/', '')], value, path);
  }
  const out: string[] = [];
  const types = [s.type ?? []].flat() as string[];
  const typeOf = (v: unknown): string[] =>
    v === null
      ? ['null']
      : Array.isArray(v)
        ? ['array']
        : typeof v === 'number'
          ? Number.isInteger(v)
            ? ['integer', 'number']
            : ['number']
          : [typeof v];
  if (types.length > 0 && !typeOf(value).some((t) => types.includes(t))) {
    return [`${path}: ${JSON.stringify(value)} is not ${types.join('|')}`];
  }
  if ('const' in s && s.const !== value) out.push(`${path}: not the const`);
  if (Array.isArray(s.enum) && !s.enum.includes(value)) out.push(`${path}: not in the enum`);
  if (Array.isArray(value)) {
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) out.push(`${path}: too many`);
    value.forEach((item, i) => out.push(...mismatches(schemas, s.items, item, `${path}/${i}`)));
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of (s.required as string[] | undefined) ?? []) {
      if (!(key in record)) out.push(`${path}/${key}: missing`);
    }
    const properties = (s.properties ?? {}) as Record<string, unknown>;
    for (const [key, item] of Object.entries(record)) {
      if (key in properties)
        out.push(...mismatches(schemas, properties[key], item, `${path}/${key}`));
      else if (s.additionalProperties === undefined && s.properties)
        out.push(`${path}/${key}: not in the schema`);
    }
  }
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'basalt-openapi-'));
  database = await createEngineDatabase();
  basalt = await createBasalt({ dataDir: dir, db: database.url });
  await createCollection(basalt.app, everyFieldTypeCollection());
  await createCollection(basalt.app, {
    name: 'secrets',
    fields: [{ name: 'value', type: 'text' }],
  });
  await createCollection(basalt.app, {
    name: 'titles',
    type: 'view',
    listRule: '',
    viewRule: '',
    viewQuery: 'SELECT id, title, views FROM everything',
  });
  basalt.routerAdd(
    'POST',
    '/api/shop/{shopId}/orders',
    (e) => ({
      orderId: `${e.params.shopId}-${String(e.body.quantity)}`,
      total: e.body.quantity * 2,
    }),
    {
      summary: 'Place an order',
      params: Type.Object({ shopId: Type.String({ minLength: 2 }) }),
      query: Type.Object({ coupon: Type.Optional(Type.String()) }),
      body: Type.Object({ sku: Type.String(), quantity: Type.Integer({ minimum: 1 }) }),
      response: Type.Object({ orderId: Type.String(), total: Type.Number() }),
      auth: 'required',
    },
  );
  await createCollection(basalt.app, {
    name: 'payments',
    listRule: '',
    viewRule: '',
    createRule: '',
    idempotency: 'required',
    fields: [{ name: 'amount', type: 'number' }],
  });
  basalt.routerAdd('POST', '/api/shop/pay', () => ({ paid: true }), {
    idempotency: 'optional',
    response: Type.Object({ paid: Type.Boolean() }),
  });
  basalt.routerAdd('GET', '/api/admin/report', () => ({ ok: true }), {
    auth: 'superuser',
    response: Type.Object({ ok: Type.Boolean() }),
  });
  await createSuperuser(basalt.app, 'admin@example.com', 'correct-horse-1');
  superuser = await login('_superusers', 'admin@example.com', 'correct-horse-1');
  await insertAuthRecord(basalt.app, 'users', 'user@example.com', 'correct-horse-1');
  user = await login('users', 'user@example.com', 'correct-horse-1');
});
afterAll(async () => {
  await basalt.close({ graceMs: 500 });
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the superusers document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const { status, body } = await fetchDoc(superuser);
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    await expectValid(body);
  });

  it('maps every field type', async () => {
    const { body } = await fetchDoc(superuser);
    const record = body.components.schemas.EverythingRecord!;
    const props = record.properties as Record<string, Record<string, unknown>>;
    expect(props.collectionName).toEqual({ type: 'string', const: 'everything' });
    expect(props.title).toEqual({ type: 'string' });
    expect(props.views).toEqual({ type: 'integer' });
    expect(props.published).toEqual({ type: 'boolean' });
    expect(props.status).toEqual({ type: 'string', enum: ['draft', 'live', 'archived', ''] });
    expect(props.tags).toEqual({
      type: 'array',
      items: { type: 'string', enum: ['a', 'b', 'c'] },
      maxItems: 3,
    });
    expect(props.cover).toEqual({ type: 'string' });
    expect(props.attachments).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(props.owner).toMatchObject({ type: 'string' });
    expect(props.readers).toMatchObject({ type: 'array', maxItems: 10 });
    expect(props.location).toMatchObject({ type: 'object', required: ['lon', 'lat'] });
    expect(props.meta).not.toHaveProperty('type');
    expect(props.created).toMatchObject({ type: 'string' });
    // Superusers see hidden fields; they are optional.
    expect(props.secret).toMatchObject({ type: 'string' });
    expect(record.required).not.toContain('secret');
    expect(record.required).toEqual(expect.arrayContaining(['id', 'title', 'location', 'created']));
    const expand = props.expand!.properties as Record<string, unknown>;
    expect(expand.owner).toEqual({ $ref: '#/components/schemas/UsersRecord' });
    expect(expand.readers).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/UsersRecord' },
    });

    const create = body.components.schemas.EverythingCreate!;
    const input = create.properties as Record<string, Record<string, unknown>>;
    expect(create.required).toEqual(['title']);
    expect(input.title).toEqual({ type: 'string', maxLength: 200 });
    expect(input).not.toHaveProperty('created');
    expect(input['views+']).toEqual({ type: 'number' });
    expect(input['tags-']).toBeDefined();
    const form = body.components.schemas.EverythingCreateForm!.properties as Record<
      string,
      Record<string, unknown>
    >;
    expect(form.cover).toEqual({ type: 'string', format: 'binary' });
    expect(form.attachments).toMatchObject({ items: { type: 'string', format: 'binary' } });
    expect(body.paths['/api/collections/everything/records']!.post!.requestBody).toMatchObject({
      content: {
        'application/json': { schema: { $ref: '#/components/schemas/EverythingCreate' } },
        'multipart/form-data': { schema: { $ref: '#/components/schemas/EverythingCreateForm' } },
      },
    });
  });

  it('describes what the API really answers', async () => {
    const { body: doc } = await fetchDoc(superuser);
    const schemas = doc.components.schemas;
    const users = await basalt.inject({
      method: 'GET',
      url: '/api/collections/users/records',
      headers: { authorization: superuser },
    });
    const userId = users.json<{ items: { id: string }[] }>().items[0]!.id;
    const created = await basalt.inject({
      method: 'POST',
      url: '/api/collections/everything/records?expand=owner,readers',
      headers: { authorization: superuser },
      payload: {
        title: 'Full record',
        views: 7,
        published: true,
        contact: 'a@example.com',
        homepage: 'https://example.org/x',
        body: '<p>hi</p>',
        releaseAt: '2025-01-02 03:04:05.000Z',
        status: 'live',
        tags: ['a', 'c'],
        owner: userId,
        readers: [userId],
        meta: { nested: [1, 'two', null] },
        secret: 'a-long-secret-value',
        location: { lon: 10.5, lat: -20.25 },
      },
    });
    expect(created.statusCode).toBe(200);
    const record: unknown = created.json();
    expect(mismatches(schemas, { $ref: '#/components/schemas/EverythingRecord' }, record)).toEqual(
      [],
    );
    // An empty record: "" for empty single values, [] for lists, null json, {0,0} points.
    const empty = await basalt.inject({
      method: 'POST',
      url: '/api/collections/everything/records',
      headers: { authorization: superuser },
      payload: { title: 'Empty one' },
    });
    expect(
      mismatches(schemas, { $ref: '#/components/schemas/EverythingRecord' }, empty.json()),
    ).toEqual([]);
    const list = await basalt.inject({ method: 'GET', url: '/api/collections/everything/records' });
    expect(list.statusCode).toBe(200);
    expect(
      mismatches(schemas, { $ref: '#/components/schemas/EverythingList' }, list.json()),
    ).toEqual([]);
    const view = await basalt.inject({ method: 'GET', url: '/api/collections/titles/records' });
    expect(mismatches(schemas, { $ref: '#/components/schemas/TitlesList' }, view.json())).toEqual(
      [],
    );
    const auth = await basalt.inject({
      method: 'POST',
      url: '/api/collections/users/auth-with-password',
      payload: { identity: 'user@example.com', password: 'correct-horse-1' },
    });
    expect(
      mismatches(schemas, { $ref: '#/components/schemas/UsersAuthResponse' }, auth.json()),
    ).toEqual([]);
    const methods = await basalt.inject({
      method: 'GET',
      url: '/api/collections/users/auth-methods',
    });
    expect(
      mismatches(schemas, { $ref: '#/components/schemas/AuthMethods' }, methods.json()),
    ).toEqual([]);
    const health = await basalt.inject({ method: 'GET', url: '/api/health' });
    expect(mismatches(schemas, { $ref: '#/components/schemas/Health' }, health.json())).toEqual([]);
    const refused = await basalt.inject({ method: 'GET', url: '/api/collections/secrets/records' });
    expect(mismatches(schemas, { $ref: '#/components/schemas/ApiError' }, refused.json())).toEqual(
      [],
    );
    await basalt.app.db.db.deleteFrom('everything').execute();
  });

  it('documents auth collections, views and superuser endpoints', async () => {
    const { body } = await fetchDoc(superuser);
    const users = body.components.schemas.UsersRecord!;
    expect(users.properties).not.toHaveProperty('password');
    expect(users.properties).not.toHaveProperty('tokenKey');
    expect(users.required).not.toContain('email');
    expect(body.components.schemas.UsersCreate!.required).toEqual(
      expect.arrayContaining(['password', 'passwordConfirm']),
    );
    for (const path of [
      'auth-methods',
      'auth-with-password',
      'auth-refresh',
      'request-password-reset',
      'confirm-password-reset',
      'request-verification',
      'confirm-verification',
      'request-email-change',
      'confirm-email-change',
      'impersonate/{id}',
    ]) {
      expect(body.paths).toHaveProperty([`/api/collections/users/${path}`]);
    }
    expect(body.paths).toHaveProperty(['/api/collections/_superusers/auth-with-password']);
    expect(body.paths).not.toHaveProperty(['/api/collections/_superusers/request-verification']);
    // A view's fields are inferred from its query on each engine: the same document.
    const titles = body.components.schemas.TitlesRecord!;
    expect(titles.properties).toMatchObject({
      collectionName: { const: 'titles' },
      id: { type: 'string' },
      title: { type: 'string' },
      views: { type: 'integer' },
    });
    expect(titles.required).toEqual(['collectionId', 'collectionName', 'id', 'title', 'views']);
    // A view lists and views only.
    expect(Object.keys(body.paths['/api/collections/titles/records']!)).toEqual(['get']);
    expect(body.components.schemas).not.toHaveProperty('TitlesCreate');
    // Null rules: superusers only, with the token required.
    const secrets = body.paths['/api/collections/secrets/records']!.get!;
    expect(secrets.security).toEqual([{ AuthToken: [] }]);
    expect(body.paths).toHaveProperty(['/api/collections']);
    expect(body.paths).toHaveProperty(['/api/settings']);
    expect(body.paths).toHaveProperty(['/api/files/{collection}/{recordId}/{filename}']);
    expect(body.paths['/api/realtime']).toHaveProperty(['get']);
    expect(body.paths['/api/realtime']).toHaveProperty(['post']);
    expect(body.components.schemas.ApiError!.required).toEqual(['status', 'message', 'data']);
    expect(Object.keys(body.components.securitySchemes)).toEqual(['AuthToken']);
    expect(body.components.securitySchemes.AuthToken).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
    });
  });

  it('documents custom routes with their schemas', async () => {
    const { body } = await fetchDoc(superuser);
    const order = body.paths['/api/shop/{shopId}/orders']!.post!;
    expect(order.summary).toBe('Place an order');
    expect(order.parameters).toEqual([
      { name: 'shopId', in: 'path', required: true, schema: { type: 'string', minLength: 2 } },
      { name: 'coupon', in: 'query', required: false, schema: { type: 'string' } },
    ]);
    expect(order.requestBody).toEqual({
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: {
              sku: { type: 'string' },
              quantity: { type: 'integer', minimum: 1 },
            },
            required: ['sku', 'quantity'],
          },
        },
      },
    });
    expect(order.responses).toMatchObject({
      '200': {
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: { orderId: { type: 'string' }, total: { type: 'number' } },
            },
          },
        },
      },
    });
    expect(Object.keys(order.responses as object)).toEqual(['200', '400', '401', '403']);
    expect(body.paths).toHaveProperty(['/api/admin/report']);
  });

  it('is the same document on every request until the schema or routes change', async () => {
    const first = await basalt.inject({
      method: 'GET',
      url: '/api/openapi.json',
      headers: { authorization: superuser },
    });
    const again = await basalt.inject({
      method: 'GET',
      url: '/api/openapi.json',
      headers: { authorization: superuser },
    });
    expect(again.body).toBe(first.body);
    await createCollection(basalt.app, {
      name: 'later',
      listRule: '',
      fields: [{ name: 'n', type: 'number' }],
    });
    let doc = (await fetchDoc(superuser)).body;
    expect(doc.paths).toHaveProperty(['/api/collections/later/records']);
    basalt.routerAdd('GET', '/api/later/{rest...}', () => 'x');
    doc = (await fetchDoc(superuser)).body;
    expect(doc.paths['/api/later/{rest}']!.get!.parameters).toEqual([
      expect.objectContaining({ name: 'rest', in: 'path', required: true }),
    ]);
    basalt.routes.remove('GET', '/api/later/{rest...}');
    doc = (await fetchDoc(superuser)).body;
    expect(doc.paths).not.toHaveProperty(['/api/later/{rest}']);
    await expectValid(doc);
  });
});

type Operation = {
  parameters?: { name: string; in: string; required?: boolean }[];
  responses: Record<string, { headers?: Record<string, unknown>; content?: unknown }>;
  security?: unknown;
  tags?: string[];
};

function operationOf(doc: Doc, path: string, method: string): Operation {
  const op = doc.paths[path]?.[method];
  if (!op) throw new Error(`no ${method} ${path}`);
  return op as unknown as Operation;
}

function headerParams(op: Operation): { name: string; required?: boolean }[] {
  return (op.parameters ?? []).filter((p) => p.in === 'header');
}

describe('the features merged after the document (issue 17)', () => {
  it('documents the crons and jobs APIs for superusers, matching their answers', async () => {
    const { body: doc } = await fetchDoc(superuser);
    const ops = [
      ['/api/crons', 'get', 'crons.list', ['200', '401', '403']],
      ['/api/crons/{id}', 'post', 'crons.run', ['204', '401', '403', '404']],
      ['/api/jobs', 'get', 'jobs.list', ['200', '400', '401', '403']],
      ['/api/jobs/{id}', 'get', 'jobs.view', ['200', '401', '403', '404']],
      ['/api/jobs/{id}', 'delete', 'jobs.delete', ['204', '400', '401', '403', '404']],
      ['/api/jobs/{id}/run', 'post', 'jobs.run', ['200', '400', '401', '403', '404']],
    ] as const;
    for (const [path, method, id, statuses] of ops) {
      const op = operationOf(doc, path, method);
      expect((op as unknown as { operationId: string }).operationId).toBe(id);
      expect(Object.keys(op.responses)).toEqual(statuses);
      expect(op.security).toEqual([{ AuthToken: [] }]);
      expect(op.tags).toEqual(['superusers']);
    }
    expect(operationOf(doc, '/api/jobs/{id}/run', 'post').parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    ]);
    const listParams = operationOf(doc, '/api/jobs', 'get').parameters ?? [];
    expect(listParams.map((p) => p.name)).toEqual([
      'page',
      'perPage',
      'skipTotal',
      'state',
      'name',
      'fields',
    ]);
    expect(listParams[3]).toMatchObject({
      schema: { enum: ['pending', 'running', 'done', 'failed'] },
    });
    const schemas = doc.components.schemas;
    const auth = { authorization: superuser };
    const crons = await basalt.inject({ method: 'GET', url: '/api/crons', headers: auth });
    expect(crons.statusCode).toBe(200);
    expect(crons.json<unknown[]>().length).toBeGreaterThan(0);
    const cronList = { type: 'array', items: { $ref: '#/components/schemas/Cron' } };
    expect(mismatches(schemas, cronList, crons.json())).toEqual([]);
    basalt.app.jobs.add('openapi-probe', () => undefined);
    const id = await basalt.app.enqueue(
      'openapi-probe',
      { n: 1 },
      { runAt: Date.now() + 3_600_000, key: 'openapi-probe' },
    );
    const jobs = await basalt.inject({ method: 'GET', url: '/api/jobs', headers: auth });
    expect(jobs.statusCode).toBe(200);
    expect(jobs.json<{ items: unknown[] }>().items).toHaveLength(1);
    expect(mismatches(schemas, { $ref: '#/components/schemas/JobList' }, jobs.json())).toEqual([]);
    const job = await basalt.inject({ method: 'GET', url: `/api/jobs/${id}`, headers: auth });
    expect(mismatches(schemas, { $ref: '#/components/schemas/Job' }, job.json())).toEqual([]);
    const gone = await basalt.inject({ method: 'DELETE', url: `/api/jobs/${id}`, headers: auth });
    expect(gone.statusCode).toBe(204);
    const missing = await basalt.inject({ method: 'GET', url: `/api/jobs/${id}`, headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(mismatches(schemas, { $ref: '#/components/schemas/ApiError' }, missing.json())).toEqual(
      [],
    );
  });

  it('documents record versions: ETag, If-None-Match (304), If-Match (412)', async () => {
    const { body: doc } = await fetchDoc(superuser);
    const base = '/api/collections/everything/records';
    const etag = { ETag: { schema: { type: 'string' } } };
    const hasEtag = (op: Operation, status: string): void => {
      expect(op.responses[status]!.headers).toMatchObject(etag);
      expect(Object.keys(op.responses[status]!.headers ?? {})).toEqual(['ETag']);
    };
    const view = operationOf(doc, `${base}/{id}`, 'get');
    expect(headerParams(view)).toEqual([
      expect.objectContaining({ name: 'If-None-Match', required: false }),
    ]);
    hasEtag(view, '200');
    hasEtag(view, '304');
    expect(view.responses['304']!.content).toBeUndefined();
    const create = operationOf(doc, base, 'post');
    hasEtag(create, '200');
    expect(headerParams(create)).toEqual([]);
    const update = operationOf(doc, `${base}/{id}`, 'patch');
    expect(headerParams(update)).toEqual([
      expect.objectContaining({ name: 'If-Match', required: false }),
    ]);
    hasEtag(update, '200');
    expect(update.responses['412']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
    });
    const remove = operationOf(doc, `${base}/{id}`, 'delete');
    expect(headerParams(remove)).toEqual([expect.objectContaining({ name: 'If-Match' })]);
    expect(Object.keys(remove.responses)).toEqual(['204', '400', '401', '403', '404', '412']);
    // Lists carry no ETag; a view collection's records do.
    expect(operationOf(doc, base, 'get').responses['200']!.headers).toBeUndefined();
    const titles = operationOf(doc, '/api/collections/titles/records/{id}', 'get');
    hasEtag(titles, '200');
    // What the document says is what the API does.
    const auth = { authorization: superuser };
    const made = await basalt.inject({
      method: 'POST',
      url: base,
      headers: auth,
      payload: { title: 'Versioned' },
    });
    const tag = made.headers.etag;
    expect(typeof tag).toBe('string');
    const { id } = made.json<{ id: string }>();
    const same = await basalt.inject({
      method: 'GET',
      url: `${base}/${id}`,
      headers: { ...auth, 'if-none-match': String(tag) },
    });
    expect(same.statusCode).toBe(304);
    const stale = await basalt.inject({
      method: 'DELETE',
      url: `${base}/${id}`,
      headers: { ...auth, 'if-match': '"stale"' },
    });
    expect(stale.statusCode).toBe(412);
    expect(
      mismatches(doc.components.schemas, { $ref: '#/components/schemas/ApiError' }, stale.json()),
    ).toEqual([]);
    await basalt.app.db.db.deleteFrom('everything').execute();
  });

  it('documents Idempotency-Key on idempotent creates and routes', async () => {
    const { body: doc } = await fetchDoc(superuser);
    const replayed = { 'Idempotent-Replayed': { schema: { type: 'string', enum: ['true'] } } };
    const create = operationOf(doc, '/api/collections/payments/records', 'post');
    expect(headerParams(create)).toEqual([
      expect.objectContaining({ name: 'Idempotency-Key', required: true }),
    ]);
    expect(create.responses['200']!.headers).toMatchObject({ ETag: {}, ...replayed });
    expect(Object.keys(create.responses)).toEqual(['200', '400', '403', '409', '422']);
    // A collection without the option: no key, no 409/422.
    const plain = operationOf(doc, '/api/collections/everything/records', 'post');
    expect(headerParams(plain)).toEqual([]);
    expect(plain.responses).not.toHaveProperty('409');
    const route = operationOf(doc, '/api/shop/pay', 'post');
    expect(headerParams(route)).toEqual([
      expect.objectContaining({ name: 'Idempotency-Key', required: false }),
    ]);
    expect(route.responses['200']!.headers).toMatchObject(replayed);
    expect(Object.keys(route.responses['200']!.headers ?? {})).toEqual(['Idempotent-Replayed']);
    expect(Object.keys(route.responses)).toEqual(['200', '400', '409', '422']);
    expect(operationOf(doc, '/api/shop/{shopId}/orders', 'post').responses).not.toHaveProperty(
      '409',
    );
    const collection = doc.components.schemas.Collection!.properties as Record<string, unknown>;
    expect(collection.idempotency).toMatchObject({ enum: ['required', 'optional', '', null] });
    // What the document says is what the API does.
    const url = '/api/collections/payments/records';
    const missing = await basalt.inject({ method: 'POST', url, payload: { amount: 1 } });
    expect(missing.statusCode).toBe(400);
    const headers = { 'idempotency-key': 'openapi-1' };
    const first = await basalt.inject({ method: 'POST', url, headers, payload: { amount: 1 } });
    expect(first.statusCode).toBe(200);
    const again = await basalt.inject({ method: 'POST', url, headers, payload: { amount: 1 } });
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await basalt.inject({ method: 'POST', url, headers, payload: { amount: 2 } });
    expect(other.statusCode).toBe(422);
    const rows = await basalt.app.db.db.selectFrom('payments').select('id').execute();
    expect(rows).toHaveLength(1);
    const json = await fetchDoc(superuser);
    await expectValid(json.body);
  });
});

describe('access', () => {
  it('is for superusers unless public: 401 for guests, 403 for other records', async () => {
    const guest = await fetchDoc();
    expect(guest.status).toBe(401);
    expect(guest.body).toMatchObject({ status: 401, data: {} });
    expect(typeof guest.body.message).toBe('string');
    const other = await fetchDoc(user);
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ status: 403, data: {} });
  });

  it('rejects a bad openapi setting and keeps the setting', async () => {
    const res = await basalt.inject({
      method: 'PATCH',
      url: '/api/settings',
      headers: { authorization: superuser },
      payload: { openapi: { public: 'yes please' } },
    });
    expect(res.statusCode).toBe(400);
    const refused = res.json<{ status: number; data: { openapi?: { public?: unknown } } }>();
    expect(refused.status).toBe(400);
    expect(refused.data.openapi?.public).toBeDefined();
    expect(basalt.app.settings.peek().openapi.public).toBe(false);
  });

  it('public: anyone reads the public document, superusers still the whole one', async () => {
    const res = await basalt.inject({
      method: 'PATCH',
      url: '/api/settings',
      headers: { authorization: superuser },
      payload: { openapi: { public: true } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ openapi: { public: true } });
    try {
      const guest = await fetchDoc();
      expect(guest.status).toBe(200);
      const doc = guest.body;
      await expectValid(doc);
      expect(doc.paths).toHaveProperty(['/api/collections/everything/records']);
      expect(doc.paths).toHaveProperty(['/api/collections/titles/records']);
      // Null list and view rules: left out; null create rule: no create operation.
      expect(Object.keys(doc.paths).some((p) => p.includes('/secrets/'))).toBe(false);
      expect(Object.keys(doc.paths).some((p) => p.includes('/_superusers/'))).toBe(false);
      expect(doc.components.schemas).not.toHaveProperty('SecretsRecord');
      expect(doc.components.schemas).not.toHaveProperty('SuperusersRecord');
      expect(doc.paths['/api/collections/everything/records']).not.toHaveProperty('post');
      // No superuser-only endpoints, no hidden fields.
      for (const path of [
        '/api/collections',
        '/api/settings',
        '/api/admin/report',
        '/api/crons',
        '/api/crons/{id}',
        '/api/jobs',
        '/api/jobs/{id}',
        '/api/jobs/{id}/run',
      ]) {
        expect(doc.paths).not.toHaveProperty([path]);
      }
      for (const name of ['Cron', 'Job', 'JobList']) {
        expect(doc.components.schemas).not.toHaveProperty(name);
      }
      // The headers show in the public document too.
      const pay = doc.paths['/api/collections/payments/records']!.post!;
      expect(pay.parameters).toContainEqual(
        expect.objectContaining({ name: 'Idempotency-Key', required: true }),
      );
      expect(doc.paths['/api/shop/pay']).toHaveProperty('post');
      expect(doc.paths).not.toHaveProperty(['/api/collections/users/impersonate/{id}']);
      expect(doc.components.schemas.EverythingRecord!.properties).not.toHaveProperty('secret');
      expect(doc.paths).toHaveProperty(['/api/shop/{shopId}/orders']);
      expect((await fetchDoc(user)).body).toEqual(doc);
      const full = await fetchDoc(superuser);
      expect(full.body.paths).toHaveProperty(['/api/settings']);
    } finally {
      await basalt.app.settings.update({ openapi: { public: false } });
    }
    expect((await fetchDoc()).status).toBe(401);
  });
});

describe('response schemas', () => {
  it('checks the answer: a mismatch is a 500 and rolls a transaction back', async () => {
    basalt.routerAdd('GET', '/api/typed/good', () => ({ n: 1 }), {
      response: Type.Object({ n: Type.Integer() }),
    });
    basalt.routerAdd(
      'GET',
      '/api/typed/bad',
      // @ts-expect-error: the handler's return must match the response schema.
      () => ({ n: 'one' }),
      { response: Type.Object({ n: Type.Integer() }) },
    );
    basalt.routerAdd(
      'POST',
      '/api/typed/json',
      (e) => {
        e.json(201, { wrong: true });
      },
      { response: Type.Object({ n: Type.Integer() }) },
    );
    basalt.routerAdd(
      'POST',
      '/api/typed/error',
      (e) => {
        e.json(409, { anything: true });
      },
      { response: Type.Object({ n: Type.Integer() }) },
    );
    basalt.routerAdd(
      'POST',
      '/api/typed/tx',
      async (e) => {
        await e.app.records('secrets').create({ value: 'from the route' });
        return { n: 'not a number' } as unknown as { n: number };
      },
      { response: Type.Object({ n: Type.Integer() }), transaction: true },
    );
    expect((await basalt.inject({ method: 'GET', url: '/api/typed/good' })).json()).toEqual({
      n: 1,
    });
    const bad = await basalt.inject({ method: 'GET', url: '/api/typed/bad' });
    expect(bad.statusCode).toBe(500);
    expect(bad.json()).toMatchObject({ status: 500, data: {} });
    expect(bad.body).not.toContain('one');
    expect((await basalt.inject({ method: 'POST', url: '/api/typed/json' })).statusCode).toBe(500);
    const error = await basalt.inject({ method: 'POST', url: '/api/typed/error' });
    expect(error.statusCode).toBe(409);
    const tx = await basalt.inject({ method: 'POST', url: '/api/typed/tx' });
    expect(tx.statusCode).toBe(500);
    const rows = await basalt.app.db.db.selectFrom('secrets').select('id').execute();
    expect(rows).toHaveLength(0);
  });
});
