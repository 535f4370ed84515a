import type { DbAdapter } from '../../db/adapter.js';
import { mergeJson } from '../../lib/json-merge.js';
import { defaultSettings, type Settings } from './settings-model.js';

const SETTINGS_ID = 'settings';

/**
 * Holds the current settings in memory, backed by the `_params` row `settings`. Stored
 * values are merged over the defaults, so settings added by a newer version get defaults.
 */
export class SettingsStore {
  private current: Settings = defaultSettings();

  constructor(private readonly db: DbAdapter) {}

  /** Loads the stored settings. */
  async load(): Promise<void> {
    const row = await this.db.db
      .selectFrom('_params')
      .select('value')
      .where('id', '=', SETTINGS_ID)
      .executeTakeFirst();
    this.current = row ? this.fromStored(row.value) : defaultSettings();
  }

  /** The current settings (a copy; change them with `save`). */
  get(): Settings {
    return structuredClone(this.current);
  }

  private fromStored(text: string): Settings {
    // Basalt wrote this JSON after validating it; merging over defaults fills newer keys.
    return mergeJson(defaultSettings(), JSON.parse(text)) as Settings;
  }
}
