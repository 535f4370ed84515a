import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  IndexDefinitionError,
  formatIndexDefinition,
  parseIndexDefinition,
  renameIndexColumn,
  renameIndexTable,
  renderIndexWhereSql,
} from './index-definition.js';
import type {
  IndexColumn,
  IndexCompareOp,
  IndexDefinition,
  IndexLiteral,
  IndexWhere,
} from './index-definition.js';

const def = (columns: IndexColumn[], extra: Partial<IndexDefinition> = {}): IndexDefinition => ({
  name: 'idx',
  table: 't',
  unique: false,
  columns,
  ...extra,
});
const cmp = (column: string, op: IndexCompareOp, value: IndexLiteral): IndexWhere => ({
  kind: 'compare',
  column,
  op,
  value,
});
const where = (sql: string): IndexWhere | undefined =>
  parseIndexDefinition(`CREATE INDEX idx ON t (x) WHERE ${sql}`).where;

describe('parseIndexDefinition: valid definitions', () => {
  const cases: [string, IndexDefinition][] = [
    [
      'CREATE INDEX `idx_posts_title` ON `posts` (`title`)',
      { name: 'idx_posts_title', table: 'posts', unique: false, columns: [{ name: 'title' }] },
    ],
    [
      "CREATE UNIQUE INDEX `idx_users_email` ON `users` (`email`) WHERE `email` != ''",
      {
        name: 'idx_users_email',
        table: 'users',
        unique: true,
        columns: [{ name: 'email' }],
        where: cmp('email', '!=', ''),
      },
    ],
    [
      'CREATE INDEX idx_x ON posts (title COLLATE NOCASE DESC, `views`)',
      def([{ name: 'title', collate: 'nocase', direction: 'desc' }, { name: 'views' }], {
        name: 'idx_x',
        table: 'posts',
      }),
    ],
    ['create index idx on t (a)', def([{ name: 'a' }])],
    ['CREATE INDEX "idx" ON "t" ("a")', def([{ name: 'a' }])],
    ['CREATE INDEX [idx] ON [t] ([a])', def([{ name: 'a' }])],
    ['CREATE INDEX `idx` ON "t" ([a], b)', def([{ name: 'a' }, { name: 'b' }])],
    ['CREATE INDEX IF NOT EXISTS idx ON t (a)', def([{ name: 'a' }])],
    ['CREATE UNIQUE INDEX if not exists idx ON t (a);', def([{ name: 'a' }], { unique: true })],
    ['  CREATE\n\tINDEX idx ON t(a)  ;  ', def([{ name: 'a' }])],
    ['CREATE INDEX idx ON t (a ASC)', def([{ name: 'a' }])],
    ['CREATE INDEX idx ON t (a desc)', def([{ name: 'a', direction: 'desc' }])],
    ['CREATE INDEX idx ON t (a collate nocase)', def([{ name: 'a', collate: 'nocase' }])],
    ['CREATE INDEX idx ON t (a COLLATE BINARY ASC)', def([{ name: 'a' }])],
    ['CREATE INDEX idx ON t (a COLLATE "NOCASE")', def([{ name: 'a', collate: 'nocase' }])],
    [
      'CREATE INDEX `on` ON `index` (`where`)',
      def([{ name: 'where' }], { name: 'on', table: 'index' }),
    ],
    ['CREATE INDEX _i ON _T9 (A_1)', def([{ name: 'A_1' }], { name: '_i', table: '_T9' })],
    [`CREATE INDEX ${'i'.repeat(63)} ON t (a)`, def([{ name: 'a' }], { name: 'i'.repeat(63) })],
    [
      `CREATE INDEX idx ON t (${Array.from({ length: 32 }, (_, i) => `c${i}`).join(', ')})`,
      def(Array.from({ length: 32 }, (_, i) => ({ name: `c${i}` }))),
    ],
  ];
  it.each(cases)('%s', (sql, expected) => {
    expect(parseIndexDefinition(sql)).toStrictEqual(expected);
  });
});

