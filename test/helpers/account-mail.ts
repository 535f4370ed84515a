import PocketBase, { ClientResponseError } from 'pocketbase';
import { expect } from 'vitest';
import { TOKEN_TYPES } from '../../src/core/auth/auth-token.js';
import { createSuperuser } from '../../src/core/auth/superuser-admin.js';
import { signToken } from '../../src/lib/security/jwt.js';
import { findRecordRow } from '../../src/core/record/record-read.js';
import type { RecordRow } from '../../src/core/record/record-model.js';
import { ApiClient } from './api-client.js';
import { startLiveServer, type LiveServer } from './live-server.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from './smtp-sink.js';

const SMTP_USER = 'mailer@example.com';
const SMTP_PASS = 'smtp-Pa55-secret-value';

/** A live server that mails through a real SMTP sink, with a superuser SDK client. */
export interface MailWorld {
  readonly live: LiveServer;
  readonly sink: SmtpSink;
  readonly admin: PocketBase;
  /** A guest client over `inject()`. */
  readonly guest: ApiClient;
  /** A new SDK client of the server (guest until it authenticates). */
  client(): PocketBase;
  close(): Promise<void>;
}

/**
 * Starts the server and the sink, points the app's SMTP settings at the sink, and adds a
 * second auth collection `members` for the cross-collection cases.
 */
export async function startMailWorld(): Promise<MailWorld> {
  const live = await startLiveServer();
  const sink = await startSmtpSink(SMTP_USER, SMTP_PASS);
  await createSuperuser(live.app, 'root@example.com', 'root-password-1');
  const client = (): PocketBase => {
    const pb = new PocketBase(live.url);
    pb.autoCancellation(false);
    return pb;
  };
  const admin = client();
  await admin.collection('_superusers').authWithPassword('root@example.com', 'root-password-1');
  await admin.settings.update({
    meta: {
      appName: 'Basalt',
      appURL: 'https://app.example.com',
      senderAddress: 'no-reply@app.example.com',
    },
    smtp: {
      enabled: true,
      host: '127.0.0.1',
      port: sink.port,
      username: SMTP_USER,
      password: SMTP_PASS,
      authMethod: 'PLAIN',
      tls: false,
    },
  });
  await admin.collections.create({ name: 'members', type: 'auth', createRule: '' });
  return {
    live,
    sink,
    admin,
    guest: new ApiClient(live.server),
    client,
    async close() {
      await live.close();
      await sink.close();
    },
  };
}

/** Creates an account through the SDK as the superuser; returns its id. */
export async function createAccount(
  world: MailWorld,
  email: string,
  password: string,
  collection = 'users',
): Promise<string> {
  const created = await world.admin.collection(collection).create({
    email,
    password,
    passwordConfirm: password,
  });
  return created.id;
}

/** Waits until the sink holds `count` mails and returns the last one. */
export async function waitForMail(sink: SmtpSink, count: number): Promise<ReceivedMail> {
  for (let i = 0; i < 100 && sink.received.length < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(sink.received).toHaveLength(count);
  const mail = sink.received[count - 1];
  if (!mail) throw new Error('no mail');
  return mail;
}

/** Waits a little and checks that no further mail arrived. */
export async function expectNoMoreMail(sink: SmtpSink, count: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 400));
  expect(sink.received).toHaveLength(count);
}

/** The JWT a received mail carries (in its links). */
export function tokenOf(mail: ReceivedMail): string {
  const match = /[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/.exec(String(mail.parsed.html));
  if (!match) throw new Error('no token in the mail');
  return match[0];
}

/** The one-time password a received OTP mail carries (the default template's <strong>). */
export function otpOf(mail: ReceivedMail): string {
  const match = /<strong>(\d+)<\/strong>/.exec(String(mail.parsed.html));
  if (!match?.[1]) throw new Error('no OTP in the mail');
  return match[1];
}

/** The claims of a token, for the tests to check. */
export function claimsOf(token: string): Record<string, unknown> {
  const payload: unknown = JSON.parse(
    Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
  );
  return payload as Record<string, unknown>;
}

/** The stored row of a record, read straight from the database. */
export async function storedRow(
  world: MailWorld,
  collection: string,
  id: string,
): Promise<RecordRow> {
  const c = world.live.app.collections.findAuth(collection);
  if (!c) throw new Error(`no auth collection ${collection}`);
  const row = await findRecordRow(world.live.app.db.db, c, id);
  if (!row) throw new Error('no row');
  return row;
}

/** The error `data` of a failed SDK call's response. */
export async function sdkFailure(
  call: Promise<unknown>,
): Promise<{ status: number; data: unknown }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ClientResponseError)
      return { status: error.status, data: error.data.data };
    throw error;
  }
  throw new Error('the call succeeded');
}

/** The token with one character in the middle of its signature changed. */
export function tamperSignature(token: string): string {
  const at = token.lastIndexOf('.') + 10;
  return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
}

/**
 * A token of `type` for a `users` record, signed with its genuine key (tokenKey plus the
 * collection secret) but expired a minute ago.
 */
export async function expiredToken(
  world: MailWorld,
  id: string,
  type: 'verification' | 'passwordReset',
): Promise<string> {
  const users = world.live.app.collections.findAuth('users');
  if (!users) throw new Error('no users');
  const row = await storedRow(world, 'users', id);
  const claims = { id, type, collectionId: users.id, email: String(row.email) };
  return signToken(claims, String(row.tokenKey) + users[TOKEN_TYPES[type]].secret, -60);
}
