import { describe, expect, it } from 'vitest';
import { formatFilter } from './filter-format.js';
import { parseFilterUncached as parse } from './filter-parse.js';
import { FilterSyntaxError } from './filter-error.js';

// `{:name}` placeholders: values bound by code, never part of the filter text.
describe('{:name} placeholders', () => {
  it('parse as param operands on either side and in function arguments', () => {
    const ast = parse('id = {:id} && {:n} < stock || geoDistance(a, b, {:lon}, 2) > 1');
    const [first, second, third] = ast.items.map((item) => item.node);
    expect(first).toMatchObject({
      left: { kind: 'identifier', name: 'id' },
      right: { kind: 'param', name: 'id', pos: 5 },
    });
    expect(second).toMatchObject({ left: { kind: 'param', name: 'n' } });
    expect(third).toMatchObject({
      left: { kind: 'function', args: [{}, {}, { kind: 'param', name: 'lon' }, {}] },
    });
  });

  it('stay text inside quotes', () => {
    expect(parse("title = '{:x}'").items[0]?.node).toMatchObject({
      right: { kind: 'text', value: '{:x}' },
    });
  });

  it('are printed back as written', () => {
    expect(formatFilter(parse('a={:a_1}&&b!={:B}'))).toBe('a = {:a_1} && b != {:B}');
  });

  it.each(['a = {:}', 'a = {:a', 'a = {:a-b}', "a = {:a'}", 'a = {:a b}', 'a = {x}'])(
    'refuse a malformed placeholder: %s',
    (filter) => {
      expect(() => parse(filter)).toThrow(FilterSyntaxError);
    },
  );
});
