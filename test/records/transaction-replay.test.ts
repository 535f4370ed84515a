import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollection } from '../../src/core/collection/collection-service.js';
import type { RecordEvent } from '../../src/core/hooks/record-event.js';
import { ApiClient } from '../helpers/api-client.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

// `replayWriteAttempts` (basalt/testing's switch): every transaction's first attempt runs to
// its end, is rolled back and runs again, as a deadlock retry would. Hooks see attempts 1 and
// 2, the data and the after-commit work happen once.
let t: TestApp;
let su: ApiClient;

beforeAll(async () => {
  t = await createTestApp({ replayWriteAttempts: true });
  su = new ApiClient(t.server, await superuserToken(t));
  await createCollection(t.app, {
    name: 'notes',
    fields: [{ name: 'title', type: 'text' }],
    createRule: '',
    listRule: '',
    viewRule: '',
  });
  await createCollection(t.app, { name: 'audit', fields: [{ name: 'what', type: 'text' }] });
});

afterAll(async () => {
  await t.close();
});

describe('replayed write attempts', () => {
  it('run every hook twice and commit once', async () => {
    const attempts: number[] = [];
    let committed = 0;
    const id = t.app.hooks.onRecordCreate.on(['notes'], async (e: RecordEvent) => {
      attempts.push(e.attempt);
      await t.app.records('audit').create({ what: `created ${String(e.record.get('title'))}` });
      e.afterCommit(() => {
        committed += 1;
      });
      await e.next();
    });
    try {
      const res = await su.post('/api/collections/notes/records', { title: 'one' });
      expect(res.status, res.text).toBe(200);
      expect(attempts).toEqual([1, 2]);
      await expect.poll(() => committed).toBe(1);
      const notes = await su.get('/api/collections/notes/records');
      expect(notes.body.totalItems).toBe(1);
      const audit = await t.app.records('audit').list();
      expect(audit.items.map((r) => r.what)).toEqual(['created one']);
    } finally {
      t.app.hooks.onRecordCreate.unbind(id);
    }
  });

  it('show a hook that is not safe to re-run', async () => {
    // A counter outside the database counts both attempts: the mistake the switch reveals.
    let sideEffects = 0;
    const id = t.app.hooks.onRecordCreate.on(['notes'], async (e: RecordEvent) => {
      sideEffects += 1;
      await e.next();
    });
    try {
      const res = await su.post('/api/collections/notes/records', { title: 'two' });
      expect(res.status, res.text).toBe(200);
      expect(sideEffects).toBe(2);
    } finally {
      t.app.hooks.onRecordCreate.unbind(id);
    }
  });

  it('leave a write that fails on its second attempt rolled back', async () => {
    const id = t.app.hooks.onRecordCreate.on(['notes'], async (e: RecordEvent) => {
      if (e.attempt === 2) throw new Error('second attempt differs');
      await e.next();
    });
    try {
      const res = await su.post('/api/collections/notes/records', { title: 'three' });
      expect(res.status).toBe(400);
      const notes = await su.get('/api/collections/notes/records?filter=title="three"');
      expect(notes.body.totalItems).toBe(0);
    } finally {
      t.app.hooks.onRecordCreate.unbind(id);
    }
  });

  it('also replay a guest create that would otherwise be one plain write', async () => {
    const guest = new ApiClient(t.server);
    let seen = 0;
    const id = t.app.hooks.onRecordValidate.on(['notes'], async (e: RecordEvent) => {
      seen += 1;
      await e.next();
    });
    try {
      const res = await guest.post('/api/collections/notes/records', { title: 'four' });
      expect(res.status, res.text).toBe(200);
      expect(seen).toBe(2);
    } finally {
      t.app.hooks.onRecordValidate.unbind(id);
    }
  });
});
