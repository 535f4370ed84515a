import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateCollection } from '../../src/core/collection/collection-service.js';
import { compileSort } from '../../src/core/rules/rule-sort.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import {
  authAs,
  compiled,
  contextFor,
  createRulesSchema,
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

const SELECT = 'select "id" from "posts" where ';
const each = (column: string, alias: string) =>
  `json_each(case when json_valid(${column}) then ${column} end) as "${alias}"`;

function expectSql(filter: string, where: string, parameters: unknown[], options?: ContextOptions) {
  const query = compiled(t.app, 'posts', filter, options);
  expect(query.sql).toBe(SELECT + where);
  expect(query.parameters).toEqual(parameters);
}

describe('compiled SQL: plain conditions', () => {
  it('keeps a condition without joins plain (the hot path)', () => {
    expectSql(
      'published = true && views > 500',
      '("posts"."published" = ? and "posts"."views" > ?)',
      [1n, 500n],
    );
  });

  it('emits a flat item list in order inside one group', () => {
    expectSql(
      'title = "a" || views < 2 && (views >= 3 || views <= 4)',
      '("posts"."title" = ? or "posts"."views" < ? and ("posts"."views" >= ? or "posts"."views" <= ?))',
      ['a', 2n, 3n, 4n],
    );
  });

  it('folds NULL and empty unless one side is known to be non-empty', () => {
    expectSql(
      'title = "" || title != null',
      `(coalesce("posts"."title", '') = coalesce(?, '') or coalesce("posts"."title", '') is not coalesce(null, ''))`,
      [''],
    );
    expectSql('title != "x"', '"posts"."title" is not ?', ['x']);
    expectSql('id = author', '"posts"."id" = "posts"."author"', []);
    expectSql(
      'status = author',
      `coalesce("posts"."status", '') = coalesce("posts"."author", '')`,
      [],
    );
  });

  it('binds a number compared with a text column as text, and nothing else', () => {
    expectSql('title = 5', '"posts"."title" = ?', ['5']);
    expectSql('5 < status', '? < "posts"."status"', ['5']);
    expectSql('views = 5', '"posts"."views" = ?', [5n]);
    expectSql('views > 1.5', '"posts"."views" > ?', [1.5]);
    expectSql('title = views', `coalesce("posts"."title", '') = coalesce("posts"."views", '')`, []);
  });

  it('binds every value, booleans as 1/0 and integers as INTEGER (BigInt)', () => {
    expectSql(
      'false = published || views = 0',
      '(? = "posts"."published" or "posts"."views" = ?)',
      [0n, 0n],
    );
  });

  it('folds comparisons of two literals and simplifies the groups around them', async () => {
    const auth = await authAs(t.app, 'members', 'm1');
    const member = { request: request({ auth }) };
    expectSql("@request.auth.id != ''", '1 = 1', [], member);
    expectSql("@request.auth.id != ''", '1 = 0', []);
    expectSql("@request.auth.id != '' && title = 'x'", '"posts"."title" = ?', ['x'], member);
    expectSql("@request.auth.id != '' && title = 'x'", '1 = 0', []);
    expectSql("title = 'x' || @request.auth.id = ''", '1 = 1', []);
    expectSql(
      "1 > 2 || title = 'x' && 3 >= 3 || views = 1",
      '("posts"."title" = ? or "posts"."views" = ?)',
      ['x', 1n],
    );
    expectSql('null = "x" || null = ""', '1 = 1', []);
    expectSql('null > 1', '1 = 0', []);
  });

  it('leaves literal comparisons to SQL when engines could disagree', () => {
    // Mixed kinds, LIKE, orderings of text and :lower are evaluated by the database.
    expectSql('1 = "1"', '? = ?', [1n, '1']);
    expectSql('"abc" ~ "b"', "? like ? escape '\\'", ['abc', '%b%']);
    expectSql('"b" > "a"', '? > ?', ['b', 'a']);
    expectSql('@request.query.q:lower = "a"', 'lower(null) = ?', ['a']);
  });

  it('compares JSON without folding, through json_extract with a bound path', () => {
    expectSql(
      'meta.a.0 = null || meta != ""',
      '(json_extract(case when json_valid("posts"."meta") then "posts"."meta" end, ?) is null or json_extract(case when json_valid("posts"."meta") then "posts"."meta" end, ?) is not ?)',
      ['$.a[0]', '$', ''],
    );
  });

  it('wraps and escapes LIKE values, or uses a value with % verbatim', () => {
    expectSql('title ~ "a_b\\\\c"', `"posts"."title" like ? escape '\\'`, ['%a\\_b\\\\c%']);
    expectSql('title !~ "50%"', `"posts"."title" not like ? escape '\\'`, ['50%']);
    expectSql('"abc" ~ title', `? like ('%' || "posts"."title" || '%') escape '\\'`, ['abc']);
  });

  it('binds macros and @request values', async () => {
    const auth = await authAs(t.app, 'members', 'm1');
    const query = compiled(t.app, 'posts', 'author = @request.auth.id && publishedAt > @now', {
      request: request({ auth }),
    });
    expect(query.sql).toBe(`${SELECT}("posts"."author" = ? and "posts"."publishedAt" > ?)`);
    expect(query.parameters[0]).toBe('m1');
    expect(query.parameters[1]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});

describe('compiled SQL: joins', () => {
  it('reads a single relation path through one EXISTS', () => {
    expectSql(
      'author.name = "Ann"',
      'exists (select 1 from (select 1) as "b$1" left join "members" as "j$2" on "j$2"."id" = "posts"."author" where "j$2"."name" = ?)',
      ['Ann'],
    );
  });

  it('checks every item of a multi relation with a NOT EXISTS on fresh aliases', () => {
    expectSql(
      'readers.name = "Ann"',
      `exists (select 1 from (select 1) as "b$1" left join ${each('"posts"."readers"', 'j$2')} on true left join "members" as "j$3" on "j$3"."id" = "j$2"."value" where ("j$3"."name" = ? and not exists (select 1 from (select 1) as "b$4" left join ${each('"posts"."readers"', 'j$5')} on true left join "members" as "j$6" on "j$6"."id" = "j$5"."value" where not coalesce("j$6"."name" = ?, false))))`,
      ['Ann', 'Ann'],
    );
  });

  it('checks at least one item of a multi relation with ?=', () => {
    expectSql(
      'readers.name ?= "Ann"',
      `exists (select 1 from (select 1) as "b$1" left join ${each('"posts"."readers"', 'j$2')} on true left join "members" as "j$3" on "j$3"."id" = "j$2"."value" where "j$3"."name" = ?)`,
      ['Ann'],
    );
  });

  it('joins a back-relation on the referencing field', () => {
    expectSql(
      'comments_via_post.text ?~ "spam"',
      `exists (select 1 from (select 1) as "b$1" left join "comments" as "j$2" on "j$2"."post" = "posts"."id" where "j$2"."text" like ? escape '\\')`,
      ['%spam%'],
    );
    expectSql(
      'notes_via_posts.text ?= "x"',
      `exists (select 1 from (select 1) as "b$1" left join "notes" as "j$2" on exists (select 1 from json_each(case when json_valid("j$2"."posts") then "j$2"."posts" end) as "je$" where "je$"."value" = "posts"."id") where "j$2"."text" = ?)`,
      ['x'],
    );
  });

  it('keeps a back-relation with a unique index single-valued', () => {
    expectSql(
      'likes_via_post.weight > 2',
      'exists (select 1 from (select 1) as "b$1" left join "likes" as "j$2" on "j$2"."post" = "posts"."id" where "j$2"."weight" > ?)',
      [2n],
    );
  });

  it('shares one @collection join between ? conditions', async () => {
    const auth = await authAs(t.app, 'members', 'm1');
    expectSql(
      '@collection.regs.user ?= @request.auth.id && @collection.regs.course ?= id',
      'exists (select 1 from (select 1) as "b$1" left join "regs" as "j$2" on true where ("j$2"."user" = ? and "j$2"."course" = "posts"."id"))',
      ['m1'],
      { request: request({ auth }) },
    );
  });

  it('ANDs the listRule of a joined collection for client filters', async () => {
    await updateCollection(t.app, 'members', { listRule: 'verified = true' });
    try {
      expectSql(
        'author.name = "Ann"',
        'exists (select 1 from (select 1) as "b$1" left join "members" as "j$2" on "j$2"."id" = "posts"."author" where "j$2"."name" = ? and "j$2"."verified" = ?)',
        ['Ann', 1n],
        { origin: 'clientFilter' },
      );
    } finally {
      await updateCollection(t.app, 'members', { listRule: '' });
    }
  });
});

describe('compiled SQL: sort', () => {
  it('sorts by fields, modifiers, relation scalars, @rowid and @random', () => {
    const terms = compileSort(
      '-author.name,title:lower,+@rowid,@random',
      contextFor(t.app, 'posts'),
      t.app.db.dialect,
    );
    let query = t.app.db.db.selectFrom('posts').select('id');
    for (const term of terms) query = query.orderBy(term.expression, term.modifiers);
    const { sql, parameters } = query.compile();
    expect(sql).toBe(
      'select "id" from "posts" order by (select "j$2"."name" from (select 1) as "b$1" left join "members" as "j$2" on "j$2"."id" = "posts"."author") desc, lower("posts"."title") asc, "posts"."_rowid_" asc, random() asc',
    );
    expect(parameters).toEqual([]);
  });
});
