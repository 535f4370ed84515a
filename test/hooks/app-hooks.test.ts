import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSuperuser } from '../../src/core/auth/superuser-admin.js';
import { createCollection } from '../../src/core/collection/collection-service.js';
import {
  BadRequestError,
  createBasalt,
  defineHooks,
  ForbiddenError,
  TransactionTimeLimitError,
  type Basalt,
  type HooksApp,
} from '../../src/index.js';
import { createEngineDatabase, type EngineDatabase } from '../helpers/test-engine.js';

// The hook registration API of createBasalt and defineHooks: request hooks around the
// records API, onRecordEnrich on every rendered record, onMailerSend, onBootstrap and
// onTerminate (APP-LOGIC.md §2), on every engine.
let dir: string;
let database: EngineDatabase;
let basalt: Basalt;
let token: string;
const lifecycle: string[] = [];

async function send(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
  auth: string | undefined = token,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await basalt.inject({
    method,
    url,
    headers: {
      ...(auth ? { authorization: auth } : {}),
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });
  return {
    status: res.statusCode,
    body: res.body === '' ? {} : (JSON.parse(res.body) as Record<string, unknown>),
  };
}

const shopHooks = defineHooks((app: HooksApp) => {
  app.onBootstrap(async (e) => {
    lifecycle.push(`bootstrap:${String(e.app.collections.all().length > 0)}`);
    await e.next();
  });
  app.onTerminate(async (e) => {
    lifecycle.push('terminate');
    await e.next();
  });
  app.onRecordsListRequest('posts', async (e) => {
    // Guests only ever see published posts, whatever filter they send.
    if (!e.isSuperuser) e.query.filter = 'published = true';
    await e.next();
  });
  app.onRecordCreateRequest('posts', async (e) => {
    if (e.body && typeof e.body === 'object' && 'secret' in e.body) {
      throw new ForbiddenError('No secrets here.');
    }
    await e.next();
    e.response = { ...(e.response as object), viaHook: true };
  });
  app.onRecordEnrich('posts', async (e) => {
    e.record.set('titleLength', e.record.getString('title').length);
    if (!e.isSuperuser) e.hide('draftNote');
    await e.next();
  });
  app.onRecordAuthWithPasswordRequest('users', async (e) => {
    const body = e.body as { identity?: unknown };
    if (typeof body.identity === 'string')
      e.body = { ...body, identity: body.identity.toLowerCase() };
    await e.next();
  });
  app.onRecordAuthRequest('users', async (e) => {
    if (e.record?.getString('email').startsWith('blocked')) {
      throw new ForbiddenError('This account is blocked.');
    }
    e.meta = { greeting: `hello ${e.method}` };
    await e.next();
  });
  app.onBatchRequest(async (e) => {
    const requests = (e.body as { requests?: unknown[] }).requests ?? [];
    if (requests.length > 2) throw new BadRequestError('At most two writes at once.');
    await e.next();
  });
  app.onFileDownloadRequest('posts', async (e) => {
    e.servedName = `renamed-${e.fileName.split('_')[0] ?? ''}.txt`;
    await e.next();
  });
  app.onRealtimeSubscribeRequest(async (e) => {
    const subscriptions = (e.body as { subscriptions?: unknown[] }).subscriptions ?? [];
    if (subscriptions.includes('secret')) throw new ForbiddenError('Not for you.');
    await e.next();
  });
  app.onMailerRecordPasswordResetSend('users', async (e) => {
    e.message = { ...e.message, subject: `Reset for ${e.record.getString('email')}` };
    await e.next();
  });
  app.onMailerSend(async (e) => {
    if (e.message.to.endsWith('@blocked.example')) throw new Error('blocked recipient');
    e.message = { ...e.message, subject: `[Shop] ${e.message.subject}` };
    await e.next();
  });
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'basalt-app-hooks-'));
  database = await createEngineDatabase();
  basalt = await createBasalt({ dataDir: dir, db: database.url, hooks: shopHooks });
  const app = basalt.app;
  await createSuperuser(app, 'admin@example.com', 'password-123');
  const login = await send(
    'POST',
    '/api/collections/_superusers/auth-with-password',
    { identity: 'admin@example.com', password: 'password-123' },
    undefined,
  );
  token = String(login.body.token);
  await createCollection(app, {
    name: 'posts',
    listRule: '',
    viewRule: '',
    createRule: '',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'published', type: 'bool' },
      { name: 'draftNote', type: 'text' },
      { name: 'doc', type: 'file', maxSelect: 1 },
    ],
  });
  await createCollection(app, {
    name: 'comments',
    listRule: '',
    viewRule: '',
    fields: [{ name: 'post', type: 'relation', collectionId: app.collections.find('posts')?.id }],
  });
});
afterAll(async () => {
  await basalt.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('hooks registered through createBasalt({ hooks })', () => {
  it('ran onBootstrap once the app was open', () => {
    expect(lifecycle).toEqual(['bootstrap:true']);
  });

  it('a request hook changes the query before the rules and the list runs', async () => {
    await send('POST', '/api/collections/posts/records', { title: 'live', published: true });
    await send('POST', '/api/collections/posts/records', { title: 'draft', published: false });
    const guest = await send('GET', '/api/collections/posts/records?filter=', undefined, '');
    expect((guest.body.items as { title: string }[]).map((p) => p.title)).toEqual(['live']);
    const admin = await send('GET', '/api/collections/posts/records?sort=title');
    expect((admin.body.items as { title: string }[]).map((p) => p.title)).toEqual([
      'draft',
      'live',
    ]);
  });

  it('a request hook refuses with an error class or changes the response', async () => {
    const refused = await send('POST', '/api/collections/posts/records', { title: 'x', secret: 1 });
    expect(refused).toEqual({
      status: 403,
      body: { status: 403, message: 'No secrets here.', data: {} },
    });
    const created = await send('POST', '/api/collections/posts/records', { title: 'abc' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ title: 'abc', viaHook: true });
  });

  it('onRecordEnrich adds and hides fields in lists, views and expands', async () => {
    const post = await send('POST', '/api/collections/posts/records', {
      title: 'enriched',
      published: true,
      draftNote: 'internal',
    });
    const id = String(post.body.id);
    const view = await send('GET', `/api/collections/posts/records/${id}`, undefined, '');
    expect(view.body).toMatchObject({ title: 'enriched', titleLength: 8 });
    expect(view.body).not.toHaveProperty('draftNote');
    const asAdmin = await send('GET', `/api/collections/posts/records/${id}`);
    expect(asAdmin.body).toMatchObject({ draftNote: 'internal', titleLength: 8 });

    const comment = await send('POST', '/api/collections/comments/records', { post: id });
    const expanded = await send(
      'GET',
      `/api/collections/comments/records/${String(comment.body.id)}?expand=post`,
      undefined,
      '',
    );
    const expandedPost = (expanded.body.expand as Record<string, Record<string, unknown>>).post;
    expect(expandedPost).toMatchObject({ id, titleLength: 8 });
    expect(expandedPost).not.toHaveProperty('draftNote');
  });

  it('onMailerSend changes an outgoing mail or refuses it', async () => {
    await basalt.app.mailer.send({
      to: 'a@example.com',
      subject: 'Receipt',
      html: '<p>Thanks</p>',
      text: 'Thanks',
    });
    const mails = readdirSync(join(dir, 'mail'));
    expect(mails).toHaveLength(1);
    expect(readFileSync(join(dir, 'mail', mails[0] ?? ''), 'utf8')).toContain(
      'Subject: [Shop] Receipt',
    );
    await expect(
      basalt.app.mailer.send({ to: 'x@blocked.example', subject: 's', html: 'h', text: 't' }),
    ).rejects.toThrow('blocked recipient');
    expect(readdirSync(join(dir, 'mail'))).toHaveLength(1);
  });

  it('app.afterCommit waits for the commit of the transaction it is called in', async () => {
    const app = basalt.app;
    const done: string[] = [];
    await expect(
      app.transaction(async () => {
        app.afterCommit(() => {
          done.push('rolled back');
        });
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    await app.transaction(async () => {
      app.afterCommit(() => {
        done.push('committed');
      });
      expect(done).toEqual([]);
    });
    expect(done).toEqual(['committed']);
    app.afterCommit(() => {
      done.push('outside');
    });
    expect(done).toEqual(['committed']);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toEqual(['committed', 'outside']);
  });

  it('handlers bound through the registrar can be removed by id', async () => {
    const seen: string[] = [];
    const id = basalt.onRecordCreate('posts', async (e) => {
      seen.push(e.record.getString('title'));
      await e.next();
    });
    await send('POST', '/api/collections/posts/records', { title: 'one' });
    basalt.hooks.onRecordCreate.unbind(id);
    await send('POST', '/api/collections/posts/records', { title: 'two' });
    expect(seen).toEqual(['one']);
  });
});

describe('request hooks of sign-ins, batches, files and realtime', () => {
  beforeAll(async () => {
    await basalt.app.settings.update({ batch: { enabled: true } });
    for (const email of ['alice@example.com', 'blocked@example.com']) {
      const res = await send('POST', '/api/collections/users/records', {
        email,
        password: 'password-123',
        passwordConfirm: 'password-123',
      });
      expect(res.status).toBe(200);
    }
  });

  it('a sign-in hook changes the body, and onRecordAuthRequest refuses or adds meta', async () => {
    const ok = await send(
      'POST',
      '/api/collections/users/auth-with-password',
      { identity: 'ALICE@example.com', password: 'password-123' },
      '',
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      meta: { greeting: 'hello password' },
      record: { email: 'alice@example.com' },
    });
    const refresh = await send(
      'POST',
      '/api/collections/users/auth-refresh',
      undefined,
      String(ok.body.token),
    );
    expect(refresh.body).toMatchObject({ meta: { greeting: 'hello refresh' } });
    const blocked = await send(
      'POST',
      '/api/collections/users/auth-with-password',
      { identity: 'blocked@example.com', password: 'password-123' },
      '',
    );
    expect(blocked).toEqual({
      status: 403,
      body: { status: 403, message: 'This account is blocked.', data: {} },
    });
  });

  it('onBatchRequest refuses a batch before any write', async () => {
    const before = await send('GET', '/api/collections/posts/records?perPage=1');
    const create = { method: 'POST', url: '/api/collections/posts/records', body: { title: 'b' } };
    const refused = await send('POST', '/api/batch', { requests: [create, create, create] });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('At most two writes at once.');
    const after = await send('GET', '/api/collections/posts/records?perPage=1');
    expect(after.body.totalItems).toBe(before.body.totalItems);
    const ok = await send('POST', '/api/batch', { requests: [create, create] });
    expect(ok.status).toBe(200);
  });

  it('onFileDownloadRequest renames the served file', async () => {
    const form = new FormData();
    form.append('title', 'with a file');
    form.append('doc', new Blob([Buffer.from('file body')]), 'report.txt');
    const encoded = new Response(form);
    const created = await basalt.inject({
      method: 'POST',
      url: '/api/collections/posts/records',
      headers: {
        authorization: token,
        'content-type': encoded.headers.get('content-type') ?? '',
      },
      payload: Buffer.from(await encoded.arrayBuffer()),
    });
    const post = JSON.parse(created.body) as { id: string; doc: string };
    const download = await basalt.inject({
      method: 'GET',
      url: `/api/files/posts/${post.id}/${post.doc}?download=1`,
    });
    expect(download.statusCode).toBe(200);
    expect(download.body).toBe('file body');
    expect(download.headers['content-disposition']).toBe('attachment; filename=renamed-report.txt');
  });

  it('an account mail runs its own hook, then onMailerSend', async () => {
    const before = readdirSync(join(dir, 'mail')).length;
    const res = await send(
      'POST',
      '/api/collections/users/request-password-reset',
      { email: 'alice@example.com' },
      '',
    );
    expect(res.status).toBe(204);
    let mails: string[] = [];
    for (let i = 0; i < 200 && mails.length <= before; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      mails = readdirSync(join(dir, 'mail')).sort();
    }
    const newest = readFileSync(join(dir, 'mail', mails[mails.length - 1] ?? ''), 'utf8');
    expect(newest).toContain('Subject: [Shop] Reset for alice@example.com');
  });

  it('onRealtimeSubscribeRequest runs before the subscription is read', async () => {
    const refused = await send('POST', '/api/realtime', {
      clientId: 'nobody',
      subscriptions: ['secret'],
    });
    expect(refused.status).toBe(403);
    const unknownClient = await send('POST', '/api/realtime', {
      clientId: 'nobody',
      subscriptions: ['posts'],
    });
    expect(unknownClient.status).toBe(404);
  });
});

describe('onTerminate', () => {
  it('runs when the instance closes', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'basalt-app-hooks-'));
    const other = await createEngineDatabase();
    const events: string[] = [];
    const instance = await createBasalt({
      dataDir: otherDir,
      db: other.url,
      hooks: (app) => {
        app.onTerminate(async (e) => {
          events.push(`terminate:${String(e.isRestart)}`);
          await e.next();
        });
      },
    });
    expect(events).toEqual([]);
    await instance.close();
    expect(events).toEqual(['terminate:false']);
    await other.drop();
    rmSync(otherDir, { recursive: true, force: true });
  });
});

describe('createBasalt({ transactionTimeLimitMs })', () => {
  it('rolls back a transaction that runs past the limit', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'basalt-app-hooks-'));
    const other = await createEngineDatabase();
    const instance = await createBasalt({
      dataDir: otherDir,
      db: other.url,
      transactionTimeLimitMs: 200,
    });
    await expect(
      instance.app.transaction(() => new Promise((resolve) => setTimeout(resolve, 600))),
    ).rejects.toThrow(TransactionTimeLimitError);
    await instance.close();
    await other.drop();
    rmSync(otherDir, { recursive: true, force: true });
  });
});
