import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SseClient, type SseMessage } from '../helpers/sse-client.js';
import { realtimeFixture, type RealtimeFixture } from './realtime-fixture.js';

let f: RealtimeFixture;
let postsId: string;
let alice: { id: string; token: string };
let bob: { id: string; token: string };

const R = (c: string) => `/api/collections/${c}/records`;

function options(o: { query?: Record<string, string>; headers?: Record<string, string> }): string {
  return `?options=${encodeURIComponent(JSON.stringify(o))}`;
}

/** A connected client subscribed to `topics` as `token`. */
async function subscriber(topics: string[], token?: string): Promise<SseClient> {
  const c = await SseClient.connect(f.url);
  const res = await c.subscribe(topics, token);
  if (res.status !== 204) throw new Error(`subscribe: ${String(res.status)}`);
  return c;
}

function record(m: SseMessage): Record<string, unknown> {
  return (m.json as { record: Record<string, unknown> }).record;
}

beforeAll(async () => {
  f = await realtimeFixture();
  alice = await f.user('alice@example.com', { name: 'Alice' });
  bob = await f.user('bob@example.com', { name: 'Bob' });
  const posts = await f.call(
    'POST',
    '/api/collections',
    {
      name: 'posts',
      listRule: '',
      viewRule: '',
      createRule: '',
      updateRule: '',
      deleteRule: '',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'secret', type: 'text', hidden: true },
        { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
      ],
    },
    f.su,
  );
  postsId = String(posts.id);
  const owned = (name: string, rule: string | null) =>
    f.call(
      'POST',
      '/api/collections',
      {
        name,
        listRule: rule,
        viewRule: rule,
        createRule: '',
        updateRule: '',
        deleteRule: '',
        fields: [
          { name: 'title', type: 'text' },
          { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
        ],
      },
      f.su,
    );
  await owned('notes', 'owner = @request.auth.id');
  await owned('locked', null);
  await owned('keyed', '@request.headers.x_key = "s3cret" && @request.query.page = "2"');
  await owned('vip', '@request.auth.verified = true');
  await f.call(
    'POST',
    '/api/collections',
    {
      name: 'comments',
      listRule: '',
      viewRule: '',
      createRule: '',
      deleteRule: '',
      fields: [
        { name: 'text', type: 'text' },
        { name: 'post', type: 'relation', collectionId: postsId, cascadeDelete: true },
      ],
    },
    f.su,
  );
  await f.call('PATCH', '/api/collections/users', { listRule: '', viewRule: '' }, f.su);
  await f.call('PATCH', '/api/settings', { batch: { enabled: true } }, f.su);
});
afterAll(async () => {
  await f.close();
});

