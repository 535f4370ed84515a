import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthContext } from '../../src/core/auth/auth-context.js';
import { ApiError } from '../../src/core/errors.js';
import type { RuleRequest } from '../../src/core/rules/rule-types.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { newRow } from '../../src/core/record/record-defaults.js';
import {
  authAs,
  createRulesSchema,
  insert,
  matching,
  request,
  seedRulesData,
} from './rules-fixture.js';

let t: TestApp;
let ann: AuthContext;
let bob: AuthContext;
const ALL = ['p1', 'p2', 'p3', 'p4'];

beforeAll(async () => {
  t = await createTestApp();
  await createRulesSchema(t.app);
  await seedRulesData(t.app);
  ann = await authAs(t.app, 'members', 'm1');
  bob = await authAs(t.app, 'members', 'm2');
});
afterAll(async () => {
  await t.close();
});

const posts = (filter: string, req: RuleRequest = request()) =>
  matching(t.app, 'posts', filter, { request: req });

describe('@request.auth', () => {
  it('reads the authenticated record, NULL for guests', async () => {
    expect(await posts('author = @request.auth.id', request({ auth: ann }))).toEqual(['p1']);
    // As in PocketBase, a guest's NULL id equals an empty relation.
    expect(await posts('author = @request.auth.id')).toEqual(['p3']);
    expect(await posts('@request.auth.id != "" && author = @request.auth.id')).toEqual([]);
    expect(await posts('@request.auth.id = ""')).toEqual(ALL);
    expect(await posts('@request.auth.id != ""')).toEqual([]);
    expect(await posts('@request.auth.id != ""', request({ auth: ann }))).toEqual(ALL);
    expect(await posts('@request.auth.name:isset = false')).toEqual(ALL);
  });

  it('reads every field, hidden ones included, and the collection', async () => {
    const as = request({ auth: ann });
    expect(await posts('@request.auth.note = "n1"', as)).toEqual(ALL);
    expect(await posts('@request.auth.emailVisibility = true', as)).toEqual(ALL);
    expect(await posts('@request.auth.collectionName = "members"', as)).toEqual(ALL);
    expect(await posts('@request.auth.unknown = null', as)).toEqual(ALL);
    expect(await posts('@request.auth.name:isset = true', as)).toEqual(ALL);
    expect(await posts('@request.auth.name:lower = "ann"', as)).toEqual(ALL);
    expect(await posts('@request.auth.tags:length = 1', as)).toEqual(ALL);
    expect(await posts('@request.auth.tags ?= "a"', as)).toEqual([]);
    expect(await posts('tags:each ?= @request.auth.tags:each', request({ auth: bob }))).toEqual([
      'p1',
      'p2',
    ]);
  });

  it('follows relations of the authenticated record by the bound ids', async () => {
    expect(await posts('@request.auth.team.name = "Red"', request({ auth: ann }))).toEqual(ALL);
    expect(await posts('@request.auth.team.name = "Red"', request({ auth: bob }))).toEqual([]);
    expect(await posts('@request.auth.team.name = "Red"')).toEqual([]);
    expect(await posts('@request.auth.teams.name ?= "Blue"', request({ auth: ann }))).toEqual(ALL);
    expect(await posts('@request.auth.teams.name = "Blue"', request({ auth: ann }))).toEqual([]);
    expect(await posts('@request.auth.teams.name = "Blue"', request({ auth: bob }))).toEqual(ALL);
    expect(await posts('author.team = @request.auth.team.id', request({ auth: bob }))).toEqual([
      'p2',
    ]);
  });
});

describe('@request.auth.id of another auth collection (issue 15 S2)', () => {
  it('never equals the id of a record of another collection', async () => {
    // A `users` account with the id of the member m1, as data from before ids were unique
    // across auth collections could hold.
    const users = t.app.collections.findAuth('users');
    if (!users) throw new Error('no users collection');
    await insert(t.app, 'users', { ...newRow(users), id: 'm1', email: 'u@x.io', tokenKey: 'k' });
    const other = request({ auth: await authAs(t.app, 'users', 'm1') });
    const asAnn = request({ auth: ann });
    expect(await posts('author = @request.auth.id', asAnn)).toEqual(['p1']);
    expect(await posts('author = @request.auth.id', other)).toEqual([]);
    expect(await posts('@request.auth.id = author', other)).toEqual([]);
    expect(await posts('author != @request.auth.id', other)).toEqual(ALL);
    expect(await posts('author ~ @request.auth.id', other)).toEqual([]);
    expect(await posts('readers ~ @request.auth.id', asAnn)).toEqual(['p1']);
    expect(await posts('readers ~ @request.auth.id', other)).toEqual([]);
    expect(await posts('readers:each ?= @request.auth.id', other)).toEqual([]);
    expect(await posts('readers.id ?= @request.auth.id', other)).toEqual([]);
    expect(await posts('comments_via_post.author ?= @request.auth.id', asAnn)).toEqual(['p1']);
    expect(await posts('comments_via_post.author ?= @request.auth.id', other)).toEqual([]);
    expect(await posts('@collection.members.id ?= @request.auth.id', other)).toEqual([]);
    expect(await posts('@request.auth.collectionName = "users"', other)).toEqual(ALL);
    const body = (auth: AuthContext) => request({ method: 'POST', body: { author: 'm1' }, auth });
    expect(await posts('@request.body.author = @request.auth.id', body(ann))).toEqual(ALL);
    expect(await posts('@request.body.author = @request.auth.id', body(other.auth!))).toEqual([]);
  });
});

