import fc from 'fast-check';
import { OPERATORS } from '../../src/lib/filter/index.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/core/errors.js';
import { compileCondition } from '../../src/core/rules/rule-compile.js';
import { compileSort } from '../../src/core/rules/rule-sort.js';
import type { CompileContext } from '../../src/core/rules/rule-types.js';
import { snapshotDb } from '../helpers/db-snapshot.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { testEngine } from '../helpers/test-engine.js';
import {
  authAs,
  contextFor,
  createRulesSchema,
  request,
  seedRulesData,
  type ContextOptions,
} from './rules-fixture.js';

let t: TestApp;
let contexts: CompileContext[];
let before: string;

const TABLES = ['posts', 'members', 'teams', 'comments', 'likes', 'notes', 'regs'];
const MARK = 'ZQMARK';

/** Every row of every table of the suite, plus the schema, as one string. */
async function snapshot(): Promise<string> {
  const parts: unknown[] = [];
  for (const table of TABLES) {
    parts.push(await t.app.db.db.selectFrom(table).selectAll().orderBy('id').execute());
  }
  parts.push(await snapshotDb(t.app));
  return JSON.stringify(parts);
}

beforeAll(async () => {
  t = await createTestApp();
  await createRulesSchema(t.app);
  await seedRulesData(t.app);
  const auth = await authAs(t.app, 'members', 'm1');
  const full = request({
    auth,
    method: 'POST',
    body: { title: `${MARK}'; drop table posts; --`, tags: ['a', `${MARK}"`] },
    query: { q: `${MARK}/*` },
    headers: { x: `${MARK}*/` },
  });
  const variants: ContextOptions[] = [
    { origin: 'rule', request: full },
    { origin: 'clientFilter' },
    { origin: 'clientFilter', superuser: true, request: full },
  ];
  contexts = variants.map((v) => contextFor(t.app, 'posts', v));
  before = await snapshot();
});
afterAll(async () => {
  await t.close();
});

/**
 * PostgreSQL's refusals of a comparison between values of different types (SQLSTATE invalid
 * text representation, undefined operator, datatype mismatch, numeric out of range) and of
 * text with a NUL character (invalid byte sequence), which the API answers with 400 where
 * SQLite runs the query (docs/compatibility.md).
 */
const POSTGRES_TYPE_ERRORS = new Set(['22P02', '42883', '42804', '22003', '22021']);

function isTypeRefusal(error: unknown): boolean {
  if (testEngine() !== 'postgres' || typeof error !== 'object' || error === null) return false;
  return 'code' in error && typeof error.code === 'string' && POSTGRES_TYPE_ERRORS.has(error.code);
}

/** Compiles and runs `text`; anything but success or an ApiError 400 fails the property. */
async function compileAndRun(text: string, ctx: CompileContext): Promise<string | undefined> {
  let where;
  try {
    where = compileCondition(text, ctx, t.app.db.dialect);
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) return undefined;
    throw error;
  }
  const query = t.app.db.db.selectFrom('posts').select('id').where(where);
  const compiled = query.compile();
  try {
    await query.execute();
    await t.app.db.db
      .selectFrom('posts')
      .select(sql<number>`count(*)`.as('n'))
      .where(where)
      .execute();
  } catch (error) {
    if (!isTypeRefusal(error)) throw error;
  }
  return compiled.sql;
}

/** Quotes a payload as filter text (escaping the quote; a final backslash would escape it). */
function quoted(payload: string): string {
  const safe = payload.endsWith('\\') ? `${payload}x` : payload;
  return `"${safe.replaceAll('"', '\\"')}"`;
}

const ADVERSARIAL = [
  `'; DROP TABLE posts; --`,
  `" OR 1=1 --`,
  `/* comment */`,
  `*/ union select * from members /*`,
  `\u0000\u2028\uFFFF😀`,
  `%_\\%\\_`,
  `ü'"\`;`,
];

const payload = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(...ADVERSARIAL),
);