describe('record events (API.md §5.3, §5.4)', () => {
  it('sends create, update and delete to coll/*, bare coll, the collection id and coll/ID', async () => {
    const all = await subscriber(['posts/*', 'posts', `${postsId}/*`, 'POSTS/*']);
    const created = await f.call('POST', R('posts'), { title: 'one' });
    const id = String(created.id);
    const one = await subscriber([`posts/${id}`, 'posts/other']);
    const events = [await all.next(), await all.next(), await all.next()];
    expect(events.map((m) => m.event).sort()).toEqual(['posts', 'posts/*', `${postsId}/*`].sort());
    for (const m of events) {
      expect(m.id).toBe(all.clientId);
      expect(m.data.startsWith('{"record":{')).toBe(true);
      expect(m.json).toMatchObject({ action: 'create', record: { id, title: 'one' } });
    }
    expect(Object.keys(record(events[0]!))).toEqual([
      'collectionId',
      'collectionName',
      'id',
      'owner',
      'title',
    ]);
    await f.call('PATCH', `${R('posts')}/${id}`, { title: 'two' });
    const updated = await one.next();
    expect(updated.event).toBe(`posts/${id}`);
    expect(updated.json).toMatchObject({ action: 'update', record: { id, title: 'two' } });
    await f.call('DELETE', `${R('posts')}/${id}`, undefined, undefined, 204);
    const deleted = await one.next();
    expect(deleted.json).toMatchObject({ action: 'delete', record: { id, title: 'two' } });
    const rest = (await all.drain(200)).map((m) => (m.json as { action: string }).action);
    expect(rest.sort()).toEqual(['delete', 'delete', 'delete', 'update', 'update', 'update']);
    expect(await one.drain(100)).toEqual([]);
    all.close();
    one.close();
  });

  it('applies the listRule and viewRule per subscriber', async () => {
    const guest = await subscriber(['notes/*']);
    const owner = await subscriber(['notes/*'], alice.token);
    const other = await subscriber(['notes/*'], bob.token);
    const su = await subscriber(['notes/*'], f.su);
    const note = await f.call('POST', R('notes'), { title: 'mine', owner: alice.id });
    const ownerOne = await subscriber([`notes/${String(note.id)}`], alice.token);
    const otherOne = await subscriber([`notes/${String(note.id)}`], bob.token);
    expect(record(await owner.next()).title).toBe('mine');
    expect(record(await su.next()).title).toBe('mine');
    await f.call('PATCH', `${R('notes')}/${String(note.id)}`, { title: 'mine2' });
    expect(record(await ownerOne.next()).title).toBe('mine2');
    expect(record(await owner.next()).title).toBe('mine2');
    // The delete is checked against the row before it goes, and sent after the commit.
    await f.call('DELETE', `${R('notes')}/${String(note.id)}`, undefined, undefined, 204);
    expect((await ownerOne.next()).json).toMatchObject({
      action: 'delete',
      record: { id: note.id },
    });
    expect((await owner.next()).json).toMatchObject({ action: 'delete', record: { id: note.id } });
    expect(await guest.drain(150)).toEqual([]);
    expect(await other.drain(0)).toEqual([]);
    expect(await otherOne.drain(0)).toEqual([]);
    for (const c of [guest, owner, other, su, ownerOne, otherOne]) c.close();
  });

  it('null rules: only superusers receive', async () => {
    const user = await subscriber(['locked/*'], alice.token);
    const su = await subscriber(['locked/*'], f.su);
    await f.call('POST', R('locked'), { title: 'x' }, f.su);
    expect((await su.next()).json).toMatchObject({ action: 'create' });
    expect(await user.drain(150)).toEqual([]);
    user.close();
    su.close();
  });

  it('evaluates rules with the topic options as @request.query and @request.headers', async () => {
    const good = options({ query: { page: '2' }, headers: { 'X-Key': 's3cret' } });
    const bad = options({ query: { page: '2' }, headers: { 'X-Key': 'nope' } });
    const yes = await subscriber([`keyed/*${good}`]);
    const no = await subscriber([`keyed/*${bad}`, 'keyed/*']);
    await f.call('POST', R('keyed'), { title: 'k' }, f.su);
    const m = await yes.next();
    expect(m.event).toBe(`keyed/*${good}`);
    expect(await no.drain(150)).toEqual([]);
    yes.close();
    no.close();
  });

  it('applies the filter, expand and fields options', async () => {
    const filtered = await subscriber([
      `posts/*${options({ query: { filter: 'title ~ "keep"' } })}`,
    ]);
    const expanded = await subscriber([
      `posts/*${options({ query: { expand: 'owner', fields: 'id,title,expand.owner.name' } })}`,
    ]);
    const sneaky = await subscriber([
      `posts/*${options({ query: { filter: '@request.auth.id = ""' } })}`,
      `posts${options({ query: { filter: 'nope = 1' } })}`,
      `posts/*${options({ query: { filter: 'secret = "s"' } })}`,
      `posts/*${options({ query: { fields: 'a:excerpt(' } })}`,
      'posts/*?options=notjson',
    ]);
    const su = await subscriber(
      [`posts/*${options({ query: { filter: '@request.auth.id != "" && secret = "s"' } })}`],
      f.su,
    );
    await f.call('POST', R('posts'), { title: 'drop me', owner: alice.id, secret: 's' }, f.su);
    await f.call('POST', R('posts'), { title: 'keep me', owner: alice.id, secret: 's' }, f.su);
    const kept = await filtered.next();
    expect(record(kept).title).toBe('keep me');
    expect(await filtered.drain(100)).toEqual([]);
    const first = await expanded.next();
    expect(record(first)).toEqual({
      id: expect.any(String) as string,
      title: 'drop me',
      expand: { owner: { name: 'Alice' } },
    });
    expect(record(await su.next()).secret).toBe('s');
    expect(await sneaky.drain(100)).toEqual([]);
    for (const c of [filtered, expanded, sneaky, su]) c.close();
  });

  it('hides hidden fields and emails as the REST view does', async () => {
    const guest = await subscriber(['posts/*', 'users/*']);
    const self = await subscriber([`users/${alice.id}`], alice.token);
    const su = await subscriber(['posts/*', 'users/*'], f.su);
    await f.call('POST', R('posts'), { title: 'h', secret: 'hidden!' }, f.su);
    expect(record(await guest.next()).secret).toBeUndefined();
    expect(record(await su.next((m) => m.event === 'posts/*')).secret).toBe('hidden!');
    await f.call('PATCH', `${R('users')}/${alice.id}`, { name: 'Alice 2' }, f.su);
    const g = record(await guest.next((m) => m.event === 'users/*'));
    expect(g.name).toBe('Alice 2');
    expect(g.email).toBeUndefined();
    expect(g.password).toBeUndefined();
    expect(g.tokenKey).toBeUndefined();
    expect(record(await self.next()).email).toBe('alice@example.com');
    expect(record(await su.next((m) => m.event === 'users/*')).email).toBe('alice@example.com');
    for (const c of [guest, self, su]) c.close();
  });

  it('sends a batch after it commits, and nothing for a failed batch', async () => {
    const c = await subscriber(['posts/*']);
    const ok = await f.call(
      'POST',
      '/api/batch',
      {
        requests: [
          { method: 'POST', url: R('posts'), body: { title: 'b1' } },
          { method: 'POST', url: R('posts'), body: { title: 'b2' } },
        ],
      },
      f.su,
    );
    expect(ok).toHaveLength(2);
    const titles = [record(await c.next()).title, record(await c.next()).title];
    expect(titles).toEqual(['b1', 'b2']);
    await f.call(
      'POST',
      '/api/batch',
      {
        requests: [
          { method: 'POST', url: R('posts'), body: { title: 'b3' } },
          { method: 'POST', url: R('posts'), body: { title: 'b4', owner: 'missing' } },
        ],
      },
      f.su,
      400,
    );
    expect(await c.drain(200)).toEqual([]);
    c.close();
  });

  it('sends cascade deletes and relation clean-ups', async () => {
    const post = await f.call('POST', R('posts'), { title: 'parent' });
    const comment = await f.call('POST', R('comments'), { text: 'c', post: post.id });
    const c = await subscriber(['comments/*']);
    await f.call('DELETE', `${R('posts')}/${String(post.id)}`, undefined, undefined, 204);
    const m = await c.next();
    expect(m.json).toMatchObject({
      action: 'delete',
      record: { id: comment.id, text: 'c', post: post.id },
    });
    c.close();
  });
});

