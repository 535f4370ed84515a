import { importPKCS8, SignJWT } from 'jose';
import { isJsonObject } from '../../lib/json-merge.js';
import { ApiError } from '../errors.js';
import { ErrorCollector, fieldError } from '../validation-errors.js';

/** Apple's longest client secret lifetime: 6 months, in seconds. */
export const MAX_APPLE_SECRET_DURATION = 15_777_000;
const APPLE_AUDIENCE = 'https://appleid.apple.com';

interface AppleSecretForm {
  clientId: string;
  teamId: string;
  keyId: string;
  privateKey: string;
  duration: number;
}

function readForm(body: unknown): AppleSecretForm {
  const input = isJsonObject(body) ? body : {};
  const errors = new ErrorCollector();
  const text = (key: string, length?: number): string => {
    const value = input[key];
    if (typeof value !== 'string' || value.trim() === '') {
      errors.add([key], fieldError('validation_required'));
      return '';
    }
    if (length !== undefined && value.length !== length) {
      errors.add([key], fieldError('validation_length_out_of_range', { min: length, max: length }));
    } else if (value.length > 10_000) {
      errors.add([key], fieldError('validation_length_too_long', { max: 10_000 }));
    }
    return value;
  };
  const form = {
    clientId: text('clientId'),
    teamId: text('teamId', 10),
    keyId: text('keyId', 10),
    privateKey: text('privateKey'),
    duration: 0,
  };
  const duration = input.duration;
  if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 1) {
    errors.add(['duration'], fieldError('validation_required'));
  } else if (duration > MAX_APPLE_SECRET_DURATION) {
    errors.add(
      ['duration'],
      fieldError('validation_max_number_constraint', { max: MAX_APPLE_SECRET_DURATION }),
    );
  } else {
    form.duration = duration;
  }
  if (errors.hasErrors) throw new ApiError('validation_failed', errors.data);
  return form;
}

/**
 * `POST /api/settings/apple/generate-client-secret` (API.md §7): the client secret of Sign in
 * with Apple, an ES256 JWT signed with the app's private key (`{iss: teamId, sub: clientId,
 * aud: Apple, iat, exp}`, `kid` = keyId), valid for `duration` seconds (at most 6 months).
 * The key is used for this signature only and never stored or logged.
 */
export async function generateAppleClientSecret(body: unknown): Promise<{ secret: string }> {
  const form = readForm(body);
  let key: Awaited<ReturnType<typeof importPKCS8>>;
  try {
    key = await importPKCS8(form.privateKey.trim(), 'ES256');
  } catch {
    throw new ApiError('validation_failed', {
      privateKey: fieldError('validation_invalid_value', {}, 'Invalid ES256 PKCS #8 private key.'),
    });
  }
  const now = Math.floor(Date.now() / 1000);
  const secret = await new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: form.keyId })
    .setIssuer(form.teamId)
    .setSubject(form.clientId)
    .setAudience(APPLE_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + form.duration)
    .sign(key);
  return { secret };
}