const textLiteral = payload.map((p) => quoted(MARK + p));
const numberLiteral = fc.oneof(
  fc.integer().map(String),
  fc
    .double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 })
    .map((n) => n.toFixed(3)),
  fc.constantFrom('9'.repeat(400), '-0', '0.000001'),
);
const identifier = fc.constantFrom(
  'id',
  'title',
  'views',
  'published',
  'tags',
  'tags:each',
  'tags:length',
  'status',
  'author',
  'author.name',
  'author.email',
  'author.note',
  'author.team.name',
  'author.id',
  'readers.name',
  'readers:each',
  'readers.email',
  'comments_via_post.text',
  'likes_via_post.weight',
  'notes_via_posts.text',
  'meta',
  'meta.a.b',
  'meta.arr.0',
  'geo.lat',
  'secret',
  'title:lower',
  'title:nope',
  'nope',
  '@request.auth.id',
  '@request.auth.team.name',
  '@request.body.title',
  '@request.body.title:changed',
  '@request.body.tags:each',
  '@request.body.tags:length',
  '@request.query.q',
  '@request.headers.x',
  '@request.method',
  '@collection.regs.user',
  '@collection.regs:x.course',
  '@collection.regs.course.title',
  '@now',
  '@year',
  'null',
  'true',
  'false',
  'strftime("%Y", publishedAt)',
  'geoDistance(geo.lon, geo.lat, 1, 2)',
  'nofn(1)',
);
const operand = fc.oneof(identifier, identifier, textLiteral, numberLiteral);
const operator = fc.constantFrom(...OPERATORS);
const comparison = fc.tuple(operand, operator, operand).map(([l, op, r]) => `${l} ${op} ${r}`);
const { filter } = fc.letrec<{ filter: string; group: string }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    fc.tuple(tie('filter'), fc.constantFrom('&&', '||'), tie('filter')).map((p) => p.join(' ')),
    tie('group'),
  ),
  group: tie('filter').map((f) => `(${f})`),
}));

describe('the compiler on random and adversarial input', () => {
  it('only ever fails with 400 on arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(payload, fc.string({ unit: 'binary', maxLength: 80 })),
        async (text) => {
          for (const ctx of contexts) await compileAndRun(text, ctx);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('binds every value: generated filters never put literal text into SQL, and run', async () => {
    await fc.assert(
      fc.asyncProperty(filter, async (text) => {
        for (const ctx of contexts) {
          const compiled = await compileAndRun(text, ctx);
          if (compiled === undefined) continue;
          expect(compiled).not.toContain(MARK);
          expect(compiled).not.toContain(';');
          expect(compiled).not.toContain('--');
        }
      }),
      { numRuns: 400 },
    );
  });

  it('refuses deep nesting and huge input with 400', async () => {
    const deep = `${'('.repeat(500)}title = 1${')'.repeat(500)}`;
    const many = Array.from({ length: 300 }, (_, i) => `views > ${i}`).join(' || ');
    for (const text of [deep, many, `title = ${'9'.repeat(400)}`, 'a(b(c(d(1)))) = 1']) {
      for (const ctx of contexts) expect(await compileAndRun(text, ctx)).toBeUndefined();
    }
    const nested = `${'('.repeat(100)}title = "x"${')'.repeat(100)}`;
    expect(await compileAndRun(nested, contexts[0] ?? contextFor(t.app, 'posts'))).toBeDefined();
  });

  it('sorts only fail with 400 and bind nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('', '-', '+'), fc.oneof(identifier, payload)), {
          maxLength: 4,
        }),
        async (items) => {
          const text = items.map(([sign, field]) => sign + field).join(',');
          for (const ctx of contexts) {
            let terms;
            try {
              terms = compileSort(text, ctx, t.app.db.dialect);
            } catch (error) {
              if (error instanceof ApiError && error.status === 400) continue;
              throw error;
            }
            let query = t.app.db.db.selectFrom('posts').select('id');
            for (const term of terms) query = query.orderBy(term.expression, term.modifiers);
            expect(query.compile().sql).not.toContain(MARK);
            await query.execute();
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never changed the data', async () => {
    expect(await snapshot()).toBe(before);
  });
});
