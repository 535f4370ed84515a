import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSuperuser } from '../../src/core/auth/superuser-admin.js';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { ApiError } from '../../src/core/errors.js';
import { NotFoundError } from '../../src/core/app-errors.js';
import { internalRequest } from '../../src/core/record/record-request.js';
import { createRecord } from '../../src/core/record/record-write.js';
import { createBasalt, type Basalt, type RouteMethod } from '../../src/index.js';
import { insertAuthRecord } from '../helpers/users.js';
import { createEngineDatabase, type EngineDatabase } from '../helpers/test-engine.js';

// Custom routes (routerAdd) and the embedding entry point (createBasalt), on every engine.

let basalt: Basalt;
let database: EngineDatabase;
let dir: string;
let superuser: string;
let user: string;

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

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'basalt-routes-'));
  database = await createEngineDatabase();
  basalt = await createBasalt({ dataDir: dir, db: database.url });
  await createCollection(basalt.app, {
    name: 'notes',
    createRule: '',
    fields: [{ name: 'title', type: 'text' }],
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

async function countNotes(): Promise<number> {
  const rows = await basalt.app.db.db.selectFrom('notes').select('id').execute();
  return rows.length;
}

describe('routerAdd', () => {
  it('captures params and the final wildcard, percent-decoded', async () => {
    basalt.routerAdd('GET', '/api/shop/{id}/items/{item}', (e) => ({ params: e.params }));
    basalt.routerAdd('GET', '/static/{path...}', (e) => ({ path: e.params.path }));
    let res = await basalt.inject({ method: 'GET', url: '/api/shop/a%20b/items/7?x=1' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ params: { id: 'a b', item: '7' } });
    res = await basalt.inject({ method: 'GET', url: '/static/css/site.css' });
    expect(res.json()).toEqual({ path: 'css/site.css' });
    res = await basalt.inject({ method: 'GET', url: '/api/shop/1/items' });
    expect(res.statusCode).toBe(404);
  });

  it('serves only its method; * serves all; HEAD follows GET', async () => {
    basalt.routerAdd('POST', '/api/m/post', () => 'posted');
    basalt.routerAdd('*', '/api/m/any', (e) => e.request.method);
    expect((await basalt.inject({ method: 'POST', url: '/api/m/post' })).json()).toBe('posted');
    expect((await basalt.inject({ method: 'GET', url: '/api/m/post' })).statusCode).toBe(404);
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE'] as const) {
      expect((await basalt.inject({ method, url: '/api/m/any' })).json()).toBe(method);
    }
    basalt.routerAdd('GET', '/api/m/get', () => ({ ok: true }));
    expect((await basalt.inject({ method: 'HEAD', url: '/api/m/get' })).statusCode).toBe(200);
  });

  it('sends what the reply helpers say', async () => {
    basalt.routerAdd('GET', '/api/r/{kind}', (e) => {
      if (e.params.kind === 'json') e.json(201, { made: true });
      else if (e.params.kind === 'html') e.html(200, '<p>hi</p>');
      else if (e.params.kind === 'redirect') e.redirect('/elsewhere');
      else e.noContent();
    });
    let res = await basalt.inject({ method: 'GET', url: '/api/r/json' });
    expect([res.statusCode, res.json()]).toEqual([201, { made: true }]);
    res = await basalt.inject({ method: 'GET', url: '/api/r/html' });
    expect([res.statusCode, res.headers['content-type'], res.body]).toEqual([
      200,
      'text/html; charset=utf-8',
      '<p>hi</p>',
    ]);
    res = await basalt.inject({ method: 'GET', url: '/api/r/redirect' });
    expect([res.statusCode, res.headers.location]).toEqual([302, '/elsewhere']);
    res = await basalt.inject({ method: 'GET', url: '/api/r/none' });
    expect([res.statusCode, res.body]).toEqual([204, '']);
  });

  it('validates query, params and body schemas: 400 with per-field data', async () => {
    basalt.routerAdd(
      'POST',
      '/api/v/{n}',
      (e) => ({ n: e.params.n, page: e.query.page, title: e.body.title }),
      {
        params: Type.Object({ n: Type.Integer() }),
        query: Type.Object({ page: Type.Integer({ minimum: 1 }) }),
        body: Type.Object({ title: Type.String({ minLength: 1 }) }),
      },
    );
    let res = await basalt.inject({
      method: 'POST',
      url: '/api/v/3?page=2',
      payload: { title: 'x' },
    });
    expect(res.json()).toEqual({ n: 3, page: 2, title: 'x' });
    res = await basalt.inject({ method: 'POST', url: '/api/v/3?page=0', payload: { title: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      status: 400,
      data: { page: { code: 'validation_invalid_value' } },
    });
    res = await basalt.inject({ method: 'POST', url: '/api/v/3?page=1', payload: {} });
    expect(res.json()).toMatchObject({
      status: 400,
      data: { title: { code: 'validation_required' } },
    });
    res = await basalt.inject({ method: 'POST', url: '/api/v/x?page=1', payload: { title: 'x' } });
    expect(res.json()).toMatchObject({
      status: 400,
      data: { n: { code: 'validation_invalid_value' } },
    });
    res = await basalt.inject({
      method: 'POST',
      url: '/api/v/4?page=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'title=form',
    });
    expect(res.json()).toEqual({ n: 4, page: 1, title: 'form' });
  });

  it('reads the text parts of a multipart body', async () => {
    basalt.routerAdd('POST', '/api/form', (e) => e.body);
    const boundary = 'routesBoundary';
    const res = await basalt.inject({
      method: 'POST',
      url: '/api/form',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload:
        `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nhello\r\n` +
        `--${boundary}--\r\n`,
    });
    expect(res.json()).toEqual({ title: 'hello' });
  });

  it('checks auth: 401 for guests, 403 for others', async () => {
    basalt.routerAdd('GET', '/api/a/user', (e) => ({ id: e.auth?.record.id, su: e.isSuperuser }), {
      auth: 'required',
    });
    basalt.routerAdd('GET', '/api/a/admin', () => 'ok', { auth: 'superuser' });
    basalt.routerAdd('GET', '/api/a/fn', () => 'ok', {
      auth: (auth) => auth?.collection.name === 'users',
    });
    const as = (token: string) => ({ authorization: token });
    let res = await basalt.inject({ method: 'GET', url: '/api/a/user' });
    expect(res.json()).toEqual({
      data: {},
      message: 'Missing or invalid authentication.',
      status: 401,
    });
    res = await basalt.inject({ method: 'GET', url: '/api/a/user', headers: as(user) });
    expect(res.json()).toMatchObject({ su: false });
    res = await basalt.inject({ method: 'GET', url: '/api/a/admin', headers: as(user) });
    expect(res.json()).toMatchObject({ status: 403 });
    res = await basalt.inject({ method: 'GET', url: '/api/a/admin', headers: as(superuser) });
    expect(res.json()).toBe('ok');
    res = await basalt.inject({ method: 'GET', url: '/api/a/fn', headers: as(superuser) });
    expect(res.statusCode).toBe(403);
    res = await basalt.inject({ method: 'GET', url: '/api/a/fn' });
    expect(res.statusCode).toBe(401);
    res = await basalt.inject({ method: 'GET', url: '/api/a/fn', headers: as(user) });
    expect(res.json()).toBe('ok');
  });

  it('refuses a route a built-in route serves; unknown paths still answer 404', async () => {
    expect(() => {
      basalt.routerAdd('GET', '/api/health', () => 'mine');
    }).toThrow(/built-in/);
    expect(() => {
      basalt.routerAdd('GET', '/api/collections/{c}/records', () => 'mine');
    }).toThrow(/built-in/);
    const options: string = 'OPTIONS';
    expect(() => {
      basalt.routerAdd(options as RouteMethod, '/api/x', () => 'x');
    }).toThrow(/OPTIONS/);
    expect(() => {
      basalt.routerAdd('GET', '/api/{a}/{a}', () => 'x');
    }).toThrow(/repeated/);
    expect(() => {
      basalt.routerAdd('GET', '/api/{rest...}/x', () => 'x');
    }).toThrow(/last/);
    expect((await basalt.inject({ method: 'GET', url: '/api/health' })).json()).toMatchObject({
      code: 200,
    });
    const res = await basalt.inject({
      method: 'POST',
      url: '/api/nothing/here',
      payload: { a: 1 },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      data: {},
      message: "The requested resource wasn't found.",
      status: 404,
    });
  });

  it('renders the error classes; any other error is 500 with the generic message', async () => {
    basalt.routerAdd('GET', '/api/e/{kind}', (e) => {
      if (e.params.kind === 'missing') throw new NotFoundError('No such order.');
      if (e.params.kind === 'teapot') throw new ApiError(418, "I'm a teapot.", {});
      throw new Error('secret details');
    });
    let res = await basalt.inject({ method: 'GET', url: '/api/e/missing' });
    expect(res.json()).toEqual({ data: {}, message: 'No such order.', status: 404 });
    res = await basalt.inject({ method: 'GET', url: '/api/e/teapot' });
    expect(res.statusCode).toBe(418);
    res = await basalt.inject({ method: 'GET', url: '/api/e/bug' });
    expect(res.json()).toEqual({
      data: {},
      message: 'Something went wrong while processing your request.',
      status: 500,
    });
  });

  it('runs a transaction: route in one transaction; a throw rolls back', async () => {
    basalt.routerAdd(
      'POST',
      '/api/tx/{mode}',
      async (e) => {
        await createRecord(e.app, 'notes', { title: e.params.mode }, internalRequest(), {
          scope: e.tx,
        });
        if (e.params.mode === 'fail') throw new Error('after the write');
        return { stored: true };
      },
      { transaction: true },
    );
    const before = await countNotes();
    let res = await basalt.inject({ method: 'POST', url: '/api/tx/fail' });
    expect(res.statusCode).toBe(500);
    expect(await countNotes()).toBe(before);
    res = await basalt.inject({ method: 'POST', url: '/api/tx/ok' });
    expect(res.json()).toEqual({ stored: true });
    expect(await countNotes()).toBe(before + 1);
  });

  it('swaps a handler at runtime; a request in flight finishes on the old one', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = () => {};
    const started = new Promise<void>((resolve) => {
      entered = resolve;
    });
    basalt.routerAdd('GET', '/api/swap', async () => {
      entered();
      await gate;
      return 'old';
    });
    const slow = basalt.inject({ method: 'GET', url: '/api/swap' });
    await started;
    basalt.routerAdd('GET', '/api/swap', () => 'new');
    expect((await basalt.inject({ method: 'GET', url: '/api/swap' })).json()).toBe('new');
    release();
    expect((await slow).json()).toBe('old');
    await basalt.routes.replaceAll((add) => {
      add('GET', '/api/swap', () => 'reloaded');
    });
    expect((await basalt.inject({ method: 'GET', url: '/api/swap' })).json()).toBe('reloaded');
    expect((await basalt.inject({ method: 'GET', url: '/api/m/post' })).statusCode).toBe(404);
    expect(basalt.routes.remove('GET', '/api/swap')).toBe(true);
    expect((await basalt.inject({ method: 'GET', url: '/api/swap' })).statusCode).toBe(404);
  });

  it('replaceGroup swaps one group and keeps the other routes', async () => {
    const { routes } = basalt;
    basalt.routerAdd('GET', '/api/group/own', () => 'embedder');
    routes.replaceGroup('g', [
      routes.compile('GET', '/api/group/a', () => 'a1'),
      routes.compile('GET', '/api/group/b', () => 'b1'),
    ]);
    expect((await basalt.inject('/api/group/a')).json()).toBe('a1');
    expect(routes.list().find((r) => r.pattern.source === '/api/group/a')?.group).toBe('g');
    routes.replaceGroup('g', [routes.compile('GET', '/api/group/a', () => 'a2')]);
    expect((await basalt.inject('/api/group/a')).json()).toBe('a2');
    expect((await basalt.inject('/api/group/b')).statusCode).toBe(404);
    expect((await basalt.inject('/api/group/own')).json()).toBe('embedder');
    expect(() => routes.compile('GET', '/api/health', () => 'x')).toThrow(/built-in route/);
    routes.replaceGroup('g', []);
    expect((await basalt.inject('/api/group/a')).statusCode).toBe(404);
    expect((await basalt.inject('/api/group/own')).json()).toBe('embedder');
  });

  it('honours the rateLimit label when rate limits are on', async () => {
    basalt.routerAdd('GET', '/api/limited/{id}', () => 'ok', { rateLimit: '/api/limited-label' });
    expect(() => {
      basalt.routerAdd('GET', '/api/bad-label', () => 'x', { rateLimit: 'nope' });
    }).toThrow(/rate limit label/);
    await basalt.app.settings.update({
      rateLimits: {
        enabled: true,
        excludedIPs: [],
        rules: [{ label: '/api/limited-label', audience: '', duration: 60, maxRequests: 2 }],
      },
    });
    try {
      const codes: number[] = [];
      for (const id of ['1', '2', '3']) {
        codes.push((await basalt.inject({ method: 'GET', url: `/api/limited/${id}` })).statusCode);
      }
      expect(codes).toEqual([200, 200, 429]);
    } finally {
      await basalt.app.settings.update({
        rateLimits: { enabled: false, excludedIPs: [], rules: [] },
      });
    }
  });

  it('holds a route to its bodyLimit: 413', async () => {
    basalt.routerAdd('POST', '/api/small', (e) => e.body, { bodyLimit: 16 });
    let res = await basalt.inject({ method: 'POST', url: '/api/small', payload: { a: 1 } });
    expect(res.json()).toEqual({ a: 1 });
    res = await basalt.inject({
      method: 'POST',
      url: '/api/small',
      payload: { a: 'x'.repeat(100) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ status: 413 });
  });
});

describe('createBasalt', () => {
  it('listens on a real port and close() ends it', async () => {
    const other = mkdtempSync(join(tmpdir(), 'basalt-listen-'));
    const otherDb = await createEngineDatabase();
    const served = await createBasalt({ dataDir: other, db: otherDb.url });
    try {
      served.routerAdd('GET', '/hello/{name}', (e) => ({ hello: e.params.name }));
      const address = await served.listen({ host: '127.0.0.1', port: 0 });
      expect(address.port).toBeGreaterThan(0);
      expect(address.url).toBe(`http://127.0.0.1:${String(address.port)}`);
      const res = await fetch(`${address.url}/hello/world`);
      expect(await res.json()).toEqual({ hello: 'world' });
      const health = await fetch(`${address.url}/api/health`);
      expect(health.status).toBe(200);
      await served.close({ graceMs: 500 });
      await expect(fetch(`${address.url}/api/health`)).rejects.toThrow();
    } finally {
      await served.close();
      await otherDb.drop();
      rmSync(other, { recursive: true, force: true });
    }
  });
});