describe('@request.body', () => {
  const body = (values: Record<string, unknown>) => request({ method: 'POST', body: values });

  it('compares submitted values with stored ones', async () => {
    expect(await posts('@request.body.title = title', body({ title: 'Hello world' }))).toEqual([
      'p1',
    ]);
    expect(await posts('@request.body.views < views', body({ views: 600 }))).toEqual(['p4']);
    expect(await posts('@request.body.published = published', body({ published: false }))).toEqual([
      'p3',
      'p4',
    ]);
    expect(await posts('@request.body.tags = tags', body({ tags: ['b'] }))).toEqual(['p2']);
    expect(await posts('@request.body.status = "live"', body({ status: ['live'] }))).toEqual(ALL);
    expect(await posts('@request.body.other.x = 1', body({ other: { x: 1 } }))).toEqual(ALL);
    expect(await posts('@request.body.meta.a.0 = "z"', body({ meta: { a: ['z'] } }))).toEqual(ALL);
  });

  it(':isset and :changed', async () => {
    const req = body({ title: 'Hello world', tags: [] });
    expect(
      await posts('@request.body.title:isset = true && @request.body.views:isset = false', req),
    ).toEqual(ALL);
    expect(await posts('@request.body.title:changed = true', req)).toEqual(['p2', 'p3', 'p4']);
    expect(await posts('@request.body.title:changed = false', req)).toEqual(['p1']);
    expect(await posts('@request.body.views:changed = false', req)).toEqual(ALL);
    expect(await posts('@request.body.tags:changed = false', req)).toEqual(['p3']);
    expect(await posts('@request.body.meta:changed = true', body({ meta: { a: null } }))).toEqual([
      'p1',
      'p3',
      'p4',
    ]);
  });

  it(':length and :each on list fields', async () => {
    const req = body({ tags: ['a', 'b'], readers: ['m1', 'm2'] });
    expect(await posts('@request.body.tags:length = 2', req)).toEqual(ALL);
    expect(await posts('@request.body.tags:length = 0')).toEqual(ALL);
    expect(await posts('@request.body.tags:each ?= "a"', req)).toEqual(ALL);
    expect(await posts('@request.body.tags:each = "a"', req)).toEqual([]);
    expect(await posts('@request.body.tags:each ?= tags:each', req)).toEqual(['p1', 'p2']);
    expect(await posts('@request.body.status:each = "live"', body({ status: 'live' }))).toEqual(
      ALL,
    );
    expect(await posts('@request.body.readers.name ?= "Bob"', req)).toEqual(ALL);
    expect(await posts('@request.body.readers.name = "Bob"', req)).toEqual([]);
    expect(await posts('@request.body.author.name = "Ann"', body({ author: 'm1' }))).toEqual(ALL);
    expect(await posts('@request.body.author.name = null')).toEqual(ALL);
  });
});

describe('@request.query, headers, context, method', () => {
  const req = request({
    context: 'realtime',
    method: 'POST',
    query: { q: 'AbC' },
    headers: { x_token: 'secret' },
  });

  it.each([
    '@request.query.q = "AbC"',
    '@request.query.q:lower = "abc"',
    '@request.query.q:isset = true && @request.query.missing:isset = false',
    '@request.query.missing = null && @request.query.q.deeper = null',
    '@request.headers.x_token = "secret"',
    '@request.context = "realtime" && @request.method = "POST"',
    '@request.context:isset = true',
  ])('%s', async (filter) => {
    expect(await posts(filter, req)).toEqual(ALL);
  });

  it.each([
    ['@request.query.q:each = 1', 'modifier ":each" cannot be used with "@request.query.q"'],
    ['@request.headers.x:length = 1', 'modifier ":length" cannot be used'],
    ['@request.body.title:length = 1', 'modifier ":length" cannot be used'],
    ['@request.body.title:each = 1', 'modifier ":each" cannot be used'],
    ['@request.body.nope:changed = 1', 'modifier ":changed" cannot be used'],
    ['@request.auth.name:changed = 1', 'modifier ":changed" cannot be used'],
    ['@request.context:lower:each = 1', 'unknown modifier ":lower:each"'],
    ['@request.foo = 1', 'unknown field "@request.foo"'],
    ['@request.auth = 1', 'unknown field "@request.auth"'],
    ['@now:lower = 1', 'modifier ":lower" cannot be used with "@now"'],
  ])('400 for %s', async (filter, message) => {
    const error: unknown = await posts(filter, request({ auth: ann })).catch((e: unknown) => e);
    if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
    expect(error.status).toBe(400);
    expect(error.message).toContain(message);
  });
});
