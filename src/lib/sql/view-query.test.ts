import { describe, expect, it } from 'vitest';
import { tokenizeSql } from './sql-tokenize.js';
import {
  checkViewQuery,
  columnHint,
  parseViewQuery,
  referencedTables,
  type ColumnHint,
  type ViewColumn,
} from './view-query.js';

const NOT_SELECT = 'The query must be a single SELECT statement.';
const MULTIPLE = 'Multiple statements are not supported.';
const MODIFYING =
  'Only SELECT is allowed in a view query: no INSERT, UPDATE, DELETE or other statements.';
const WILDCARD = 'Wildcard columns (*) are not supported: list the fields the view should have.';
const INTO = 'SELECT ... INTO is not allowed in a view query.';
const LOCKS =
  'Row locks (FOR UPDATE, FOR SHARE, LOCK IN SHARE MODE) are not allowed in a view query.';
const FIXTURE =
  'SELECT customer AS id, count(*) AS orders, sum(total_cents) AS spent FROM orders GROUP BY customer';

/** The problem of a refused query (fails the test when the query is accepted). */
function problemOf(text: string): string {
  const check = checkViewQuery(text);
  if (check.ok) throw new Error(`accepted: ${text}`);
  return check.problem;
}

/** The normalised SQL of an accepted query (fails the test when the query is refused). */
function sqlOf(text: string): string {
  const check = checkViewQuery(text);
  if (!check.ok) throw new Error(`refused (${check.problem}): ${text}`);
  return check.sql;
}

/** The columns of a query as [alias, expression] pairs. */
function columns(sql: string): [string, string][] {
  return parseViewQuery(sql).columns.map((c: ViewColumn) => [c.alias, c.expression]);
}

/** The aliases of a query's columns. */
function aliases(sql: string): string[] {
  return parseViewQuery(sql).columns.map((c) => c.alias);
}

describe('tokenizeSql', () => {
  it('reads strings, quoted identifiers, comments, numbers and depths', () => {
    const result = tokenizeSql(
      `select 'it''s', "a""b", \`c\`\`d\`, [e f], 1.5e3, $$x;y$$, $t$ $$ $t$, E'\\'' -- c;\n/* ; */ (x)`,
    );
    if (!result.ok) throw new Error(result.problem);
    expect(result.tokens.map((t) => [t.kind, t.value])).toEqual([
      ['word', 'select'],
      ['string', "it's"],
      ['punct', ','],
      ['ident', 'a"b'],
      ['punct', ','],
      ['ident', 'c`d'],
      ['punct', ','],
      ['ident', 'e f'],
      ['punct', ','],
      ['number', '1.5e3'],
      ['punct', ','],
      ['string', 'x;y'],
      ['punct', ','],
      ['string', ' $$ '],
      ['punct', ','],
      ['string', "\\'"],
      ['punct', '('],
      ['word', 'x'],
      ['punct', ')'],
    ]);
    expect(result.tokens.map((t) => t.depth).slice(-3)).toEqual([0, 1, 0]);
  });

  it('reads parameters and the :: cast operator', () => {
    const result = tokenizeSql('a::int = $1 and b = ? and c = :name and d = @v');
    if (!result.ok) throw new Error(result.problem);
    expect(result.tokens.filter((t) => t.kind === 'param').map((t) => t.text)).toEqual([
      '$1',
      '?',
      ':name',
      '@v',
    ]);
    expect(result.tokens[1]?.text).toBe('::');
  });

  it('reads a backslash the standard way when the escaping reading leaves a string open', () => {
    const result = tokenizeSql("select 'C:\\' as id, 'x' y");
    if (!result.ok) throw new Error(result.problem);
    expect(result.tokens.filter((t) => t.kind === 'string').map((t) => t.value)).toEqual([
      'C:\\',
      'x',
    ]);
  });

  it('keeps the case of words in their text and lower-cases their value', () => {
    const result = tokenizeSql('SeLeCt');
    expect(result.ok && result.tokens[0]).toMatchObject({ text: 'SeLeCt', value: 'select' });
  });
});