describe('parseIndexDefinition: WHERE forms', () => {
  const cases: [string, IndexWhere][] = [
    ["a = 'x'", cmp('a', '=', 'x')],
    ["a == 'x'", cmp('a', '=', 'x')],
    ["a <> 'x'", cmp('a', '!=', 'x')],
    ['a<1', cmp('a', '<', 1)],
    ['a <= 1.5', cmp('a', '<=', 1.5)],
    ['a>-2', cmp('a', '>', -2)],
    ['a >= -0.25', cmp('a', '>=', -0.25)],
    ['a = -0', cmp('a', '=', 0)],
    ['a = 1.50', cmp('a', '=', 1.5)],
    ['5 < a', cmp('a', '>', 5)],
    ["'x' >= `a`", cmp('a', '<=', 'x')],
    ['a = TRUE', cmp('a', '=', true)],
    ['a = false', cmp('a', '=', false)],
    ['a != NULL', cmp('a', '!=', null)],
    ["a = 'it''s'", cmp('a', '=', "it's")],
    ["a = ''''", cmp('a', '=', "'")],
    ["a = 'x -- y /* z */; DROP TABLE t'", cmp('a', '=', 'x -- y /* z */; DROP TABLE t')],
    ["a = 'ünïcode \\ back'", cmp('a', '=', 'ünïcode \\ back')],
    ['a IS NULL', { kind: 'isNull', column: 'a', negated: false }],
    ['"a" is not null', { kind: 'isNull', column: 'a', negated: true }],
    ['NOT a = 1', { kind: 'not', operand: cmp('a', '=', 1) }],
    [
      'NOT NOT a IS NULL',
      {
        kind: 'not',
        operand: { kind: 'not', operand: { kind: 'isNull', column: 'a', negated: false } },
      },
    ],
    ['a = 1 AND b = 2', { kind: 'and', operands: [cmp('a', '=', 1), cmp('b', '=', 2)] }],
    [
      'a = 1 OR b = 2 AND c = 3',
      {
        kind: 'or',
        operands: [
          cmp('a', '=', 1),
          { kind: 'and', operands: [cmp('b', '=', 2), cmp('c', '=', 3)] },
        ],
      },
    ],
    [
      '(a = 1 OR b = 2) AND c = 3',
      {
        kind: 'and',
        operands: [
          { kind: 'or', operands: [cmp('a', '=', 1), cmp('b', '=', 2)] },
          cmp('c', '=', 3),
        ],
      },
    ],
    [
      'a = 1 AND (b = 2 AND c = 3) AND ((d = 4))',
      {
        kind: 'and',
        operands: [cmp('a', '=', 1), cmp('b', '=', 2), cmp('c', '=', 3), cmp('d', '=', 4)],
      },
    ],
    [
      'NOT (a = 1 OR b = 2)',
      { kind: 'not', operand: { kind: 'or', operands: [cmp('a', '=', 1), cmp('b', '=', 2)] } },
    ],
    ['(((a = 1)))', cmp('a', '=', 1)],
  ];
  it.each(cases)('%s', (sql, expected) => {
    expect(where(sql)).toStrictEqual(expected);
  });
});

