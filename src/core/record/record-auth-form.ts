import { verifyPassword } from '../../lib/security/password.js';
import { randomString } from '../../lib/security/random.js';
import type { Collection } from '../collection/collection-model.js';
import { ErrorCollector, fieldError } from '../validation-errors.js';
import type { ErrorData } from '../errors.js';
import type { RecordInput } from './record-input.js';
import type { RecordValues } from './record-values.js';

/** What the auth-specific checks need to know about the write. */
export interface AuthWriteContext {
  readonly creating: boolean;
  /** Superuser, or the requester satisfies the collection's manageRule for this record. */
  readonly manage: boolean;
  /** The stored password hash (update). */
  readonly storedHash: string;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * The account rules of API.md §1.3 for auth collections: `passwordConfirm` must match a
 * submitted password; without manage access, `verified` cannot be set, `email` cannot be
 * changed and a password change needs the right `oldPassword`. Returns field errors, and a
 * new `tokenKey` when the password or email changes, which ends every session of the record.
 */
export async function checkAuthWrite(
  collection: Collection,
  input: RecordInput,
  current: RecordValues,
  values: RecordValues,
  ctx: AuthWriteContext,
): Promise<{ errors: ErrorData; newTokenKey: string | undefined }> {
  const errors = new ErrorCollector();
  if (collection.type !== 'auth') return { errors: errors.data, newTokenKey: undefined };
  const password = input.values.get('password');
  const passwordSubmitted = input.values.has('password') && text(password) !== '';
  if (passwordSubmitted && text(input.extras.passwordConfirm) !== text(password)) {
    errors.add(['passwordConfirm'], fieldError('validation_values_mismatch'));
  }
  if (!ctx.manage) {
    const verifiedChanged =
      input.values.has('verified') && values.get('verified') !== current.get('verified');
    if (verifiedChanged) errors.add(['verified'], fieldError('validation_values_mismatch'));
    if (
      !ctx.creating &&
      input.values.has('email') &&
      values.get('email') !== current.get('email')
    ) {
      errors.add(['email'], fieldError('validation_values_mismatch'));
    }
    if (!ctx.creating && passwordSubmitted) {
      const old = text(input.extras.oldPassword);
      if (old === '' || !(await verifyPassword(old, ctx.storedHash))) {
        errors.add(['oldPassword'], fieldError('validation_invalid_old_password'));
      }
    }
  }
  const emailChanged = !ctx.creating && values.get('email') !== current.get('email');
  const rotate = !ctx.creating && (passwordSubmitted || emailChanged);
  return { errors: errors.data, newTokenKey: rotate ? randomString(50) : undefined };
}
