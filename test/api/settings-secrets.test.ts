import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/core/app.js';
import { settingsToJson } from '../../src/core/settings/settings-validate.js';
import { createEngineDatabase, type EngineDatabase } from '../helpers/test-engine.js';

const KEY = 'correct horse battery staple';
const SMTP_SECRET = 'smtp-plaintext-secret-1';
const S3_SECRET = 's3-plaintext-secret-2';
const BACKUP_SECRET = 'backup-plaintext-secret-3';

describe('secret settings at rest (BASALT_ENCRYPTION_KEY)', () => {
  let dir: string;
  let database: EngineDatabase;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'basalt-secrets-'));
    database = await createEngineDatabase();
  });
  afterEach(async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = (encryptionKey?: string) =>
    App.open({ dataDir: dir, databaseUrl: database.url, encryptionKey });

  /** Runs `fn` on an app opened with `key`, then closes it. */
  async function withApp<T>(key: string | undefined, fn: (app: App) => Promise<T>): Promise<T> {
    const app = await open(key);
    try {
      return await fn(app);
    } finally {
      await app.close();
    }
  }

  const storedRow = (app: App) =>
    app.db.db
      .selectFrom('_params')
      .select('value')
      .where('id', '=', 'settings')
      .executeTakeFirstOrThrow()
      .then((row) => row.value);

  const saveSecrets = (app: App) =>
    app.settings.update({
      smtp: { password: SMTP_SECRET },
      s3: { secret: S3_SECRET },
      backups: { s3: { secret: BACKUP_SECRET } },
    });

  function expectSecrets(app: App): void {
    const settings = app.settings.get();
    expect(settings.smtp.password).toBe(SMTP_SECRET);
    expect(settings.s3.secret).toBe(S3_SECRET);
    expect(settings.backups.s3.secret).toBe(BACKUP_SECRET);
  }

  it('stores the secrets encrypted, and loads them again with the same key', async () => {
    await withApp(KEY, async (app) => {
      const saved = await saveSecrets(app);
      expect(settingsToJson(saved).smtp.password).toBe('');
      const row = await storedRow(app);
      for (const secret of [SMTP_SECRET, S3_SECRET, BACKUP_SECRET]) {
        expect(row).not.toContain(secret);
      }
      const stored = JSON.parse(row) as { smtp: { password: string }; s3: { secret: string } };
      expect(stored.smtp.password).toMatch(/^enc:v1:[A-Za-z0-9+/=]+$/);
      // A fresh nonce per value: the same plaintext never seals to the same text.
      await app.settings.update({ s3: { secret: SMTP_SECRET } });
      const again = JSON.parse(await storedRow(app)) as typeof stored;
      expect(again.s3.secret).not.toBe(again.smtp.password);
      await saveSecrets(app);
    });
    await withApp(KEY, async (app) => {
      expectSecrets(app);
    });
  });

  it('refuses to start with a wrong key or without a key, with a clear error', async () => {
    await withApp(KEY, saveSecrets);
    await expect(open('another key')).rejects.toThrow(
      /Cannot decrypt the stored setting smtp\.password: BASALT_ENCRYPTION_KEY is not the key/,
    );
    await expect(open(undefined)).rejects.toThrow(
      /smtp\.password is encrypted, but BASALT_ENCRYPTION_KEY is not set/,
    );
  });

  it('refuses to start when a stored secret was altered', async () => {
    await withApp(KEY, async (app) => {
      await saveSecrets(app);
      const stored = JSON.parse(await storedRow(app)) as { smtp: { password: string } };
      const sealed = stored.smtp.password;
      const flipped = sealed.slice(0, -6) + (sealed.at(-6) === 'A' ? 'B' : 'A') + sealed.slice(-5);
      stored.smtp.password = flipped;
      await app.db.db
        .updateTable('_params')
        .set({ value: JSON.stringify(stored) })
        .where('id', '=', 'settings')
        .execute();
    });
    await expect(open(KEY)).rejects.toThrow(/Cannot decrypt the stored setting smtp\.password/);
  });

  it('loads plaintext secrets saved before the key was set, and encrypts them on the next save', async () => {
    await withApp(undefined, async (app) => {
      await saveSecrets(app);
      expect(await storedRow(app)).toContain(SMTP_SECRET);
    });
    await withApp(KEY, async (app) => {
      expectSecrets(app);
      await app.settings.update({ meta: { appName: 'Renamed' } });
      const row = await storedRow(app);
      for (const secret of [SMTP_SECRET, S3_SECRET, BACKUP_SECRET]) {
        expect(row).not.toContain(secret);
      }
    });
    await withApp(KEY, async (app) => {
      expectSecrets(app);
      expect(app.settings.get().meta.appName).toBe('Renamed');
    });
  });
});