describe('parseIndexDefinition: invalid definitions', () => {
  const long = 'a'.repeat(64);
  const cases: [string, RegExp][] = [
    ['', /empty/],
    ['   ;', /CREATE INDEX/],
    ['CREATE INDEX a ON t (x); DROP TABLE t', /Only one statement/],
    ['CREATE INDEX a ON t (x);;', /Only one statement/],
    ['CREATE INDEX a ON t (x) WHERE 1=1; --', /Comments/],
    ['CREATE INDEX a ON t (x) WHERE x = 1 -- comment', /Comments/],
    ['CREATE INDEX a ON t (x) /* c */', /Comments/],
    ['CREATE INDEX a ON t (x) WHERE 1=1', /column on one side/],
    ['CREATE INDEX a ON t (x) WHERE x = y', /column on one side/],
    ['CREATE INDEX a ON t (x) WHERE x = (SELECT 1)', /column or a value/],
    ['CREATE INDEX a ON t (x) WHERE (SELECT x FROM t) = 1', /Subqueries/],
    ['CREATE INDEX a ON t (x) WHERE EXISTS (SELECT 1)', /Subqueries/],
    ['CREATE INDEX a ON t (x) WHERE lower(x) = 1', /Function calls/],
    ['CREATE INDEX a ON t (x) WHERE x = abs(1)', /Function calls/],
    ['CREATE INDEX a ON t (x) WHERE x = "abc"', /single quotes/],
    ["CREATE INDEX a ON t (x) WHERE x LIKE 'a%'", /Expected =/],
    ['CREATE INDEX a ON t (x) WHERE x IN (1, 2)', /Expected =/],
    ['CREATE INDEX a ON t (x) WHERE x = 1 + 1', /Unexpected character/],
    ["CREATE INDEX a ON t (x) WHERE x = 'a' || 'b'", /Unexpected character/],
    ['CREATE INDEX a ON t (x) WHERE x = 1e5', /Invalid number/],
    ['CREATE INDEX a ON t (x) WHERE x = .5', /Unexpected character/],
    ['CREATE INDEX a ON t (x) WHERE x = 1.', /Invalid number/],
    ['CREATE INDEX a ON t (x) WHERE x = 0x10', /must not start with a digit/],
    ['CREATE INDEX a ON t (x) WHERE x = 99999999999999999999', /out of range/],
    ['CREATE INDEX a ON t (x) WHERE x = 0.0000001', /out of range/],
    ['CREATE INDEX a ON t (x) WHERE x = - 1', /Unexpected character/],
    ['CREATE INDEX a ON t (x) WHERE x IS 1', /Expected NULL/],
    ['CREATE INDEX a ON t (x) WHERE NULL IS NULL', /needs a column/],
    ['CREATE INDEX a ON t (x) WHERE x IS NOT TRUE', /Expected NULL/],
    ['CREATE INDEX a ON t (x) WHERE', /column or a value/],
    ['CREATE INDEX a ON t (x) WHERE (x = 1', /Expected "\)"/],
    ['CREATE INDEX a ON t (x) WHERE x = 1)', /Unexpected "\)"/],
    ['CREATE INDEX a ON t (x) WHERE x = 1 AND', /column or a value/],
    ['CREATE INDEX a ON t (x) WHERE x = 1 x = 2', /Unexpected "x"/],
    ["CREATE INDEX a ON t (x) WHERE x = 'open", /Unterminated string/],
    ["CREATE INDEX a ON t (x) WHERE x = 'a\u0000b'", /NUL/],
    ['CREATE INDEX a ON t (x) WHERE t.x = 1', /Unexpected character "\."/],
    [`CREATE INDEX a ON t (x) WHERE ${'('.repeat(40)}x = 1${')'.repeat(40)}`, /nested too deeply/],
    [`CREATE INDEX a ON t (x) WHERE ${'NOT '.repeat(40)}x = 1`, /nested too deeply/],
    ['CREATE INDEX a ON t (lower(x))', /Function calls/],
    ['CREATE INDEX a ON t (x + 1)', /Unexpected character "\+"/],
    ['CREATE INDEX a ON t (x - 1)', /Unexpected character "-"/],
    ['CREATE INDEX a ON t (x = 1)', /only plain column names/],
    ['CREATE INDEX a ON t (x, y z)', /only plain column names/],
    ['CREATE INDEX a ON t ()', /at least one column/],
    ['CREATE INDEX a ON t (x,)', /Expected a column name/],
    ['CREATE INDEX a ON t (x, X)', /Duplicate index column "X"/],
    ['CREATE INDEX a ON t (x, `x`)', /Duplicate index column/],
    ['CREATE INDEX a ON t (x', /close the column list/],
    ['CREATE INDEX a ON t x', /Expected "\(" after the table name\./],
    ['CREATE INDEX a ON t', /Expected "\(" after the table name\./],
    ['CREATE INDEX a t (x)', /Expected "ON"/],
    ['CREATE INDEX ON t (x)', /Expected the index name/],
    ['CREATE TABLE t (x)', /Expected "INDEX" after "CREATE"/],
    ['CREATE UNIQUE t (x)', /Expected "INDEX" after "UNIQUE"/],
    ['DROP INDEX a', /CREATE INDEX/],
    ['CREATE INDEX IF EXISTS a ON t (x)', /NOT EXISTS/],
    ['CREATE INDEX main.a ON t (x)', /Unexpected character "\."/],
    ['CREATE INDEX 1abc ON t (x)', /must not start with a digit/],
    ['CREATE INDEX `1abc` ON t (x)', /Invalid index name/],
    ['CREATE INDEX `a-b` ON t (x)', /Invalid index name/],
    ['CREATE INDEX `` ON t (x)', /Invalid index name/],
    ['CREATE INDEX "a""b" ON t (x)', /Quoted identifiers/],
    ['CREATE INDEX a ON `t (x)', /Unterminated quoted identifier/],
    ['CREATE INDEX a ON [t (x)', /Unterminated quoted identifier/],
    ['CREATE INDEX a ON "t (x)', /Unterminated quoted identifier/],
    ['CREATE INDEX tïtle ON t (x)', /Unexpected character/],
    [`CREATE INDEX ${long} ON t (x)`, /longer than 63/],
    [`CREATE INDEX a ON \`${long}\` (x)`, /longer than 63/],
    [`CREATE INDEX a ON t (${long})`, /longer than 63/],
    [
      `CREATE INDEX a ON t (${Array.from({ length: 33 }, (_, i) => `c${i}`).join(', ')})`,
      /at most 32/,
    ],
    ['CREATE INDEX a ON t (x COLLATE RTRIM)', /Unsupported collation/],
    ['CREATE INDEX a ON t (x ASC DESC)', /only plain column names/],
    ['CREATE INDEX a ON t (x DESC COLLATE NOCASE)', /only plain column names/],
    [`CREATE INDEX a ON t (x) WHERE x = '${'y'.repeat(2000)}'`, /longer than 2000/],
  ];
  it.each(cases)('%s', (sql, message) => {
    expect(() => parseIndexDefinition(sql)).toThrow(IndexDefinitionError);
    expect(() => parseIndexDefinition(sql)).toThrow(message);
  });

  it('reports the position of the offending token', () => {
    const error = catchError(() => parseIndexDefinition('CREATE INDEX a ON t x'));
    expect(error).toBeInstanceOf(IndexDefinitionError);
    expect(error).toMatchObject({ name: 'IndexDefinitionError', position: 20 });
    expect(error.message).toBe('Expected "(" after the table name.');
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error('a non-Error was thrown', { cause: error });
  }
  throw new Error('expected an error');
}

describe('formatIndexDefinition', () => {
  const cases: [string, string][] = [
    ['create index idx_x on posts (title)', 'CREATE INDEX `idx_x` ON `posts` (`title`)'],
    [
      'CREATE UNIQUE INDEX IF NOT EXISTS [idx_users_email] ON "users" (email) WHERE email <> \'\';',
      "CREATE UNIQUE INDEX `idx_users_email` ON `users` (`email`) WHERE `email` != ''",
    ],
    [
      'CREATE INDEX idx_x ON posts (title COLLATE NOCASE DESC, `views` ASC, c COLLATE BINARY)',
      'CREATE INDEX `idx_x` ON `posts` (`title` COLLATE NOCASE DESC, `views`, `c`)',
    ],
    [
      "CREATE INDEX i ON t (a) WHERE 5 < a AND (b == 'it''s' OR NOT c IS NULL) AND d IS NOT NULL",
      "CREATE INDEX `i` ON `t` (`a`) WHERE `a` > 5 AND (`b` = 'it''s' OR NOT `c` IS NULL) AND `d` IS NOT NULL",
    ],
    [
      'CREATE INDEX i ON t (a) WHERE NOT (a = TRUE AND b = false) OR c = null',
      'CREATE INDEX `i` ON `t` (`a`) WHERE NOT (`a` = TRUE AND `b` = FALSE) OR `c` = NULL',
    ],
    [
      'CREATE INDEX i ON t (a) WHERE (a = 1 AND b = 2) OR (c = -3.5)',
      'CREATE INDEX `i` ON `t` (`a`) WHERE `a` = 1 AND `b` = 2 OR `c` = -3.5',
    ],
  ];
  it.each(cases)('%s', (input, expected) => {
    expect(formatIndexDefinition(parseIndexDefinition(input))).toBe(expected);
  });

  const invalid: [string, IndexDefinition][] = [
    ['a bad index name', def([{ name: 'x' }], { name: 'a b' })],
    ['a bad table name', def([{ name: 'x' }], { table: 't`; DROP TABLE t; --' })],
    ['no columns', def([])],
    ['duplicate columns', def([{ name: 'x' }, { name: 'X' }])],
    ['a bad column in WHERE', def([{ name: 'x' }], { where: cmp('x` = 1 OR 1', '=', 1) })],
    ['an infinite number', def([{ name: 'x' }], { where: cmp('x', '=', Infinity) })],
    ['NaN', def([{ name: 'x' }], { where: cmp('x', '=', NaN) })],
    ['an exponent number', def([{ name: 'x' }], { where: cmp('x', '=', 1e-7) })],
    ['an unsafe integer', def([{ name: 'x' }], { where: cmp('x', '=', 2 ** 60) })],
    ['a NUL in a string', def([{ name: 'x' }], { where: cmp('x', '=', 'a\u0000') })],
    [
      'an AND with one operand',
      def([{ name: 'x' }], { where: { kind: 'and', operands: [cmp('x', '=', 1)] } }),
    ],
    [
      'too long a text',
      def(
        Array.from({ length: 32 }, (_, i) => ({
          name: `c${String(i).padStart(2, '0')}${'x'.repeat(60)}`,
        })),
      ),
    ],
  ];
  it.each(invalid)('rejects %s', (_, definition) => {
    expect(() => formatIndexDefinition(definition)).toThrow(IndexDefinitionError);
  });
});

/** Parses JSON that merely looks like an AST node, as untyped data reaching the renderer would. */
function untrusted(json: string): IndexWhere {
  const value: unknown = JSON.parse(json);
  if (!looksLikeWhere(value)) throw new Error('test data is not an object with a kind');
  return value;
}

function looksLikeWhere(value: unknown): value is IndexWhere {
  return typeof value === 'object' && value !== null && 'kind' in value;
}

describe('renderIndexWhereSql', () => {
  const quote = (name: string): string => `"${name}"`;

  it('renders with the adapter quoting and inlines literals safely', () => {
    const condition = where(
      "a = 'it''s \\'' OR 1=1 --' AND b >= -1.5 AND NOT (c = TRUE OR d IS NOT NULL)",
    );
    expect(condition).toBeDefined();
    if (condition === undefined) return;
    expect(condition).toHaveProperty(['operands', 0], cmp('a', '=', "it's \\' OR 1=1 --"));
    expect(renderIndexWhereSql(condition, quote)).toBe(
      `"a" = 'it''s \\'' OR 1=1 --' AND "b" >= -1.5 AND NOT ("c" = TRUE OR "d" IS NOT NULL)`,
    );
    expect(renderIndexWhereSql(condition, quote, { backslashEscapes: true })).toBe(
      `"a" = 'it''s \\\\'' OR 1=1 --' AND "b" >= -1.5 AND NOT ("c" = TRUE OR "d" IS NOT NULL)`,
    );
  });

  it('keeps explicit nesting of a hand-built AST', () => {
    const ast: IndexWhere = {
      kind: 'and',
      operands: [
        { kind: 'or', operands: [cmp('a', '=', 1), cmp('b', '=', null)] },
        cmp('c', '<', 'z'),
      ],
    };
    expect(renderIndexWhereSql(ast, quote)).toBe(`("a" = 1 OR "b" = NULL) AND "c" < 'z'`);
  });

  it('never passes an invalid column name to quoteIdent', () => {
    const seen: string[] = [];
    const spy = (name: string): string => {
      seen.push(name);
      return name;
    };
    expect(() => renderIndexWhereSql(cmp('a"; DROP', '=', 1), spy)).toThrow(IndexDefinitionError);
    expect(seen).toEqual([]);
  });

  it('rejects an operator outside the grammar', () => {
    const ast = untrusted('{"kind":"compare","column":"a","op":"= 1 OR 1 =","value":1}');
    expect(() => renderIndexWhereSql(ast, quote)).toThrow(IndexDefinitionError);
  });

  it('rejects an unknown node kind', () => {
    const ast = untrusted('{"kind":"raw","sql":"1=1"}');
    expect(() => renderIndexWhereSql(ast, quote)).toThrow(IndexDefinitionError);
  });
});

describe('renameIndexTable / renameIndexColumn', () => {
  const original = parseIndexDefinition(
    "CREATE UNIQUE INDEX idx ON posts (Title COLLATE NOCASE, views DESC) WHERE title != '' AND NOT (TITLE IS NULL OR views < 0)",
  );
  const snapshot = structuredClone(original);

  it('renames the table and keeps the index name', () => {
    expect(renameIndexTable(original, 'articles')).toStrictEqual({
      ...snapshot,
      table: 'articles',
    });
    expect(original).toStrictEqual(snapshot);
  });

  it('renames a column everywhere, case-insensitively', () => {
    const renamed = renameIndexColumn(original, 'title', 'heading');
    expect(formatIndexDefinition(renamed)).toBe(
      "CREATE UNIQUE INDEX `idx` ON `posts` (`heading` COLLATE NOCASE, `views` DESC) WHERE `heading` != '' AND NOT (`heading` IS NULL OR `views` < 0)",
    );
    expect(original).toStrictEqual(snapshot);
    expect(renamed.columns[0]).not.toBe(original.columns[0]);
  });

  it('leaves other columns alone', () => {
    expect(renameIndexColumn(original, 'missing', 'other')).toStrictEqual(snapshot);
  });

  it('rejects invalid or clashing names', () => {
    expect(() => renameIndexTable(original, 'bad name')).toThrow(IndexDefinitionError);
    expect(() => renameIndexColumn(original, 'title', '1x')).toThrow(IndexDefinitionError);
    expect(() => renameIndexColumn(original, 'title', 'VIEWS')).toThrow(/Duplicate/);
  });
});

// ---- property tests

const identifier = (max: number): fc.Arbitrary<string> =>
  fc.stringMatching(new RegExp(`^[A-Za-z_][A-Za-z0-9_]{0,${max - 1}}$`));

const literal: fc.Arbitrary<IndexLiteral> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }).filter((s) => !s.includes('\u0000')),
  fc.constantFrom("'", "''", "a'b", '\\', '--', ';'),
  fc.maxSafeInteger(),
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .filter((n) => !Object.is(n, -0) && Number.isFinite(n) && !String(n).includes('e'))
    .filter((n) => !Number.isInteger(n) || Number.isSafeInteger(n)),
  fc.boolean(),
  fc.constant(null),
);