describe('checkViewQuery', () => {
  it.each([
    [FIXTURE, FIXTURE],
    ['  select 1 as id  ', 'select 1 as id'],
    ['select 1 as id;', 'select 1 as id'],
    ['select 1 as id ; ;  ', 'select 1 as id'],
    ['select 1 as id; -- the end\n/* really */ ', 'select 1 as id'],
    [';select 1 as id;', 'select 1 as id'],
    ['-- a view\nselect 1 as id', '-- a view\nselect 1 as id'],
    ['(select 1 as id)', '(select 1 as id)'],
    ['select count(*) as c from t', 'select count(*) as c from t'],
    ["select ';' as id, 'a -- b' as x from t", "select ';' as id, 'a -- b' as x from t"],
    ['select a /* ; */ as id -- ;\nfrom t', 'select a /* ; */ as id -- ;\nfrom t'],
    ['select "a;b" as id, `c;d`, [e;f] from t', 'select "a;b" as id, `c;d`, [e;f] from t'],
    ['select $$a;b$$ as id, $x$;$x$ as y', 'select $$a;b$$ as id, $x$;$x$ as y'],
    ["select 'it\\'s;' as id", "select 'it\\'s;' as id"],
    ["select 'C:\\' as id, ';' as x", "select 'C:\\' as id, ';' as x"],
    ['with a as (select 1 as id) select id from a', 'with a as (select 1 as id) select id from a'],
    [
      'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 5) SELECT x AS id FROM n',
      'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 5) SELECT x AS id FROM n',
    ],
    ['with a as materialized (select 1 as id) select id from a', null],
    ['with a(id) as (values (1), (2)) (select id from a)', null],
    ["select x::int as id, a->>'k' as k, b @> c as d from t", null],
    ['select `set` as id, "update" from t', null],
    ['select a as id from t union all select b from u', null],
    ["select replace(name, 'a', 'b') as id, (replace(x, y, z)) as r from t", null],
    ["select insert('abc', 1, 1, 'x') as id, truncate(1.5, 0) as t", null],
    ['select (update) as id from t', null],
    ['select id from (select * from t) s', null],
    ['select a.x is distinct from b.x as d, a.id from a, b', null],
    ['select substring(name from 1 for 2) as id from t', null],
    ['select updated_at as id, deleted from t where deleted is null', null],
    ["select id from t where comment = 'drop table x'", null],
  ])('accepts %j', (text, expected) => {
    expect(sqlOf(text)).toBe(expected ?? text);
  });

  it.each([
    ['', 'The query is empty.'],
    ['   \n ', 'The query is empty.'],
    [' ; ; ', 'The query is empty.'],
    ['-- only a comment', 'The query is empty.'],
    ['select 1 as id; select 2 as id', MULTIPLE],
    ["select 'a' as id; select 'b' as id", MULTIPLE],
    ['select 1 as id; drop table users', MULTIPLE],
    ['select 1 as id;/* x */ x', MULTIPLE],
    ['select (1; 2) as id', MULTIPLE],
    ['update t set a = 1', NOT_SELECT],
    ['insert into t values (1)', NOT_SELECT],
    ['delete from t', NOT_SELECT],
    ['drop table t', NOT_SELECT],
    ['pragma table_info(t)', NOT_SELECT],
    ['values (1)', NOT_SELECT],
    ['table t', NOT_SELECT],
    ['explain select 1', NOT_SELECT],
    ['/* c */ ( update t set a = 1)', NOT_SELECT],
    ['with a as (select 1) delete from t', MODIFYING],
    ['with a as (select 1) update t set x = 1', MODIFYING],
    ['with a as (select 1) values (1)', NOT_SELECT],
    ['with a as (delete from t returning id) select id from a', MODIFYING],
    [
      'with a as (select 1), b as (INSERT INTO t (x) values (1) returning x) select x as id from b',
      MODIFYING,
    ],
    [
      'with a as not materialized (update t set x = 1 returning x) select x as id from a',
      MODIFYING,
    ],
    [
      'with a as (merge into t using u on t.id = u.id when matched then delete) select 1',
      MODIFYING,
    ],
    ['select * from (delete from t returning *)', MODIFYING],
    ['select id into backup from t', INTO],
    ["select id from t into outfile '/tmp/x'", INTO],
    ['select id from t for update', LOCKS],
    ['select id from t for share', LOCKS],
    ['select id from t for no key update', LOCKS],
    ['select id from t lock in share mode', LOCKS],
    ["select 'abc as id", 'The query has an unterminated string.'],
    ['select $$abc as id', 'The query has an unterminated string.'],
    ['select "abc as id', 'The query has an unterminated quoted identifier.'],
    ['select `abc as id', 'The query has an unterminated quoted identifier.'],
    ['select [abc as id', 'The query has an unterminated quoted identifier.'],
    ['select 1 as id /* abc', 'The query has an unterminated comment.'],
    ['select (1 as id', 'The query has unbalanced parentheses.'],
    ['select 1) as id', 'The query has unbalanced parentheses.'],
    [
      'select 1 as id /*! ; drop table t */',
      'MariaDB executable comments (/*! ... */) are not supported.',
    ],
    [
      'select 1 as id, ' + 'x'.repeat(10_000),
      'The query is too long: at most 10,000 characters are allowed.',
    ],
    ['select * from t', WILDCARD],
    ['select a.id, a.* from demo1 a', WILDCARD],
    ['select * from (select 1 as id)', WILDCARD],
    ['select id, "t".* from t', WILDCARD],
    ['with a as (select 1 as id) select * from a', WILDCARD],
    ['select id from t union select * from u', WILDCARD],
    ['select distinct * from t', WILDCARD],
    ['SELECT DISTINCT t.* FROM t', WILDCARD],
    ['select *, count(id) as c from _superusers; select * from demo1;', MULTIPLE],
    // One string for MariaDB, two statements for SQLite and PostgreSQL.
    ["select 'C:\\' as id; drop table x; -- '", MULTIPLE],
    // One string for SQLite and PostgreSQL, two statements for MariaDB.
    ["select 'a\\', '; drop table x; -- ' as id", MULTIPLE],
  ])('refuses %j', (text, problem) => {
    expect(problemOf(text)).toBe(problem);
  });

  it('accepts exactly 10,000 characters', () => {
    const text = 'select 1 as id -- ' + 'x'.repeat(10_000 - 18);
    expect(text).toHaveLength(10_000);
    expect(checkViewQuery(text).ok).toBe(true);
  });
});

