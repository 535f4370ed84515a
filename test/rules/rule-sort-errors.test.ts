import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/core/errors.js';
import { checkRuleResolves } from '../../src/core/rules/rule-check.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import {
  createRulesSchema,
  matching,
  mustFind,
  seedRulesData,
  sorted,
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

async function message(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.catch((e: unknown) => e);
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  expect(error.status).toBe(400);
  return error.message;
}

describe('sort', () => {
  it.each([
    ['title', ['p3', 'p2', 'p4', 'p1']],
    ['-views', ['p4', 'p2', 'p1', 'p3']],
    ['title:lower,-id', ['p3', 'p2', 'p4', 'p1']],
    ['author.name,id', ['p3', 'p1', 'p2', 'p4']],
    ['-author.team.name,id', ['p1', 'p2', 'p3', 'p4']],
    ['-likes_via_post.weight,id', ['p1', 'p2', 'p3', 'p4']],
    ['meta.a.b,id', ['p2', 'p3', 'p1', 'p4']],
    ['-tags:length,id', ['p1', 'p2', 'p4', 'p3']],
    ['@rowid', ['p1', 'p2', 'p3', 'p4']],
    ['-@rowid', ['p4', 'p3', 'p2', 'p1']],
    ['+tags,id', ['p1', 'p2', 'p4', 'p3']],
  ])('%s', async (sort, ids) => {
    expect(await sorted(t.app, 'posts', sort)).toEqual(ids);
  });

  it('runs @random', async () => {
    expect((await sorted(t.app, 'posts', '@random')).sort()).toEqual(['p1', 'p2', 'p3', 'p4']);
  });

  it.each([
    ['readers.name', 'Invalid sort: cannot sort by the multi-valued "readers.name" at position 0.'],
    ['id,tags:each', 'Invalid sort: cannot sort by the multi-valued "tags:each" at position 3.'],
    ['comments_via_post.text', 'cannot sort by the multi-valued "comments_via_post.text"'],
    ['nope', 'Invalid sort: unknown field "nope" at position 0.'],
    ['title:nope', 'Invalid sort: unknown modifier ":nope" at position 0.'],
    ['a,b,c,d,e,f,g,h,i', 'Invalid sort: too many sort expressions (max 8) at position 16.'],
    ['-', 'Invalid sort: missing sort field at position 1.'],
  ])('refuses %s', async (sort, expected) => {
    expect(await message(sorted(t.app, 'posts', sort))).toContain(expected);
  });
});

describe('400 messages point at the failure', () => {
  const client: ContextOptions = { origin: 'clientFilter' };
  it.each([
    ['titel = 1', 'Invalid filter: unknown field "titel" at position 0.'],
    [
      'title = 1 && author.nme = 2',
      'Invalid filter: unknown field "nme" in "author.nme" at position 13.',
    ],
    ['title.x = 1', 'Invalid filter: unknown field "title" in "title.x" at position 0.'],
    [
      'nope_via_post.x = 1',
      'Invalid filter: unknown field "nope_via_post" in "nope_via_post.x" at position 0.',
    ],
    ['title:nope = 1', 'Invalid filter: unknown modifier ":nope" at position 0.'],
    ['1 = foo(1)', 'Invalid filter: unknown function "foo" at position 4.'],
    [
      'geoDistance(1, 2, 3) = 1',
      'Invalid filter: geoDistance() expects 4 arguments, got 3 at position 0.',
    ],
    [
      'geoDistance(1, 2, 3, "x") = 1',
      'geoDistance() arguments must be numbers or identifiers at position 21.',
    ],
    [
      'strftime(title) = 1',
      'strftime() expects a quoted format as its first argument at position 9.',
    ],
    ['strftime("%Y", title, 1) = 1', 'strftime() modifiers must be quoted text at position 22.'],
    ['@collection.nope.x = 1', 'Invalid filter: unknown collection "nope" at position 0.'],
    ['@collection.regs = 1', 'incomplete "@collection.regs"'],
    ['title = ', 'Invalid filter: missing operand at position 8.'],
    ['title = "x" &&', 'Invalid filter: dangling "&&" at position 12.'],
    ['   ', 'Invalid filter: empty filter at position 0.'],
  ])('%s', async (filter, expected) => {
    expect(await message(matching(t.app, 'posts', filter, client))).toContain(expected);
  });

  it('limits client filters to 3500 bytes and 200 comparisons, rules to 200 comparisons', async () => {
    const long = `title = "${'x'.repeat(3500)}"`;
    expect(await message(matching(t.app, 'posts', long, client))).toContain(
      'longer than 3500 bytes',
    );
    expect(await matching(t.app, 'posts', long)).toEqual([]);
    const many = Array.from({ length: 201 }, () => 'views > 0').join(' && ');
    expect(await message(matching(t.app, 'posts', many))).toContain(
      'Invalid rule: too many expressions (max 200)',
    );
  });
});

describe('checkRuleResolves', () => {
  const check = (rule: string, name = 'posts') =>
    checkRuleResolves(
      rule,
      mustFind(t.app, name),
      (x) => t.app.collections.find(x),
      t.app.db.dialect,
    );

  it('accepts rules that resolve, with an empty guest request', () => {
    expect(check('@request.auth.id != "" && author = @request.auth.id')).toBeUndefined();
    expect(
      check('@request.auth.team.name = "x" && @request.body.anything:isset = true'),
    ).toBeUndefined();
    expect(
      check('readers.name ?= "x" && secret != "" && @request.body.tags:length < 3'),
    ).toBeUndefined();
    expect(check('@collection.regs.course ?= id && comments_via_post.text ~ "x"')).toBeUndefined();
  });

  it('returns the message of a rule that does not parse or resolve', () => {
    expect(check('titel = 1')).toBe('Invalid rule: unknown field "titel" at position 0.');
    expect(check('title = ')).toBe('Invalid rule: missing operand at position 8.');
    expect(check('@request.body.title:each = 1')).toBe(
      'Invalid rule: modifier ":each" cannot be used with "@request.body.title" at position 0.',
    );
  });
});
