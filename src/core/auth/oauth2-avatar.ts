import { findField, type AuthCollection } from '../collection/collection-model.js';
import { DEFAULT_LIMITS } from '../field/field-type-def.js';
import type { UploadedFile } from '../files/uploaded-file.js';
import { PROVIDER_TIMEOUT_MS, readBodyCapped } from '../oauth2/oauth2-fetch.js';
import type { OAuth2User } from '../oauth2/oauth2-user.js';
import { checkUpload } from '../record/record-files.js';

/** The file name an avatar is uploaded under: the URL's last segment, or `avatar`. */
function avatarName(url: URL): string {
  const last = decodeURIComponent(url.pathname.split('/').pop() ?? '');
  return last === '' ? 'avatar' : last;
}

/**
 * Downloads the OAuth2 user's avatar for a new account whose `mappedFields.avatarURL` is a
 * file field (API.md §3.1): http(s) only, within the provider timeout and the field's size
 * limit, and only when it passes the field's checks (sniffed type, pixels). Any failure
 * leaves the avatar out: it never fails the sign-in.
 */
export async function downloadAvatar(
  collection: AuthCollection,
  user: OAuth2User,
): Promise<UploadedFile | undefined> {
  const field = findField(collection, collection.oauth2.mappedFields.avatarURL);
  if (field?.type !== 'file' || user.avatarURL === '') return undefined;
  try {
    const url = new URL(user.avatarURL);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    const response = await fetch(url, {
      headers: { 'User-Agent': 'Basalt' },
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    });
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    const data = await readBodyCapped(response, field.maxSize || DEFAULT_LIMITS.fileMaxSize);
    if (!data || data.length === 0) return undefined;
    const check = await checkUpload({ field, name: '', data });
    if (!('data' in check)) return undefined;
    return { field: field.name, filename: avatarName(url), mimetype: check.contentType, data };
  } catch {
    return undefined;
  }
}
