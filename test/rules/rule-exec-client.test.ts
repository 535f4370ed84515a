import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateCollection } from '../../src/core/collection/collection-service.js';
import { ApiError } from '../../src/core/errors.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import {
  createRulesSchema,
  matching,
  seedRulesData,
  sorted,
  type ContextOptions,
} from './rules-fixture.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await createRulesSchema(t.app);
  await seedRulesData(t.app);
  await updateCollection(t.app, 'comments', { listRule: 'text != "spam"' });
  await updateCollection(t.app, 'regs', { listRule: null });
  await updateCollection(t.app, 'teams', { listRule: 'name != "Blue"' });
});
afterAll(async () => {
  await t.close();
});

const client: ContextOptions = { origin: 'clientFilter' };
const superuser: ContextOptions = { origin: 'clientFilter', superuser: true };
const posts = (filter: string, options: ContextOptions = client) =>
  matching(t.app, 'posts', filter, options);

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error: unknown = await promise.catch((e: unknown) => e);
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('client filters of non-superusers: hidden fields', () => {
  it('treats hidden fields as unknown, in the main and in joined collections', async () => {
    const main = await failure(posts('secret = "s1"'));
    expect(main.status).toBe(400);
    expect(main.message).toBe('Invalid filter: unknown field "secret" at position 0.');
    const joined = await failure(posts('title != "" && author.note = "n1"'));
    expect(joined.message).toBe(
      'Invalid filter: unknown field "note" in "author.note" at position 15.',
    );
  });

  it('lets rules and superusers use hidden fields', async () => {
    expect(await posts('secret = "s1"', superuser)).toEqual(['p1']);
    expect(await posts('secret = "s1"', {})).toEqual(['p1']);
    expect(await posts('author.note = "n1"', superuser)).toEqual(['p1']);
    expect(await posts('author.note = "n1"', {})).toEqual(['p1']);
  });

  it('refuses sorting by hidden fields', async () => {
    const error = await failure(sorted(t.app, 'posts', '-secret', client));
    expect(error.message).toBe('Invalid sort: unknown field "secret" at position 1.');
    expect(await sorted(t.app, 'posts', '-secret,id', superuser)).toEqual(['p1', 'p2', 'p3', 'p4']);
  });
});

describe('client filters of non-superusers: auth emails', () => {
  it('matches emails only where emailVisibility is true', async () => {
    expect(await posts('author.email = "bob@x.io"')).toEqual([]);
    expect(await posts('author.email = "bob@x.io"', superuser)).toEqual(['p2']);
    expect(await posts('author.email ~ "x.io"')).toEqual(['p1', 'p4']);
    expect(await matching(t.app, 'members', 'email ~ "@"', client)).toEqual(['m1', 'm3']);
    expect(await matching(t.app, 'members', 'email != ""', client)).toEqual(['m1', 'm3']);
    expect(await matching(t.app, 'members', 'email != ""', superuser)).toEqual(['m1', 'm2', 'm3']);
  });

  it('applies the visibility check to every item of multi-valued paths', async () => {
    expect(await posts('readers.email ?~ "bob"')).toEqual([]);
    expect(await posts('readers.email ?~ "ann"')).toEqual(['p1']);
    expect(await posts('readers.email ~ "x.io"')).toEqual([]);
    expect(await posts('readers.email ~ "x.io"', superuser)).toEqual(['p1', 'p2']);
  });

  it('sorts hidden emails as NULL', async () => {
    const ids = await sorted(t.app, 'members', '-email', client);
    expect(ids).toEqual(['m3', 'm1', 'm2']);
  });
});

describe('client filters of non-superusers: listRules of joined collections', () => {
  it('ANDs the joined collection listRule (comments: text != "spam")', async () => {
    expect(await posts('comments_via_post.text ?~ "spam"')).toEqual(['p1']);
    expect(await posts('comments_via_post.text ?~ "spam"', superuser)).toEqual(['p1', 'p2']);
    expect(await posts('comments_via_post.text ?~ "spam"', {})).toEqual(['p1', 'p2']);
  });

  it('checks every visible item only', async () => {
    expect(await posts('comments_via_post.text = "spam here" || title = "Hello world"')).toEqual([
      'p1',
    ]);
    expect(await posts('comments_via_post.author.name = "Bob"')).toEqual([]);
    expect(await posts('comments_via_post.author.name = "Bob"', superuser)).toEqual(['p2']);
  });

  it('refuses a joined collection whose listRule is null', async () => {
    const error = await failure(matching(t.app, 'members', 'regs_via_user.course != ""', client));
    expect(error.status).toBe(400);
    expect(error.message).toContain('only superusers can filter by "regs" fields');
    expect(await matching(t.app, 'members', 'regs_via_user.course ?= "p1"', superuser)).toEqual([
      'm1',
    ]);
  });

  it('applies a listRule through nested paths and to sorts', async () => {
    expect(await posts('author.team.name ?= "Blue"')).toEqual([]);
    expect(await posts('author.team.name = "Blue"', superuser)).toEqual(['p2']);
    expect(await sorted(t.app, 'posts', 'author.team.name,id', client)).toEqual([
      'p2',
      'p3',
      'p4',
      'p1',
    ]);
  });
});
