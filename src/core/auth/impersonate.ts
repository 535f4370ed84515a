import { isJsonObject } from '../../lib/json-merge.js';
import type { App } from '../app.js';
import { MAX_TOKEN_DURATION } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import { findRecordRow } from '../record/record-read.js';
import { fieldError, type ValidationCode } from '../validation-errors.js';
import { assertSuperuser } from './access.js';
import type { AuthContext } from './auth-context.js';
import { issueAuthToken } from './auth-token.js';
import type { AuthResult } from './auth-finish.js';

/** Why a submitted `duration` is refused, or undefined when it is acceptable. */
function durationProblem(value: number): [ValidationCode, Record<string, number>] | undefined {
  if (!Number.isFinite(value)) return ['validation_not_a_number', {}];
  if (!Number.isInteger(value)) return ['validation_only_int_constraint', {}];
  if (value < 0) return ['validation_min_number_constraint', { min: 0 }];
  if (value > MAX_TOKEN_DURATION) {
    return ['validation_max_number_constraint', { max: MAX_TOKEN_DURATION }];
  }
  return undefined;
}

/** Reads the optional `{duration}` body: seconds, 0 or absent = the collection default. */
function readDuration(body: unknown): number {
  const value = isJsonObject(body) ? body.duration : undefined;
  if (value === undefined || value === null) return 0;
  const problem =
    typeof value === 'number' ? durationProblem(value) : (['validation_not_a_number', {}] as const);
  if (problem) {
    throw new ApiError('validation_failed', { duration: fieldError(problem[0], problem[1]) });
  }
  return typeof value === 'number' ? value : 0;
}

/**
 * Impersonates an auth record (API.md §4): superusers only; answers the record with a
 * non-refreshable auth token lasting `duration` seconds (0 = the collection's authToken
 * duration). Like PocketBase, it neither checks the authRule nor asks for MFA.
 */
export async function impersonate(
  app: App,
  collectionIdOrName: string,
  recordId: string,
  body: unknown,
  auth: AuthContext | undefined,
): Promise<AuthResult> {
  assertSuperuser(auth);
  const collection = app.collections.find(collectionIdOrName);
  if (collection?.type !== 'auth') throw new ApiError('auth_collection_invalid');
  const record = await findRecordRow(app.db.db, collection, recordId);
  if (!record) throw new ApiError('not_found');
  const duration = readDuration(body);
  const token = issueAuthToken(collection, record, {
    refreshable: false,
    durationSeconds: duration === 0 ? collection.authToken.duration : duration,
  });
  return { collection, record, token };
}
