import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import { jsLiteral } from '../../lib/text/js-literal.js';
import { blankMigration, snakeCase } from './migration-template.js';

describe('migration templates', () => {
  it('the blank template is formatted as Prettier would', async () => {
    const options = {
      ...(await resolveConfig(join(import.meta.dirname, 'x.ts'))),
      parser: 'typescript',
    };
    expect(await format(blankMigration(), options)).toBe(blankMigration());
  });

  it('names become snake_case', () => {
    expect(snakeCase('AddPosts index')).toBe('add_posts_index');
    expect(snakeCase('  add-posts  ')).toBe('add_posts');
    expect(snakeCase('!!!')).toBe('');
  });

  it('literals quote as Prettier does', () => {
    expect(jsLiteral("it's")).toBe('"it\'s"');
    expect(jsLiteral('a "b"')).toBe('\'a "b"\'');
    expect(jsLiteral({ 'a-b': 1, c: [1, 'x'], d: {}, e: [] })).toBe(
      "{\n  'a-b': 1,\n  c: [1, 'x'],\n  d: {},\n  e: [],\n}",
    );
  });
});