/** Builds AND/OR nodes in canonical (flattened) form, as the parser returns them. */
const join = (kind: 'and' | 'or', operands: IndexWhere[]): IndexWhere => ({
  kind,
  operands: operands.flatMap((o) => (o.kind === kind ? o.operands : [o])),
});

const whereArb: fc.Arbitrary<IndexWhere> = fc.letrec<{ node: IndexWhere }>((tie) => ({
  node: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'where' },
    fc.record(
      {
        kind: fc.constant('compare' as const),
        column: identifier(12),
        op: fc.constantFrom<IndexCompareOp>('=', '!=', '<', '<=', '>', '>='),
        value: literal,
      },
      { noNullPrototype: true },
    ),
    fc.record(
      { kind: fc.constant('isNull' as const), column: identifier(12), negated: fc.boolean() },
      { noNullPrototype: true },
    ),
    tie('node').map((operand): IndexWhere => ({ kind: 'not', operand })),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((ops) => join('and', ops)),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((ops) => join('or', ops)),
  ),
})).node;

const columnArb: fc.Arbitrary<IndexColumn> = fc.record(
  {
    name: identifier(63),
    collate: fc.constant('nocase' as const),
    direction: fc.constant('desc' as const),
  },
  { requiredKeys: ['name'], noNullPrototype: true },
);

