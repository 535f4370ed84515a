import { statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTH_SYSTEM_COLLECTIONS, insertAuthRow } from '../../src/core/auth/auth-system-records.js';
import { SUPERUSERS } from '../../src/core/collection/collection-model.js';
import type { App } from '../../src/core/app.js';
import { DEFAULT_JOBS_RETENTION_DAYS } from '../../src/core/jobs/job-cleanup.js';
import { formatDateTime } from '../../src/lib/datetime.js';
import { FakeClock } from '../../src/testing/fake-clock.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { testEngine } from '../helpers/test-engine.js';

// Basalt's own cron jobs with PocketBase's ids: expired OTPs and MFA sessions are deleted
// (fresh ones kept) in every auth collection, and SQLite's WAL is checkpointed.

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

type Key = 'otps' | 'mfas';

const DAY_MS = 86_400_000;

/** Inserts a row for `collectionId` created `ageSeconds` ago; returns its id. */
async function rowAged(app: App, key: Key, collectionId: string, ageSeconds: number) {
  const values: Record<string, string> =
    key === 'otps' ? { password: 'x', sentTo: '' } : { method: 'password' };
  const ref = {
    collectionRef: collectionId,
    recordRef: `rec${String(ageSeconds)}aaaaaaaa`.slice(0, 15),
  };
  const row = await app.transaction((scope) => insertAuthRow(app, scope, key, ref, values));
  const created = formatDateTime(new Date(Date.now() - ageSeconds * 1000));
  const id = String(row.id);
  await sql`update ${sql.table(AUTH_SYSTEM_COLLECTIONS[key].name)} set ${sql.ref('created')} = ${created} where ${sql.ref('id')} = ${id}`.execute(
    app.db.db,
  );
  return id;
}

async function idsOf(app: App, key: Key): Promise<string[]> {
  const rows = await app.db.db
    .selectFrom(AUTH_SYSTEM_COLLECTIONS[key].name)
    .select(sql<string>`${sql.ref('id')}`.as('id'))
    .execute();
  return rows.map((r) => r.id).sort();
}

describe('system cron jobs', () => {
  it('__pbOTPCleanup__ deletes expired OTPs of every auth collection and keeps fresh ones', async () => {
    t = await createTestApp();
    const { app } = t;
    // users: otp.duration 180 s by default; _superusers too.
    const users = app.collections.findAuth('users');
    expect(users?.otp.duration).toBe(180);
    const expired = await rowAged(app, 'otps', users?.id ?? '', 600);
    const fresh = await rowAged(app, 'otps', users?.id ?? '', 10);
    const superExpired = await rowAged(app, 'otps', SUPERUSERS.id, 181);
    const superFresh = await rowAged(app, 'otps', SUPERUSERS.id, 60);
    const mfa = await rowAged(app, 'mfas', users?.id ?? '', 100_000);
    expect(await idsOf(app, 'otps')).toEqual([expired, fresh, superExpired, superFresh].sort());
    await app.cron.run('__pbOTPCleanup__');
    expect(await idsOf(app, 'otps')).toEqual([fresh, superFresh].sort());
    // MFA sessions are another job's.
    expect(await idsOf(app, 'mfas')).toEqual([mfa]);
  });

  it('__pbMFACleanup__ deletes expired MFA sessions and keeps fresh ones', async () => {
    t = await createTestApp();
    const { app } = t;
    const users = app.collections.findAuth('users');
    expect(users?.mfa.duration).toBe(600);
    const expired = await rowAged(app, 'mfas', users?.id ?? '', 601);
    const fresh = await rowAged(app, 'mfas', users?.id ?? '', 30);
    const otp = await rowAged(app, 'otps', users?.id ?? '', 100_000);
    expect(await idsOf(app, 'mfas')).toEqual([expired, fresh].sort());
    await app.cron.run('__pbMFACleanup__');
    expect(await idsOf(app, 'mfas')).toEqual([fresh]);
    expect(await idsOf(app, 'otps')).toEqual([otp]);
    expect(await app.cron.state('__pbMFACleanup__')).toMatchObject({ lastStatus: 'ok' });
  });

  it('__basaltJobsCleanup__ deletes done jobs past their retention, keeping failed ones', async () => {
    const clock = new FakeClock(Date.parse('2030-01-01T00:00:00Z'));
    t = await createTestApp({ clock });
    const { app } = t;
    app.jobs.add('ok', () => undefined);
    app.jobs.add(
      'bad',
      () => {
        throw new Error('no');
      },
      { retries: 0 },
    );
    const done = await app.enqueue('ok', {}, { key: 'k-done' });
    const failed = await app.enqueue('bad', {});
    expect(await app.jobs.drain()).toMatchObject({ done: 1, failed: 1 });
    clock.advance((DEFAULT_JOBS_RETENTION_DAYS - 1) * DAY_MS);
    const recent = await app.enqueue('ok', {});
    await app.jobs.drain();
    clock.advance(2 * DAY_MS);
    await app.cron.run('__basaltJobsCleanup__');
    const left = await app.db.db.selectFrom('_jobs').select('id').execute();
    expect(left.map((r) => r.id).sort()).toEqual([failed, recent].sort());
    // The key is free again: a new job is stored under it.
    expect(await app.enqueue('ok', {}, { key: 'k-done' })).not.toBe(done);
  });

  it('__basaltIdempotencyCleanup__ runs and records its outcome', async () => {
    t = await createTestApp();
    await t.app.cron.run('__basaltIdempotencyCleanup__');
    expect(await t.app.cron.state('__basaltIdempotencyCleanup__')).toMatchObject({
      lastStatus: 'ok',
    });
  });

  it.skipIf(testEngine() !== 'sqlite')(
    '__pbDBOptimize__ checkpoints the WAL into the database file and truncates it',
    async () => {
      t = await createTestApp();
      const { app } = t;
      const users = app.collections.findAuth('users');
      for (let i = 0; i < 20; i++) await rowAged(app, 'otps', users?.id ?? '', i);
      const wal = join(app.config.dataDir, 'data.db-wal');
      const before = statSync(wal).size;
      expect(before).toBeGreaterThan(0);
      await app.cron.run('__pbDBOptimize__');
      // Truncated, then only the run's record in `_cronTicks` written again (a WAL that is
      // not checkpointed only grows).
      expect(statSync(wal).size).toBeLessThan(before);
      expect(await app.cron.state('__pbDBOptimize__')).toMatchObject({ lastStatus: 'ok' });
    },
  );

  it.skipIf(testEngine() === 'sqlite')(
    'has no __pbDBOptimize__ job on a database server',
    async () => {
      t = await createTestApp();
      expect(t.app.cron.has('__pbDBOptimize__')).toBe(false);
    },
  );
});
