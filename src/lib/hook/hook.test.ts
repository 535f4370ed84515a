import { describe, expect, it } from 'vitest';
import { Hook, HookEvent, HookNextCalledTwiceError, HookNextNotCalledError } from './index.js';

class TestEvent extends HookEvent {
  readonly log: string[] = [];
}

/** A handler that logs its name around `e.next()`. */
function around(name: string) {
  return async (e: TestEvent): Promise<void> => {
    e.log.push(`${name}:before`);
    await e.next();
    e.log.push(`${name}:after`);
  };
}

function finalizer(e: TestEvent): Promise<void> {
  e.log.push('final');
  return Promise.resolve();
}

describe('Hook', () => {
  it('runs handlers by ascending priority, ties in bind order, then the finalizer', async () => {
    const hook = new Hook<TestEvent>();
    hook.bind({ fn: around('b0'), priority: 0 });
    hook.bind({ fn: around('c5'), priority: 5 });
    hook.bind({ fn: around('a-1'), priority: -1 });
    hook.bindFn(around('d0'));
    const e = new TestEvent();
    await hook.trigger(e, finalizer);
    expect(e.log).toEqual([
      'a-1:before',
      'b0:before',
      'd0:before',
      'c5:before',
      'final',
      'c5:after',
      'd0:after',
      'b0:after',
      'a-1:after',
    ]);
  });

  it('returns ids, generates unique ones, replaces a handler bound under the same id in place', async () => {
    const hook = new Hook<TestEvent>();
    const a = hook.bindFn(around('a'));
    const b = hook.bind({ id: 'mine', fn: around('b') });
    const c = hook.bindFn(around('c'));
    expect(b).toBe('mine');
    expect(new Set([a, b, c]).size).toBe(3);
    expect(hook.bind({ id: 'mine', fn: around('B') })).toBe('mine');
    expect(hook.length).toBe(3);
    const e = new TestEvent();
    await hook.trigger(e);
    expect(e.log.filter((l) => l.endsWith(':before'))).toEqual([
      'a:before',
      'B:before',
      'c:before',
    ]);
  });

  it('unbinds by id and unbinds all', async () => {
    const hook = new Hook<TestEvent>();
    const a = hook.bindFn(around('a'));
    const b = hook.bindFn(around('b'));
    hook.bindFn(around('c'));
    hook.unbind(a, 'unknown', b);
    expect(hook.length).toBe(1);
    const e = new TestEvent();
    await hook.trigger(e, finalizer);
    expect(e.log).toEqual(['c:before', 'final', 'c:after']);
    hook.unbindAll();
    expect(hook.length).toBe(0);
  });

  it('with no handler just calls the finalizer (or resolves)', async () => {
    const hook = new Hook<TestEvent>();
    const e = new TestEvent();
    await hook.trigger(e, finalizer);
    await hook.trigger(e);
    expect(e.log).toEqual(['final']);
    await expect(
      hook.trigger(e, () => {
        throw new Error('sync finalizer error');
      }),
    ).rejects.toThrow('sync finalizer error');
  });

  it('shares the event down the chain: changes reach later handlers and the finalizer', async () => {
    class Counter extends HookEvent {
      value = 1;
    }
    const hook = new Hook<Counter>();
    hook.bindFn(async (e) => {
      e.value *= 10;
      await e.next();
    });
    hook.bindFn((e) => {
      e.value += 1;
      return e.next();
    });
    const e = new Counter();
    let seen = 0;
    await hook.trigger(e, (ev) => {
      seen = ev.value;
    });
    expect(seen).toBe(11);
  });

  it('runs async handlers in order and resolves after work done after e.next()', async () => {
    const hook = new Hook<TestEvent>();
    hook.bindFn(async (e) => {
      await new Promise((r) => setTimeout(r, 5));
      e.log.push('slow:before');
      await e.next();
      await new Promise((r) => setTimeout(r, 5));
      e.log.push('slow:after');
    });
    hook.bindFn(around('fast'));
    const e = new TestEvent();
    await hook.trigger(e, async (ev) => {
      await new Promise((r) => setTimeout(r, 5));
      ev.log.push('final');
    });
    expect(e.log).toEqual(['slow:before', 'fast:before', 'final', 'fast:after', 'slow:after']);
  });

  it('a handler not calling e.next() stops the chain and is named in the error', async () => {
    const hook = new Hook<TestEvent>('onRecordCreate');
    hook.bindFn(around('first'));
    hook.bind({
      id: 'forgetful',
      source: 'basalt_hooks/orders.ts:12',
      fn: (e) => void e.log.push('forgetful'),
    });
    hook.bindFn(around('never'));
    const e = new TestEvent();
    const error: unknown = await hook.trigger(e, finalizer).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HookNextNotCalledError);
    const notCalled = error as HookNextNotCalledError;
    expect(notCalled.handlerId).toBe('forgetful');
    expect(notCalled.source).toBe('basalt_hooks/orders.ts:12');
    expect(notCalled.hook).toBe('onRecordCreate');
    expect(notCalled.message).toContain(
      'onRecordCreate handler "forgetful" (basalt_hooks/orders.ts:12)',
    );
    expect(notCalled.message).toContain('e.next()');
    // The finalizer and the handler after it did not run; the first one saw the error.
    expect(e.log).toEqual(['first:before', 'forgetful']);
  });

  it('an async handler resolving without e.next() is reported too', async () => {
    const hook = new Hook<TestEvent>();
    const id = hook.bindFn(async () => {
      await Promise.resolve();
    });
    const e = new TestEvent();
    await expect(hook.trigger(e, finalizer)).rejects.toMatchObject({
      name: 'HookNextNotCalledError',
      handlerId: id,
      source: undefined,
    });
    expect(e.log).toEqual([]);
  });

  it('calling e.next() twice rejects with a clear error naming the handler', async () => {
    const hook = new Hook<TestEvent>();
    hook.bind({
      id: 'twice',
      source: 'hooks.ts:3',
      fn: async (e) => {
        await e.next();
        await e.next();
      },
    });
    hook.bindFn(around('inner'));
    const e = new TestEvent();
    const error: unknown = await hook.trigger(e, finalizer).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HookNextCalledTwiceError);
    expect((error as HookNextCalledTwiceError).handlerId).toBe('twice');
    expect((error as Error).message).toBe(
      'hook handler "twice" (hooks.ts:3) called e.next() more than once',
    );
    // The rest of the chain ran once.
    expect(e.log).toEqual(['inner:before', 'final', 'inner:after']);
  });

  it('a throw propagates unchanged and stops the chain; the caller may catch it', async () => {
    class Refused extends Error {}
    const thrown = new Refused('out of stock');
    const hook = new Hook<TestEvent>();
    hook.bindFn(async (e) => {
      try {
        await e.next();
      } catch (error) {
        e.log.push(`outer saw ${(error as Error).message}`);
        throw error;
      }
    });
    hook.bindFn(() => {
      throw thrown;
    });
    hook.bindFn(around('never'));
    const e = new TestEvent();
    const error: unknown = await hook.trigger(e, finalizer).catch((err: unknown) => err);
    expect(error).toBe(thrown);
    expect(e.log).toEqual(['outer saw out of stock']);
  });

  it('a handler may swallow the error of the rest of the chain', async () => {
    const hook = new Hook<TestEvent>();
    hook.bindFn(async (e) => {
      await e.next().catch(() => e.log.push('swallowed'));
    });
    const e = new TestEvent();
    await hook.trigger(e, () => Promise.reject(new Error('finalizer failed')));
    expect(e.log).toEqual(['swallowed']);
  });

  it('a finalizer rejection propagates through the handlers', async () => {
    const hook = new Hook<TestEvent>();
    hook.bindFn(around('a'));
    const e = new TestEvent();
    await expect(hook.trigger(e, () => Promise.reject(new Error('insert failed')))).rejects.toThrow(
      'insert failed',
    );
    expect(e.log).toEqual(['a:before']);
  });

  it('waits for the rest of the chain when a handler returns e.next() without awaiting it', async () => {
    const hook = new Hook<TestEvent>();
    hook.bindFn((e) => {
      void e.next();
    });
    hook.bindFn(around('slow'));
    const e = new TestEvent();
    await hook.trigger(e, async (ev) => {
      await new Promise((r) => setTimeout(r, 5));
      ev.log.push('final');
    });
    expect(e.log).toEqual(['slow:before', 'final', 'slow:after']);
    const failing = new Hook<TestEvent>();
    failing.bindFn((ev) => {
      void ev.next();
    });
    await expect(
      failing.trigger(new TestEvent(), () => Promise.reject(new Error('late'))),
    ).rejects.toThrow('late');
  });

  it('keeps the handlers a trigger started with when handlers change meanwhile', async () => {
    const hook = new Hook<TestEvent>();
    hook.bindFn(async (e) => {
      hook.unbindAll();
      hook.bindFn(around('added'));
      await e.next();
    });
    hook.bindFn(around('second'));
    const e = new TestEvent();
    await hook.trigger(e, finalizer);
    expect(e.log).toEqual(['second:before', 'final', 'second:after']);
    const next = new TestEvent();
    await hook.trigger(next, finalizer);
    expect(next.log).toEqual(['added:before', 'final', 'added:after']);
  });

  it('passes an event on to another hook from inside a handler', async () => {
    const outer = new Hook<TestEvent>();
    const inner = new Hook<TestEvent>();
    inner.bindFn(around('inner'));
    outer.bindFn(async (e) => {
      await inner.trigger(e, (ev) => void ev.log.push('inner-final'));
      await e.next();
    });
    const e = new TestEvent();
    await outer.trigger(e, finalizer);
    expect(e.log).toEqual(['inner:before', 'inner-final', 'inner:after', 'final']);
  });

  it('runs the same hook concurrently on different events', async () => {
    const hook = new Hook<TestEvent>();
    hook.bindFn(async (e) => {
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      await e.next();
    });
    hook.bindFn(around('b'));
    const events = Array.from({ length: 20 }, () => new TestEvent());
    await Promise.all(events.map((e) => hook.trigger(e, finalizer)));
    for (const e of events) expect(e.log).toEqual(['b:before', 'final', 'b:after']);
  });

  it('e.next() outside a chain resolves', async () => {
    await expect(new TestEvent().next()).resolves.toBeUndefined();
  });
});