const definitionArb: fc.Arbitrary<IndexDefinition> = fc.record(
  {
    name: identifier(63),
    table: identifier(63),
    unique: fc.boolean(),
    columns: fc.uniqueArray(columnArb, {
      minLength: 1,
      maxLength: 8,
      selector: (c) => c.name.toLowerCase(),
    }),
    where: whereArb,
  },
  { requiredKeys: ['name', 'table', 'unique', 'columns'], noNullPrototype: true },
);

describe('properties', () => {
  it('parse(format(def)) deep-equals def, and formatting is stable', () => {
    fc.assert(
      fc.property(definitionArb, (definition) => {
        const sql = formatIndexDefinition(definition);
        const parsed = parseIndexDefinition(sql);
        expect(parsed).toStrictEqual(definition);
        expect(formatIndexDefinition(parsed)).toBe(sql);
      }),
      { numRuns: 500 },
    );
  });

  it('the parser only ever throws IndexDefinitionError', () => {
    const pieces = fc.constantFrom(
      'CREATE',
      'UNIQUE',
      'INDEX',
      'IF',
      'NOT',
      'EXISTS',
      'ON',
      'WHERE',
      'AND',
      'OR',
      'IS',
      'NULL',
      'COLLATE',
      'NOCASE',
      'DESC',
      '(',
      ')',
      ',',
      ';',
      '=',
      '<>',
      '!=',
      "'x'",
      "'",
      '`a`',
      '"b"',
      '[c]',
      'd',
      '1',
      '-2.5',
      '--',
      '/*',
      'SELECT',
      'lower(',
      '.',
      '*',
      '\u0000',
    );
    const input = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.array(pieces, { maxLength: 25 }).map((parts) => parts.join(' ')),
      fc
        .array(pieces, { maxLength: 25 })
        .map((parts) => `CREATE INDEX i ON t (x) ${parts.join('')}`),
    );
    fc.assert(
      fc.property(input, (sql) => {
        try {
          const parsed = parseIndexDefinition(sql);
          expect(parseIndexDefinition(formatIndexDefinition(parsed))).toStrictEqual(parsed);
        } catch (error) {
          expect(error).toBeInstanceOf(IndexDefinitionError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
