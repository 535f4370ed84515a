import { decodeToken, signToken, verifyDecodedToken } from '../../lib/security/jwt.js';
import type { App } from '../app.js';
import type { AuthCollection, TokenConfig } from '../collection/collection-model.js';
import { rowText, type RecordRow } from '../record/record-model.js';
import { findRecordRow } from '../record/record-read.js';
import type { AuthContext } from './auth-context.js';

/** Token types and the collection option holding their lifetime and secret. */
export const TOKEN_TYPES = {
  auth: 'authToken',
  file: 'fileToken',
  verification: 'verificationToken',
  passwordReset: 'passwordResetToken',
  emailChange: 'emailChangeToken',
} as const;

/** A token type. */
export type TokenType = keyof typeof TOKEN_TYPES;

function configOf(collection: AuthCollection, type: TokenType): TokenConfig {
  return collection[TOKEN_TYPES[type]];
}

/** The signing key of a record's tokens of one type: its tokenKey plus the collection secret. */
export function signingKey(collection: AuthCollection, record: RecordRow, type: TokenType): string {
  return rowText(record, 'tokenKey') + configOf(collection, type).secret;
}

/**
 * Issues an auth token for a record (API.md §4). `durationSeconds` defaults to the
 * collection's authToken duration; impersonation tokens are not refreshable.
 */
export function issueAuthToken(
  collection: AuthCollection,
  record: RecordRow,
  options: { refreshable?: boolean; durationSeconds?: number } = {},
): string {
  return signToken(
    {
      id: rowText(record, 'id'),
      type: 'auth',
      collectionId: collection.id,
      refreshable: options.refreshable ?? true,
    },
    signingKey(collection, record, 'auth'),
    options.durationSeconds ?? collection.authToken.duration,
  );
}

/** Issues a file token (API.md §6): `type: "file"`, the fileToken secret and lifetime. */
export function issueFileToken(collection: AuthCollection, record: RecordRow): string {
  return signToken(
    { id: rowText(record, 'id'), type: 'file', collectionId: collection.id },
    signingKey(collection, record, 'file'),
    collection.fileToken.duration,
  );
}

/**
 * Issues a verification, password-reset or email-change token (API.md §4): it names the
 * record's current `email` (and the requested `newEmail`), so it stops working when the email
 * changes, and it is signed with the type's secret and lifetime.
 */
export function issueAccountToken(
  collection: AuthCollection,
  record: RecordRow,
  type: 'verification' | 'passwordReset' | 'emailChange',
  newEmail?: string,
): string {
  return signToken(
    {
      id: rowText(record, 'id'),
      type,
      collectionId: collection.id,
      email: rowText(record, 'email'),
      ...(newEmail === undefined ? {} : { newEmail }),
    },
    signingKey(collection, record, type),
    configOf(collection, type).duration,
  );
}

/**
 * Resolves a token of the given type to its record: the claims name the collection and
 * record, whose key must verify the HS256 signature. Any failure yields undefined, never an
 * error, so that an invalid token simply makes a guest request.
 */
export async function verifyToken(
  app: App,
  token: string,
  type: TokenType,
): Promise<{ collection: AuthCollection; record: RecordRow; refreshable: boolean } | undefined> {
  const decoded = decodeToken(token);
  const claims = decoded?.claims;
  if (!decoded || claims?.type !== type) return undefined;
  const collection = app.collections.findById(claims.collectionId);
  if (collection?.type !== 'auth') return undefined;
  const record = await findRecordRow(app.db.db, collection, claims.id);
  if (!record) return undefined;
  if (!verifyDecodedToken(decoded, signingKey(collection, record, type))) return undefined;
  return { collection, record, refreshable: claims.refreshable === true };
}

/** Reads the Authorization header (raw token, or with a case-insensitive `Bearer ` prefix). */
export function tokenFromHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const token = header.replace(/^bearer\s+/i, '').trim();
  return token === '' ? undefined : token;
}

/** Authenticates a request from its Authorization header; undefined for guests. */
export async function authenticate(
  app: App,
  header: string | undefined,
): Promise<AuthContext | undefined> {
  const token = tokenFromHeader(header);
  if (!token) return undefined;
  const found = await verifyToken(app, token, 'auth');
  return found ? { ...found, token } : undefined;
}
