import { describe, expect, it } from 'vitest';
import { HookEvent, TaggedHook } from './index.js';

class CollectionEvent extends HookEvent {
  readonly log: string[] = [];
  constructor(readonly collection: { id: string; name: string }) {
    super();
  }
  tags(): readonly string[] {
    return [this.collection.id, this.collection.name];
  }
}

const orders = { id: 'pbc_orders', name: 'orders' };
const products = { id: 'pbc_products', name: 'products' };

function logger(name: string) {
  return async (e: CollectionEvent): Promise<void> => {
    e.log.push(name);
    await e.next();
  };
}

describe('TaggedHook', () => {
  it('runs a tagged handler only for events with one of its tags, untagged ones always', async () => {
    const hook = new TaggedHook<CollectionEvent>('onRecordCreate');
    hook.on('orders', logger('by-name'));
    hook.on(['nope', 'pbc_orders'], logger('by-id'));
    hook.on(logger('all'));
    hook.on(undefined, logger('undefined-tags'));
    hook.on([], logger('empty-tags'));
    hook.bind({ tags: 'products', priority: -1, fn: logger('products-first') });

    const o = new CollectionEvent(orders);
    let finalized = 0;
    await hook.trigger(o, () => {
      finalized++;
    });
    expect(o.log).toEqual(['by-name', 'by-id', 'all', 'undefined-tags', 'empty-tags']);

    const p = new CollectionEvent(products);
    await hook.trigger(p, () => {
      finalized++;
    });
    expect(p.log).toEqual(['products-first', 'all', 'undefined-tags', 'empty-tags']);
    expect(finalized).toBe(2);
  });

  it('skipped handlers do not count as not calling e.next(); matching ones do', async () => {
    const hook = new TaggedHook<CollectionEvent>();
    hook.bind({ id: 'stops', tags: 'orders', fn: () => undefined });
    await expect(hook.trigger(new CollectionEvent(products))).resolves.toBeUndefined();
    await expect(hook.trigger(new CollectionEvent(orders))).rejects.toMatchObject({
      name: 'HookNextNotCalledError',
      handlerId: 'stops',
    });
  });

  it('returns ids that unbind tagged handlers and replaces by id', async () => {
    const hook = new TaggedHook<CollectionEvent>();
    const id = hook.on('orders', logger('a'));
    hook.bind({ id, tags: 'orders', fn: logger('a2') });
    expect(hook.length).toBe(1);
    const e = new CollectionEvent(orders);
    await hook.trigger(e);
    expect(e.log).toEqual(['a2']);
    hook.unbind(id);
    expect(hook.length).toBe(0);
  });
});
