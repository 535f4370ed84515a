import type { DbAdapter } from '../../db/adapter.js';
import { nowDateTime } from '../../lib/datetime.js';
import type { SecretBox } from '../../lib/security/secret-box.js';
import { defaultSettings, type Settings } from './settings-model.js';
import { openSecrets, sealSecrets } from './settings-secrets.js';
import { readStoredSettings, validateSettings } from './settings-validate.js';

const SETTINGS_ID = 'settings';

/**
 * Holds the current settings in memory, backed by the `_params` row `settings`. Stored
 * values are merged over the defaults, so settings added by a newer version get defaults.
 * With a `box`, the secret settings are stored encrypted (see settings-secrets.ts).
 */
export class SettingsStore {
  private current: Settings = defaultSettings();

  constructor(
    private readonly db: DbAdapter,
    private readonly box?: SecretBox,
  ) {}

  /** Loads the stored settings. */
  async load(): Promise<void> {
    const row = await this.db.db
      .selectFrom('_params')
      .select('value')
      .where('id', '=', SETTINGS_ID)
      .executeTakeFirst();
    if (!row) {
      this.current = defaultSettings();
      return;
    }
    const stored: unknown = JSON.parse(row.value);
    openSecrets(stored, this.box);
    this.current = readStoredSettings(stored);
  }

  /**
   * The current settings object itself, for per-request reads that a copy would slow down.
   * Never mutate it: `update` replaces it, so caches keyed by it (or its parts) follow changes.
   */
  peek(): Readonly<Settings> {
    return this.current;
  }

  /** The current settings (a copy; change them with `update`). */
  get(): Settings {
    return structuredClone(this.current);
  }

  /** Validates a patch over the current settings, stores the result and makes it current. */
  async update(patch: unknown): Promise<Settings> {
    const next = validateSettings(patch, this.current);
    const now = nowDateTime();
    const value = JSON.stringify(sealSecrets(next, this.box));
    const exists = await this.db.db
      .selectFrom('_params')
      .select('id')
      .where('id', '=', SETTINGS_ID)
      .executeTakeFirst();
    if (exists) {
      await this.db.db
        .updateTable('_params')
        .set({ value, updated: now })
        .where('id', '=', SETTINGS_ID)
        .execute();
    } else {
      await this.db.db
        .insertInto('_params')
        .values({ id: SETTINGS_ID, value, created: now, updated: now })
        .execute();
    }
    this.current = next;
    return structuredClone(next);
  }
}
