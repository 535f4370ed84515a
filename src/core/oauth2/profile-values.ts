import { isJsonObject, type JsonObject } from '../../lib/json-merge.js';

/** The object a provider answered, or an empty one (a user endpoint must answer an object). */
export function asObject(value: unknown): JsonObject {
  return isJsonObject(value) ? value : {};
}

/** A text claim: strings as they are, integer ids (GitHub, GitLab) as decimal text, else ''. */
export function claimText(source: JsonObject, key: string): string {
  const value = source[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return '';
}

/** A boolean claim that some providers send as text (`"true"`, e.g. Apple's email_verified). */
export function claimBool(source: JsonObject, key: string): boolean {
  const value = source[key];
  return value === true || value === 'true';
}