describe('parseViewQuery', () => {
  it('reads the fixture query', () => {
    expect(parseViewQuery(FIXTURE)).toEqual({
      columns: [
        { expression: 'customer', alias: 'id' },
        { expression: 'count(*)', alias: 'orders' },
        { expression: 'sum(total_cents)', alias: 'spent' },
      ],
      sources: [{ name: 'orders', alias: 'orders' }],
    });
  });

  it('reads AS, implicit and quoted aliases', () => {
    expect(
      columns(
        `select a.id, b.x as "Big Name", c.y yy, "q"."z" 'single', 1 + 2, t.w "w.v", count(*) n from t`,
      ),
    ).toEqual([
      ['id', 'a.id'],
      ['Big Name', 'b.x'],
      ['yy', 'c.y'],
      ['single', '"q"."z"'],
      ['1 + 2', '1 + 2'],
      ['w.v', 't.w'],
      ['n', 'count(*)'],
    ]);
  });

  it('keeps commas inside calls, CASE and subqueries in one column', () => {
    expect(
      columns(`select
        coalesce(a, b, 'x,y') as c1,
        case when a in (1, 2) then 'p' else 'q' end as c2,
        (select max(v) from u where u.k = t.k) as c3,
        case when a then 1 else 2 end,
        json_object('a', 1, 'b', 2) obj
      from t`),
    ).toEqual([
      ['c1', "coalesce(a, b, 'x,y')"],
      ['c2', "case when a in (1, 2) then 'p' else 'q' end"],
      ['c3', '(select max(v) from u where u.k = t.k)'],
      ['case when a then 1 else 2 end', 'case when a then 1 else 2 end'],
      ['obj', "json_object('a', 1, 'b', 2)"],
    ]);
  });

  it('does not take expression-ending words or typed literals for aliases', () => {
    expect(
      aliases(
        `select x is null, x is not true, date '2020-01-01', x::text, -y, t.a, a collate nocase from t`,
      ),
    ).toEqual([
      'x is null',
      'x is not true',
      "date '2020-01-01'",
      'x::text',
      '-y',
      'a',
      'a collate nocase',
    ]);
  });

  it('reads quoted identifiers with spaces and dots', () => {
    expect(
      parseViewQuery('select "my table"."a.b" as "x y", [c d] from "my table" join `s.q` on 1=1'),
    ).toEqual({
      columns: [
        { expression: '"my table"."a.b"', alias: 'x y' },
        { expression: '[c d]', alias: 'c d' },
      ],
      sources: [
        { name: 'my table', alias: 'my table' },
        { name: 's.q', alias: 's.q' },
      ],
    });
  });

  it('skips DISTINCT, ALL and DISTINCT ON', () => {
    expect(aliases('select distinct id as id2, id, 123 as custom from demo1')).toEqual([
      'id2',
      'id',
      'custom',
    ]);
    expect(aliases('SELECT ALL id FROM t')).toEqual(['id']);
    expect(aliases('select distinct on (a, b) a, b as c from t')).toEqual(['a', 'c']);
  });

  it('reads comments between the parts (PocketBase test query)', () => {
    const sql = `
      select
      -- test single line
      demo1.id,
      demo1.text,
      /* multi
       * line comment block */
      demo1.url, demo1.created, demo1.updated from/* inline comment block */demo1
      -- comment before join
      join demo2 ON (
        -- comment inside join
        demo2.id = demo1.id
      )
      -- comment before where
      where (demo2.id = demo1.id)`;
    expect(aliases(sql)).toEqual(['id', 'text', 'url', 'created', 'updated']);
    expect(parseViewQuery(sql).sources).toEqual([
      { name: 'demo1', alias: 'demo1' },
      { name: 'demo2', alias: 'demo2' },
    ]);
  });

  it('reads every kind of source and alias (PocketBase test query)', () => {
    const sql = `
      select a.id as id, b.id as bid, lj.id cid, ij.id as did, a.bool, _superusers.id as eid, _superusers.email
      from demo1 a, demo2 as b
      left join demo3 lj on lj.id = 123
      inner join demo4 as ij on ij.id = 123
      join _superusers
      where 1=1
      group by a.id
      limit 10`;
    expect(aliases(sql)).toEqual(['id', 'bid', 'cid', 'did', 'bool', 'eid', 'email']);
    expect(parseViewQuery(sql).sources).toEqual([
      { name: 'demo1', alias: 'a' },
      { name: 'demo2', alias: 'b' },
      { name: 'demo3', alias: 'lj' },
      { name: 'demo4', alias: 'ij' },
      { name: '_superusers', alias: '_superusers' },
    ]);
  });

  it('reads joins of all kinds, USING, subqueries, functions and schemas', () => {
    const sql = `select o.id from main.orders o
      natural join a
      left outer join b using (id)
      right join c on c.id = o.id and c.x in (1, 2)
      full outer join d dd on true
      cross join e
      straight_join f
      join (select id, max(v) v from g group by id) as sub on sub.id = o.id
      join json_each(o.tags) je
      join lateral (select 1) l on true
      left join public."Quoted Name" as q on q.id = o.id, h
      where o.id > 0 order by 1`;
    expect(parseViewQuery(sql).sources).toEqual([
      { name: 'orders', alias: 'o' },
      { name: 'a', alias: 'a' },
      { name: 'b', alias: 'b' },
      { name: 'c', alias: 'c' },
      { name: 'd', alias: 'dd' },
      { name: 'e', alias: 'e' },
      { name: 'f', alias: 'f' },
      { name: '', alias: 'sub' },
      { name: '', alias: 'je' },
      { name: '', alias: 'l' },
      { name: 'Quoted Name', alias: 'q' },
      { name: 'h', alias: 'h' },
    ]);
  });

  it('reads the sources of parenthesized joins and keeps columns named like join words', () => {
    expect(
      parseViewQuery('select a.id from ((a join b on a.left = b.right) join c using (id)) as j, d')
        .sources,
    ).toEqual([
      { name: 'a', alias: 'a' },
      { name: 'b', alias: 'b' },
      { name: 'c', alias: 'c' },
      { name: '', alias: 'j' },
      { name: 'd', alias: 'd' },
    ]);
    expect(
      referencedTables('select x.id from (a x left join b y on x.full = y.id) where 1'),
    ).toEqual(['a', 'b']);
  });

  it('takes the main SELECT after CTEs and the first SELECT of a UNION', () => {
    const sql = `with totals as (select customer, sum(x) s from orders group by customer),
      names (id, n) as (select id, name from customers)
      select n.id, t.s as spent from names n join totals t on t.customer = n.id
      union all select 'x', 0 from dual`;
    expect(parseViewQuery(sql)).toEqual({
      columns: [
        { expression: 'n.id', alias: 'id' },
        { expression: 't.s', alias: 'spent' },
      ],
      sources: [
        { name: 'names', alias: 'n' },
        { name: 'totals', alias: 't' },
      ],
    });
    expect(aliases('(select a as id from t) union (select b from u)')).toEqual(['id']);
  });

  it('reads a select list without FROM, and stops at every clause', () => {
    expect(parseViewQuery("select 'a' as id, 2 b")).toEqual({
      columns: [
        { expression: "'a'", alias: 'id' },
        { expression: '2', alias: 'b' },
      ],
      sources: [],
    });
    for (const tail of [
      'where 1',
      'group by a',
      'having 1',
      'order by a',
      'limit 1',
      'window w as ()',
    ]) {
      expect(parseViewQuery(`select a from t x ${tail}`).sources).toEqual([
        { name: 't', alias: 'x' },
      ]);
    }
    expect(aliases('select percentile_cont(0.5) within group (order by v) as m from t')).toEqual([
      'm',
    ]);
  });

  it('reads unchecked text with semicolons around the statement', () => {
    expect(parseViewQuery(';; select a as id, b; ')).toEqual({
      columns: [
        { expression: 'a', alias: 'id' },
        { expression: 'b', alias: 'b' },
      ],
      sources: [],
    });
    expect(parseViewQuery('select a from t x;').sources).toEqual([{ name: 't', alias: 'x' }]);
  });

  it("reads PocketBase's quoted-identifier test query", () => {
    const sql = `
      select "id", "created", [text], \`bool\`, "demo1"."file_many", \`demo1\`.\`number\` number_alias,
        'single_quoted_custom_literal' as 'single_quoted_column'
      from demo1`;
    expect(columns(sql)).toEqual([
      ['id', '"id"'],
      ['created', '"created"'],
      ['text', '[text]'],
      ['bool', '`bool`'],
      ['file_many', '"demo1"."file_many"'],
      ['number_alias', '`demo1`.`number`'],
      ['single_quoted_column', "'single_quoted_custom_literal'"],
    ]);
  });

  it("reads PocketBase's cast test query, with the hints of its columns", () => {
    const sql = `select a.id, count(a.id) count, cast(a.id as int) cast_int, cast(a.id as real) cast_real,
        cast(a.id as text) cast_text, cast(a.id as boolean) cast_boolean, sum(a.id) sum, total(a.id) total
      from demo1 a`;
    const parsed = parseViewQuery(sql);
    expect(parsed.columns.map((c) => [c.alias, columnHint(c.expression).kind])).toEqual([
      ['id', 'column'],
      ['count', 'number'],
      ['cast_int', 'number'],
      ['cast_real', 'number'],
      ['cast_text', 'text'],
      ['cast_boolean', 'bool'],
      ['sum', 'unknown'],
      ['total', 'number'],
    ]);
    expect(parsed.sources).toEqual([{ name: 'demo1', alias: 'a' }]);
  });

  it('gives nothing for text that does not tokenize or is no SELECT', () => {
    expect(parseViewQuery("select 'a")).toEqual({ columns: [], sources: [] });
    expect(parseViewQuery('update t set a = 1')).toEqual({ columns: [], sources: [] });
  });
});

