import { describe, expect, it } from 'vitest';
import type { Collection } from './collection-model.js';
import { CollectionRegistry } from './collection-registry.js';

function base(id: string, name: string): Collection {
  return {
    type: 'base',
    id,
    name,
    system: false,
    fields: [],
    indexes: [],
    listRule: null,
    viewRule: null,
    createRule: null,
    updateRule: null,
    deleteRule: null,
    created: '',
    updated: '',
  };
}

describe('CollectionRegistry.find', () => {
  const posts = base('pbc_1', 'Posts');
  const tricky = base('posts', 'tricky');
  const registry = new CollectionRegistry();
  registry.replace([posts, tricky]);

  it('finds by id and by name in any case', () => {
    expect(registry.find('pbc_1')).toBe(posts);
    expect(registry.find('Posts')).toBe(posts);
    expect(registry.find('TRICKY')).toBe(tricky);
    expect(registry.find('tricky')).toBe(tricky);
  });

  it('prefers an id over an equal name, and ids match exactly', () => {
    expect(registry.find('posts')).toBe(tricky);
    expect(registry.find('POSTS')).toBe(posts);
    expect(registry.find('PBC_1')).toBeUndefined();
    expect(registry.find('nope')).toBeUndefined();
  });

  it('forgets collections that a reload drops', () => {
    const other = new CollectionRegistry();
    other.replace([posts]);
    other.replace([tricky]);
    expect(other.find('Posts')).toBeUndefined();
    expect(other.find('pbc_1')).toBeUndefined();
    expect(other.find('posts')).toBe(tricky);
  });
});
