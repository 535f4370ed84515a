import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { ApiClient } from '../helpers/api-client.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let su: ApiClient;
let guest: ApiClient;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  su = new ApiClient(t.server, await superuserToken(t));
  guest = su.as(undefined);
  await createCollection(t.app, {
    name: 'authors',
    listRule: '',
    viewRule: '',
    fields: [
      { name: 'name', type: 'text' },
      { name: 'bio', type: 'editor' },
    ],
  });
  await createCollection(t.app, {
    name: 'hidden_things',
    listRule: null,
    viewRule: null,
    fields: [{ name: 'label', type: 'text' }],
  });
  await createCollection(t.app, {
    name: 'articles',
    listRule: '',
    viewRule: '',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'views', type: 'number' },
      { name: 'published', type: 'bool' },
      { name: 'author', type: 'relation', collectionId: 'authors' },
      { name: 'coauthors', type: 'relation', collectionId: 'authors', maxSelect: 5 },
      { name: 'thing', type: 'relation', collectionId: 'hidden_things' },
    ],
  });
  await createCollection(t.app, {
    name: 'comments',
    listRule: '',
    viewRule: '',
    fields: [
      { name: 'text', type: 'text' },
      { name: 'article', type: 'relation', collectionId: 'articles', cascadeDelete: true },
      { name: 'writer', type: 'relation', collectionId: 'authors' },
    ],
  });
  for (const name of ['ann', 'bob', 'cy']) {
    ids[name] = String(
      (
        await su.post('/api/collections/authors/records', {
          name,
          bio: `<p>Hi, I am <b>${name}</b> &amp; I write.</p><script>x()</script>`,
        })
      ).body.id,
    );
  }
  ids.thing = String(
    (await su.post('/api/collections/hidden_things/records', { label: 'secret' })).body.id,
  );
  for (let i = 0; i < 40; i++) {
    const body = {
      title: `post ${String(i).padStart(2, '0')}`,
      views: i * 10,
      published: i % 2 === 0,
      author: ids.ann,
      coauthors: [ids.cy, ids.bob],
      thing: ids.thing,
    };
    const res = await su.post('/api/collections/articles/records', body);
    ids[`a${i}`] = String(res.body.id);
  }
  await su.post('/api/collections/comments/records', {
    text: 'first!',
    article: ids.a0,
    writer: ids.bob,
  });
  await su.post('/api/collections/comments/records', {
    text: 'second',
    article: ids.a0,
    writer: ids.cy,
  });
});
afterAll(async () => {
  await t.close();
});

const URL = '/api/collections/articles/records';
const q = (params: Record<string, string>) => `${URL}?${new URLSearchParams(params).toString()}`;

describe('listing (API.md §1.1)', () => {
  it('pages, clamps perPage to 1000 and counts', async () => {
    const page2 = await guest.get(q({ page: '2', perPage: '15', sort: 'title' }));
    expect(page2.body).toMatchObject({ page: 2, perPage: 15, totalItems: 40, totalPages: 3 });
    expect((page2.body.items as { title: string }[])[0]!.title).toBe('post 15');
    expect((await guest.get(q({ perPage: '5000' }))).body).toMatchObject({ perPage: 1000 });
    expect((await guest.get(q({ page: '0', perPage: '-3' }))).body).toMatchObject({
      page: 1,
      perPage: 30,
    });
    expect((await guest.get(q({ skipTotal: '1' }))).body).toMatchObject({
      totalItems: -1,
      totalPages: -1,
    });
    expect((await guest.get(q({ page: 'x' }))).status).toBe(400);
  });

  it('filters and sorts, including relation paths', async () => {
    const res = await guest.get(q({ filter: 'published = true && views > 300', sort: '-views' }));
    const items = res.body.items as { views: number }[];
    expect(items.map((i) => i.views)).toEqual([380, 360, 340, 320]);
    expect(res.body.totalItems).toBe(4);
    const byAuthor = await guest.get(
      q({ filter: `author.name = "ann" && title ~ "post 0"`, sort: '+title' }),
    );
    expect(byAuthor.body.totalItems).toBe(10);
    const random = await guest.get(q({ sort: '@random', perPage: '3' }));
    expect((random.body.items as unknown[]).length).toBe(3);
    const rowid = await guest.get(q({ sort: '-@rowid', perPage: '1' }));
    expect((rowid.body.items as { id: string }[])[0]!.id).toBe(ids.a39);
  });

  it.each([
    ['title = ', 'syntax'],
    ['nope = 1', 'unknown field'],
    ['title ~~ 1', 'operator'],
    ['(title = 1', 'parenthesis'],
  ])('answers 400 for the bad filter %j (%s)', async (filter) => {
    const res = await guest.get(q({ filter }));
    expect(res.status).toBe(400);
    expect(res.body.data).toEqual({});
  });

  it('answers 400 for bad sorts', async () => {
    expect((await guest.get(q({ sort: 'nope' }))).status).toBe(400);
    expect((await guest.get(q({ sort: 'a,b,c,d,e,f,g,h,i' }))).status).toBe(400);
  });
});