describe('auth changes (API.md §5.6)', () => {
  it('refreshes the auth of clients signed in as an updated record, and unsets it on delete', async () => {
    const carol = await f.user('carol@example.com');
    const c = await subscriber(['vip/*', 'users/*'], carol.token);
    await f.call('POST', R('vip'), { title: 'v1' }, f.su);
    expect((await c.drain(150)).filter((m) => m.event === 'vip/*')).toEqual([]);
    await f.call('PATCH', `${R('users')}/${carol.id}`, { verified: true }, f.su);
    const self = await c.next((m) => m.event === 'users/*');
    expect(record(self)).toMatchObject({ verified: true, email: 'carol@example.com' });
    await f.call('POST', R('vip'), { title: 'v2' }, f.su);
    expect(record(await c.next((m) => m.event === 'vip/*')).title).toBe('v2');
    await f.call('DELETE', `${R('users')}/${carol.id}`, undefined, f.su, 204);
    const gone = await c.next((m) => m.event === 'users/*');
    expect(gone.json).toMatchObject({ action: 'delete', record: { email: 'carol@example.com' } });
    await f.call('POST', R('vip'), { title: 'v3' }, f.su);
    expect(await c.drain(150)).toEqual([]);
    // A guest again: signing in as someone else is now an upgrade.
    expect((await c.subscribe(['vip/*'], bob.token)).status).toBe(204);
    c.close();
  });
});