describe('referencedTables', () => {
  it('lists tables of every FROM and JOIN, subqueries included, without CTE names', () => {
    const sql = `with recent as (select * from orders o where o.at > (select max(at) - 7 from "Audit Log"))
      select c.id, (select count(*) from items i where i.c = c.id) as n
      from customers c
      join recent r on r.customer = c.id
      left join (select * from refunds, orders) x on true, main.settings
      where c.id in (select customer from blocked)`;
    expect(referencedTables(sql)).toEqual([
      'orders',
      'Audit Log',
      'items',
      'customers',
      'refunds',
      'settings',
      'blocked',
    ]);
  });

  it('does not read FROM inside function calls or IS DISTINCT FROM', () => {
    expect(
      referencedTables(
        'select extract(year from at) as y, substring(s from 2) as s, a is distinct from b as d from t',
      ),
    ).toEqual(['t']);
  });

  it('reads the CTE-shadowing name case-insensitively and skips table functions', () => {
    expect(
      referencedTables('WITH Recent AS (select 1) select id from recent, json_each(x), views_a'),
    ).toEqual(['views_a']);
  });
});

describe('columnHint', () => {
  it.each<[string, ColumnHint]>([
    ['count(*)', { kind: 'number', onlyInt: true }],
    ['COUNT(DISTINCT a.id)', { kind: 'number', onlyInt: true }],
    ['total(a.id)', { kind: 'number', onlyInt: false }],
    ['count(*) + sum(x)', { kind: 'unknown' }],
    ['sum(a.id)', { kind: 'unknown' }],
    ['avg(a.id)', { kind: 'unknown' }],
    ['cast(a.id as int)', { kind: 'number', onlyInt: true }],
    ['cast(a.id as integer)', { kind: 'number', onlyInt: true }],
    ['cast(a.id as bigint)', { kind: 'number', onlyInt: true }],
    ['cast(a.id as smallint)', { kind: 'number', onlyInt: true }],
    ['CAST(a.id AS SIGNED)', { kind: 'number', onlyInt: true }],
    ['cast(a.id as unsigned integer)', { kind: 'number', onlyInt: true }],
    ['cast(a.id as real)', { kind: 'number', onlyInt: false }],
    ['cast(a.id as double)', { kind: 'number', onlyInt: false }],
    ['cast(a.id as double precision)', { kind: 'number', onlyInt: false }],
    ['cast(a.id as float)', { kind: 'number', onlyInt: false }],
    ['cast(a.id as decimal(10, 2))', { kind: 'number', onlyInt: false }],
    ['cast(a.id as numeric)', { kind: 'number', onlyInt: false }],
    ['cast(a.id as text)', { kind: 'text' }],
    ['cast(a.id as char(20))', { kind: 'text' }],
    ['cast(a.id as varchar(255))', { kind: 'text' }],
    ['cast(a.id as character varying)', { kind: 'text' }],
    ['cast(a.id as bool)', { kind: 'bool' }],
    ['cast(a.id as boolean)', { kind: 'bool' }],
    ['cast(a.id as json)', { kind: 'unknown' }],
    ['CaSt( a.id  aS iNt )', { kind: 'number', onlyInt: true }],
    [
      `cast(
        (case when count(a.id) = 1 then 21 when count(a.id) = 2 then 18 else 0 end) as int
      )`,
      { kind: 'number', onlyInt: true },
    ],
    ['cast(a as int) + 1', { kind: 'unknown' }],
    ['a.total::int', { kind: 'number', onlyInt: true }],
    ['(a + b)::numeric(10,2)', { kind: 'number', onlyInt: false }],
    ['x::text', { kind: 'text' }],
    ['id', { kind: 'column', source: '', field: 'id' }],
    ['a.id', { kind: 'column', source: 'a', field: 'id' }],
    ['"demo1"."file_many"', { kind: 'column', source: 'demo1', field: 'file_many' }],
    ['`demo1`.`number`', { kind: 'column', source: 'demo1', field: 'number' }],
    ['[text]', { kind: 'column', source: '', field: 'text' }],
    ['"My Table"."a.b"', { kind: 'column', source: 'My Table', field: 'a.b' }],
    ['main.t.Col', { kind: 'column', source: 't', field: 'Col' }],
    ["'single_quoted_custom_literal'", { kind: 'unknown' }],
    ['123', { kind: 'unknown' }],
    ['null', { kind: 'unknown' }],
    ['a.id + 1', { kind: 'unknown' }],
    ['lower(a.name)', { kind: 'unknown' }],
    ['', { kind: 'unknown' }],
    ["'unterminated", { kind: 'unknown' }],
  ])('%j', (expression, hint) => {
    expect(columnHint(expression)).toEqual(hint);
  });

  it('hints every column of the fixture query', () => {
    expect(parseViewQuery(FIXTURE).columns.map((c) => columnHint(c.expression))).toEqual([
      { kind: 'column', source: '', field: 'customer' },
      { kind: 'number', onlyInt: true },
      { kind: 'unknown' },
    ]);
  });
});
