import { SqliteDatabase } from './sqlite-native.js';
import { Kysely, SqliteDialect, sql, type Expression } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteDialect as d } from './sql-dialect.js';

const db = new Kysely<Record<string, never>>({
  dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }),
});
afterAll(async () => {
  await db.destroy();
});

/** Evaluates one expression on SQLite. */
async function value(expression: Expression<unknown>): Promise<unknown> {
  const result = await sql<{ v: unknown }>`select ${expression} as v`.execute(db);
  return result.rows[0]?.v;
}

const v = (x: unknown) => sql.val(x);

describe('the SQLite SQL dialect', () => {
  it('binds booleans as 1/0', async () => {
    expect(await value(d.bool(true))).toBe(1);
    expect(await value(d.bool(false))).toBe(0);
  });

  it('LIKE is ASCII case-insensitive with \\ as escape', async () => {
    expect(await value(d.like(v('Hello'), v('%ELL%'), false))).toBe(1);
    expect(await value(d.like(v('a_b'), v('a\\_b'), false))).toBe(1);
    expect(await value(d.like(v('axb'), v('a\\_b'), false))).toBe(0);
    expect(await value(d.like(v('axb'), v('a\\_b'), true))).toBe(1);
  });

  it('concatenates, folds NULL, compares null-safely, lower-cases', async () => {
    expect(await value(d.concat([v('a'), v('1'), v('b')]))).toBe('a1b');
    expect(await value(d.emptyIfNull(sql`null`))).toBe('');
    expect(await value(d.isDistinct(sql`null`, sql`null`, false))).toBe(1);
    expect(await value(d.isDistinct(sql`null`, v('a'), true))).toBe(1);
    expect(await value(d.lower(v('ÀBC')))).toBe('Àbc');
  });

  it('extracts JSON values by path, NULL for invalid JSON', async () => {
    const doc = v(JSON.stringify({ a: { 'b c': [1, 'x'] }, t: true }));
    expect(await value(d.jsonExtract(doc, ['a', 'b c', '1']))).toBe('x');
    expect(await value(d.jsonExtract(doc, ['t']))).toBe(1);
    expect(await value(d.jsonExtract(doc, ['a']))).toBe('{"b c":[1,"x"]}');
    expect(await value(d.jsonExtract(doc, ['missing']))).toBeNull();
    expect(await value(d.jsonExtract(v('not json'), []))).toBeNull();
  });

  it('counts, iterates and searches JSON arrays', async () => {
    expect(await value(d.jsonArrayLength(v('["a","b"]')))).toBe(2);
    expect(await value(d.jsonArrayLength(sql`null`))).toBe(0);
    expect(await value(d.jsonArrayLength(v('oops')))).toBe(0);
    const rows = await sql<{
      value: string;
    }>`select ${sql.ref('e.value')} as value from ${d.jsonEach(v('["x","y"]'), 'e')}`.execute(db);
    expect(rows.rows.map((r) => r.value)).toEqual(['x', 'y']);
    expect(await value(d.jsonArrayContains(v('["x","y"]'), 'y'))).toBe(1);
    expect(await value(d.jsonArrayContains(v('["x","y"]'), v('z')))).toBe(0);
    expect(await value(d.jsonArrayOverlaps(v('["x","y"]'), ['q', 'x']))).toBe(1);
    expect(await value(d.jsonArrayOverlaps(v('["x","y"]'), []))).toBe(0);
  });

  it('formats dates like strftime, with "" for NULL', async () => {
    const { strftime } = d;
    if (!strftime) throw new Error('SQLite implements strftime()');
    const when = v('2024-03-01 10:00:00.000Z');
    expect(await value(strftime(v('%Y-%m'), when, []))).toBe('2024-03');
    expect(await value(strftime(v('%d'), when, [v('+1 month'), v('start of month')]))).toBe('01');
    expect(await value(strftime(v('%Y'), v(''), []))).toBe('');
    expect(String(await value(strftime(v('%Y'), undefined, [])))).toMatch(/^\d{4}$/);
  });

  it('computes Haversine distances in km', async () => {
    const berlinParis = await value(d.geoDistance(v(13.405), v(52.52), v(2.3522), v(48.8566)));
    expect(Number(berlinParis)).toBeCloseTo(877.5, 0);
    expect(await value(d.geoDistance(v(1), v(2), v(1), v(2)))).toBe(0);
    expect(await value(d.geoDistance(sql`null`, v(2), v(1), v(2)))).toBeNull();
  });

  it('has random() and the rowid of an alias', async () => {
    expect(typeof (await value(d.random()))).toBe('number');
    const compiled = sql`${d.rowid('posts')}`.compile(db);
    expect(compiled.sql).toBe('"posts"."_rowid_"');
  });
});
