import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import {
  authAs,
  createRulesSchema,
  matching,
  request,
  seedRulesData,
  type ContextOptions,
} from './rules-fixture.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await createRulesSchema(t.app);
  await seedRulesData(t.app);
});
afterAll(async () => {
  await t.close();
});

const posts = (filter: string, options?: ContextOptions) =>
  matching(t.app, 'posts', filter, options);

// p1 tags [a,b], p2 [b], p3 [], p4 [c]
describe('multi select: bare field, :each every/any, empty lists', () => {
  it.each([
    ['tags = \'["a","b"]\'', ['p1']],
    ['tags ?= "a"', []],
    ['tags = ""', []],
    ['tags = null', []],
    ['tags = "[]"', ['p3']],
    ['tags ~ "a"', ['p1']],
    ['tags:length = 0', ['p3']],
    ['tags:each = "b"', ['p2']],
    ['tags:each != "b"', ['p3', 'p4']],
    ['tags:each ?= "a"', ['p1']],
    ['tags:each ?= "b"', ['p1', 'p2']],
    ['tags:each ?!= "b"', ['p1', 'p3', 'p4']],
    ['tags:each ~ "b" || tags:each = "c"', ['p2', 'p4']],
    ['tags:each ?= "a" && tags:each ?= "b"', []],
    ['"b" = tags:each', ['p2']],
    ['tags:each = "b" || title = "Hello world"', ['p1', 'p2']],
    ['tags:each > "a"', ['p2', 'p4']],
  ])('%s', async (filter, ids) => {
    expect(await posts(filter)).toEqual(ids);
  });
});

// p1 readers [m1 Ann, m2 Bob], p2 [m2], p3 [], p4 [m3 Cid, missing]
describe('multi relation paths: every vs at least one', () => {
  it.each([
    ['readers.name = "Bob"', ['p2']],
    ['readers.name ?= "Bob"', ['p1', 'p2']],
    ['readers.name != "Bob"', ['p3', 'p4']],
    ['readers.name ?!= "Bob"', ['p1', 'p3', 'p4']],
    ['readers.name ?~ "o"', ['p1', 'p2']],
    ['readers.name ~ "o"', ['p2']],
    ['readers.name > "A"', ['p1', 'p2']],
    ['readers.id = ""', ['p3']],
    ['readers.team.name ?= "Blue"', ['p1', 'p2']],
    ['readers.team.name = "Blue"', ['p2']],
    ['readers.teams.name ?= "Red"', ['p1']],
    ['readers:each ?= "missing"', ['p4']],
    ['readers:each ?= "m2" && readers.name ?= "Bob"', ['p1', 'p2']],
    ['readers:each ?= "m1" && readers.name ?= "Bob"', []],
  ])('%s', async (filter, ids) => {
    expect(await posts(filter)).toEqual(ids);
  });
});

// comments: p1 "great" + "spam here", p2 "spam"; likes (unique post): p1 5, p2 1;
// notes (multi posts): n1 [p1,p2] "x", n2 [p1] "x", n3 [p2] "y"
describe('back-relations', () => {
  it.each([
    ['comments_via_post.text ?~ "spam"', ['p1', 'p2']],
    ['comments_via_post.text ~ "spam"', ['p2']],
    ['comments_via_post.text = "great"', []],
    ['comments_via_post.text != "x"', ['p1', 'p2', 'p3', 'p4']],
    ['comments_via_post.author.name ?= "Ann"', ['p1']],
    ['comments_via_post.author.name = "Bob"', ['p2']],
    ['likes_via_post.weight > 2', ['p1']],
    ['likes_via_post.weight = null', ['p3', 'p4']],
    ['likes_via_post.weight = 0', []],
    ['notes_via_posts.text = "x"', ['p1']],
    ['notes_via_posts.text ?= "y"', ['p2']],
    ['notes_via_posts.text ?= "x"', ['p1', 'p2']],
    ['author.comments_via_author.text ?= "spam"', ['p2']],
  ])('%s', async (filter, ids) => {
    expect(await posts(filter)).toEqual(ids);
  });
});

// regs: r1 (m1, p1), r2 (m2, p2)
describe('@collection joins', () => {
  it('correlates ? conditions on the same collection to one joined row', async () => {
    const auth = await authAs(t.app, 'members', 'm1');
    const filter = '@collection.regs.user ?= @request.auth.id && @collection.regs.course ?= id';
    expect(await posts(filter, { request: request({ auth }) })).toEqual(['p1']);
    const other = await authAs(t.app, 'members', 'm2');
    expect(await posts(filter, { request: request({ auth: other }) })).toEqual(['p2']);
    expect(await posts(filter)).toEqual([]);
  });

  it('joins independently under different aliases', async () => {
    const filter = '@collection.regs:a.user ?= "m1" && @collection.regs:b.course ?= id';
    expect(await posts(filter)).toEqual(['p1', 'p2']);
  });

  it('means every row for plain operators', async () => {
    expect(await posts('@collection.regs.user != ""')).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(await posts('@collection.regs.user = "m1"')).toEqual([]);
    expect(await posts('@collection.regs.course.views >= 10')).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(await posts('@collection.regs.course.views > 10')).toEqual([]);
  });

  it('reaches the collection by id and follows its relations', async () => {
    const regs = t.app.collections.find('regs');
    const filter = `@collection.${regs?.id ?? ''}.course.title ?= title`;
    expect(await posts(filter)).toEqual(['p1', 'p2']);
    expect(
      await posts('@collection.regs.user.name ?= "Bob" && @collection.regs.course ?= id'),
    ).toEqual(['p2']);
  });
});