describe('expand (API.md §2.5)', () => {
  it('expands single, multiple and back-relations, nested, keeping stored order', async () => {
    const res = await guest.get(
      `${URL}/${ids.a0}?expand=author,coauthors,comments_via_article.writer`,
    );
    const expand = res.body.expand as Record<string, unknown>;
    expect(expand.author).toMatchObject({ id: ids.ann, name: 'ann' });
    expect((expand.coauthors as { name: string }[]).map((a) => a.name)).toEqual(['cy', 'bob']);
    const comments = expand.comments_via_article as {
      text: string;
      expand: { writer: { name: string } };
    }[];
    expect(comments.map((c) => c.expand.writer.name).sort()).toEqual(['bob', 'cy']);
  });

  it('leaves out relations the requester may not view, and unknown paths', async () => {
    const res = await guest.get(`${URL}/${ids.a1}?expand=thing,nope`);
    expect(res.body).not.toHaveProperty('expand');
    const asSu = await su.get(`${URL}/${ids.a1}?expand=thing`);
    expect(asSu.body.expand).toMatchObject({ thing: { label: 'secret' } });
    const noComments = await guest.get(`${URL}/${ids.a1}?expand=comments_via_article`);
    expect(noComments.body.expand).toEqual({});
  });

  it('expands lists with one query per level', async () => {
    const res = await guest.get(q({ expand: 'author', perPage: '40' }));
    expect(
      (res.body.items as { expand: { author: { name: string } } }[]).every(
        (i) => i.expand.author.name === 'ann',
      ),
    ).toBe(true);
  });
});

describe('fields (API.md §0)', () => {
  it('projects records, expands and excerpts', async () => {
    const res = await guest.get(
      `${URL}/${ids.a0}?expand=author&fields=${encodeURIComponent('id,title,expand.author.bio:excerpt(12,true)')}`,
    );
    expect(res.body).toEqual({
      id: ids.a0,
      title: 'post 00',
      expand: { author: { bio: 'Hi, I am ann...' } },
    });
    const list = await guest.get(q({ fields: 'title', perPage: '2', sort: 'title' }));
    expect(list.body).toMatchObject({
      items: [{ title: 'post 00' }, { title: 'post 01' }],
      page: 1,
    });
  });

  it('never projects error bodies', async () => {
    const res = await guest.get(`${URL}/doesnotexist123?fields=id`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      data: {},
      message: "The requested resource wasn't found.",
      status: 404,
    });
  });

  it('refuses a malformed fields value before anything is written', async () => {
    const before = await su.get(q({ perPage: '1' }));
    const res = await su.post(`${URL}?fields=${encodeURIComponent('title:excerpt(')}`, {
      title: 'never stored',
      author: ids.ann,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, data: {} });
    const after = await su.get(q({ perPage: '1' }));
    expect(after.body.totalItems).toBe(before.body.totalItems);
    const stored = await su.get(q({ filter: "title = 'never stored'" }));
    expect(stored.body.totalItems).toBe(0);
  });
});

describe('relations on write and delete', () => {
  it('refuses ids that do not exist', async () => {
    const res = await su.post(URL, { title: 'x', author: 'doesnotexist123' });
    expect(res.status).toBe(400);
    expect(res.body.data).toMatchObject({ author: { code: 'validation_missing_rel_records' } });
  });

  it('cascades deletes, clears optional references and refuses required ones', async () => {
    const art = await su.post(URL, { title: 'doomed', author: ids.bob });
    const artId = String(art.body.id);
    const c = await su.post('/api/collections/comments/records', {
      text: 'bye',
      article: artId,
      writer: ids.bob,
    });
    expect((await su.delete(`${URL}/${artId}`)).status).toBe(204);
    expect((await su.get(`/api/collections/comments/records/${String(c.body.id)}`)).status).toBe(
      404,
    );

    const temp = await su.post('/api/collections/authors/records', { name: 'temp' });
    const tempId = String(temp.body.id);
    const withCo = await su.post(URL, { title: 'co', coauthors: [ids.ann, tempId] });
    expect((await su.delete(`/api/collections/authors/records/${tempId}`)).status).toBe(204);
    expect((await su.get(`${URL}/${String(withCo.body.id)}`)).body.coauthors).toEqual([ids.ann]);

    await createCollection(t.app, {
      name: 'badges',
      fields: [{ name: 'holder', type: 'relation', collectionId: 'authors', required: true }],
    });
    const holder = await su.post('/api/collections/authors/records', { name: 'holder' });
    await su.post('/api/collections/badges/records', { holder: holder.body.id });
    const refused = await su.delete(`/api/collections/authors/records/${String(holder.body.id)}`);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe(
      'Failed to delete record. Make sure that the record is not part of a required relation reference.',
    );
    expect(
      (await su.get(`/api/collections/authors/records/${String(holder.body.id)}`)).status,
    ).toBe(200);
  });
});
