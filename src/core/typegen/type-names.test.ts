import { describe, expect, it } from 'vitest';
import { allocateTypeNames, pascalName, propertyKey, quoted } from './type-names.js';

describe('typegen names', () => {
  it('makes PascalCase type names of collection names', () => {
    expect(pascalName('posts')).toBe('Posts');
    expect(pascalName('order_items')).toBe('OrderItems');
    expect(pascalName('orderItems')).toBe('OrderItems');
    expect(pascalName('_superusers')).toBe('Superusers');
    expect(pascalName('a__b--c')).toBe('ABC');
    expect(pascalName('2fa_codes')).toBe('C2faCodes');
    expect(pascalName('___')).toBe('Collection');
    expect(pascalName('città')).toBe('Citt');
  });

  it('disambiguates collisions between collections and with the helper names', () => {
    const names = allocateTypeNames(
      ['order_items', 'orderItems', 'OrderItems', 'json', 'typed'],
      ['Record', 'Response'],
      new Set(['JsonRecord', 'TypedResponse']),
    );
    expect([...names]).toEqual([
      ['order_items', 'OrderItems'],
      ['orderItems', 'OrderItems2'],
      ['OrderItems', 'OrderItems3'],
      ['json', 'Json2'],
      ['typed', 'Typed2'],
    ]);
  });

  it('quotes property names that are not identifiers', () => {
    expect(propertyKey('title')).toBe('title');
    expect(propertyKey('_x$1')).toBe('_x$1');
    expect(propertyKey('views+')).toBe("'views+'");
    expect(propertyKey('+tags')).toBe("'+tags'");
    expect(propertyKey('sku:autogenerate')).toBe("'sku:autogenerate'");
    expect(propertyKey('2nd')).toBe("'2nd'");
    expect(quoted(`it's "x"\n\\`)).toBe(`'it\\'s "x"\\n\\\\'`);
  });
});
