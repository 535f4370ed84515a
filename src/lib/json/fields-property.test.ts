import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyFieldsProjection, applyToListResult } from './fields-apply.js';
import { FieldsParamError } from './fields-error.js';
import { parseFieldsParam } from './fields-parse.js';
import { toExcerpt } from './html-excerpt.js';

const KEYS = ['a', 'b', 'id', 'expand', 'items', '__proto__'];

/** One `fields` path over KEYS, `*` only last, with an optional excerpt modifier. */
const pathArb = fc
  .tuple(
    fc.array(fc.constantFrom(...KEYS), { minLength: 0, maxLength: 5 }),
    fc.constantFrom(...KEYS, '*'),
    fc.option(fc.tuple(fc.integer({ min: 1, max: 20 }), fc.option(fc.boolean())), { nil: null }),
  )
  .map(([head, last, modifier]) => {
    const path = [...head, last].join('.');
    if (modifier === null) return path;
    const [max, ellipsis] = modifier;
    return `${path}:excerpt(${max}${ellipsis === null ? '' : `,${String(ellipsis)}`})`;
  });

const fieldsArb = fc.array(pathArb, { minLength: 0, maxLength: 8 }).map((paths) => paths.join(','));

/** JSON values whose keys often match the generated paths. */
const { value: valueArb } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 6 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.string(),
  ),
}));

/** True when every object in `out` has only keys that the matching object in `input` has. */
function addsNoKeys(out: unknown, input: unknown): boolean {
  if (Array.isArray(out)) {
    return (
      Array.isArray(input) &&
      out.length === input.length &&
      out.every((item: unknown, i) => addsNoKeys(item, input[i]))
    );
  }
  if (typeof out === 'object' && out !== null) {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return false;
    return Object.entries(out).every(
      ([key, value]) => Object.hasOwn(input, key) && addsNoKeys(value, Reflect.get(input, key)),
    );
  }
  // Only a string may change (by an excerpt); every other primitive passes through.
  return typeof out === 'string' || Object.is(out, input);
}

describe('fields projection properties', () => {
  it('never throws, never adds keys and never modifies the input', () => {
    fc.assert(
      fc.property(fc.oneof(valueArb, fc.jsonValue()), fieldsArb, (value, fields) => {
        const before = structuredClone(value);
        const out = applyFieldsProjection(value, parseFieldsParam(fields));
        expect(addsNoKeys(out, value)).toBe(true);
        expect(value).toEqual(before);
      }),
      { numRuns: 500 },
    );
  });

  it('projects list items the same way as single values', () => {
    fc.assert(
      fc.property(fc.array(valueArb, { maxLength: 5 }), fieldsArb, (items, fields) => {
        const projection = parseFieldsParam(fields);
        const out = applyToListResult({ page: 1, perPage: 30, items }, projection);
        expect(out.page).toBe(1);
        expect(out.perPage).toBe(30);
        expect(out.items).toEqual(applyFieldsProjection(items, projection));
      }),
      { numRuns: 200 },
    );
  });

  it('parses any text or throws FieldsParamError, nothing else', () => {
    const textArb = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.stringMatching(/^[a-c.*,:()0-9 excerpt]{0,40}$/),
    );
    fc.assert(
      fc.property(textArb, (text) => {
        try {
          parseFieldsParam(text);
        } catch (error) {
          expect(error).toBeInstanceOf(FieldsParamError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('toExcerpt properties', () => {
  const htmlArb = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 100 }),
    fc
      .array(
        fc.constantFrom(
          '<p>',
          '</p>',
          '<b>',
          '</b>',
          '<script>',
          '</script>',
          '<!--',
          '-->',
          '<',
          '>',
          '&amp;',
          '&#',
          ';',
          ' ',
          '\n',
          'x',
          'é',
          '😀',
          '"',
          '=',
          '<img',
          '<svg/>',
          '</',
          '&nbsp;',
        ),
        { maxLength: 40 },
      )
      .map((parts) => parts.join('')),
  );

  it('is trimmed, collapsed and at most maxChars code points plus the ellipsis', () => {
    fc.assert(
      fc.property(htmlArb, fc.integer({ min: 1, max: 50 }), fc.boolean(), (html, max, ellipsis) => {
        const out = toExcerpt(html, max, ellipsis);
        expect(out).toBe(out.trim());
        expect(out).not.toMatch(/\s\s/);
        expect(Array.from(out).length).toBeLessThanOrEqual(max + (ellipsis ? 3 : 0));
      }),
      { numRuns: 1000 },
    );
  });

  it('equals collapse + trim + cut on text without markup or entities', () => {
    const plainArb = fc
      .string({ maxLength: 80 })
      .filter((s) => !s.includes('<') && !s.includes('&'));
    fc.assert(
      fc.property(plainArb, fc.integer({ min: 1, max: 40 }), (text, max) => {
        const collapsed = text.replace(/\s+/g, ' ').trim();
        const chars = Array.from(collapsed);
        const expected =
          chars.length > max ? `${chars.slice(0, max).join('').trimEnd()}...` : collapsed;
        expect(toExcerpt(text, max, true)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
});
