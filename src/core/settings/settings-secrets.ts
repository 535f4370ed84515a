import { isJsonObject } from '../../lib/json-merge.js';
import { SecretBox, SecretOpenError } from '../../lib/security/secret-box.js';
import type { Settings } from './settings-model.js';

/** The paths of the secret settings: never output, encrypted at rest when a key is set. */
const SECRET_PATHS = [
  ['smtp', 'password'],
  ['s3', 'secret'],
  ['backups', 's3', 'secret'],
] as const;

/** The object holding the last key of `path` in `root`, when there is one. */
function parentOf(root: unknown, path: readonly string[]): Record<string, unknown> | undefined {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) {
    node = isJsonObject(node) ? node[key] : undefined;
  }
  return isJsonObject(node) ? node : undefined;
}

function mapSecrets(root: unknown, fn: (value: string, name: string) => string): void {
  for (const path of SECRET_PATHS) {
    const parent = parentOf(root, path);
    const key = path[path.length - 1] ?? '';
    const value = parent?.[key];
    if (parent && typeof value === 'string') parent[key] = fn(value, path.join('.'));
  }
}

/** Settings with their secrets sealed by `box` (a copy; unchanged without a box). */
export function sealSecrets(settings: Settings, box: SecretBox | undefined): Settings {
  const out = structuredClone(settings);
  if (box) mapSecrets(out, (value) => box.seal(value));
  return out;
}

/**
 * Opens the sealed secrets of stored settings JSON in place. Plaintext secrets (stored before a
 * key was set) load as they are. A sealed secret without a key, or with the wrong one, throws:
 * starting with garbage credentials would be worse than not starting.
 */
export function openSecrets(stored: unknown, box: SecretBox | undefined): void {
  mapSecrets(stored, (value, name) => {
    if (!SecretBox.isSealed(value)) return value;
    if (!box) {
      throw new Error(
        `The stored setting ${name} is encrypted, but BASALT_ENCRYPTION_KEY is not set. ` +
          'Start Basalt with the key the settings were saved with.',
      );
    }
    try {
      return box.open(value);
    } catch (error) {
      if (!(error instanceof SecretOpenError)) throw error;
      throw new Error(
        `Cannot decrypt the stored setting ${name}: BASALT_ENCRYPTION_KEY is not the key ` +
          `it was saved with (${error.message}).`,
      );
    }
  });
}
