import { sql } from 'kysely';
import type { Executor } from '../../db/adapter.js';
import { randomString } from '../../lib/security/random.js';
import { signToken } from '../../lib/security/jwt.js';
import type { App } from '../app.js';
import { MailerRecordEvent, type AccountMailKind } from '../hooks/app-events.js';
import type { HookName } from '../hooks/app-hooks.js';
import { RecordModel } from '../record/record.js';
import type { AuthCollection, EmailTemplate } from '../collection/collection-model.js';
import { renderTemplate } from '../mail/mail-template.js';
import { recordToJson } from '../record/record-json.js';
import { rowText, type RecordRow } from '../record/record-model.js';
import { issueAccountToken, TOKEN_TYPES } from './auth-token.js';

/** The hook of each account mail. */
const MAIL_HOOKS = {
  verification: 'onMailerRecordVerificationSend',
  passwordReset: 'onMailerRecordPasswordResetSend',
  emailChange: 'onMailerRecordEmailChangeSend',
  otp: 'onMailerRecordOTPSend',
  authAlert: 'onMailerRecordAuthAlertSend',
} as const satisfies Record<AccountMailKind, HookName>;

/**
 * Finds an auth record by email (case-insensitive, as the email unique index), or undefined;
 * on `exec` when given (a transaction), else on the app's database.
 */
export async function findByEmail(
  app: App,
  collection: AuthCollection,
  email: string,
  exec: Executor = app.db.db,
): Promise<RecordRow | undefined> {
  return exec
    .selectFrom(collection.name)
    .selectAll()
    .where(sql`lower(${sql.ref('email')})`, '=', email.toLowerCase())
    .executeTakeFirst();
}

/**
 * The request half of verification and password reset: looks the email up and, when the
 * record is `eligible` and was not mailed this type within the resend window, mails it a token
 * after the response. Otherwise a throwaway token is signed instead, so that known and
 * unknown emails cost the same lookup and signing work and get the same answer.
 */
export async function requestAccountMail(
  app: App,
  collection: AuthCollection,
  email: string,
  type: 'verification' | 'passwordReset',
  template: EmailTemplate,
  eligible: (record: RecordRow) => boolean,
): Promise<void> {
  const record = await findByEmail(app, collection, email);
  if (!record || !eligible(record)) {
    const decoy = { id: randomString(15), type, collectionId: collection.id, email };
    signToken(decoy, randomString(50), collection[TOKEN_TYPES[type]].duration);
    return;
  }
  const token = issueAccountToken(collection, record, type);
  if (!app.accountMailThrottle.tryMark(`${type}:${collection.id}:${rowText(record, 'id')}`)) return;
  sendAccountMailLater(
    app,
    collection,
    record,
    type,
    template,
    { token },
    rowText(record, 'email'),
  );
}

/**
 * Renders an account template for `record` (with a token or OTP for its placeholders) and
 * sends it to `to` AFTER the current request has been answered (on a later turn of the event
 * loop), so that neither the response time nor a mail failure tells a caller whether the
 * account exists. Failures are logged with the
 * mailer's safe reason only, never the token or the address.
 */
export function sendAccountMailLater(
  app: App,
  collection: AuthCollection,
  record: RecordRow,
  kind: AccountMailKind,
  template: EmailTemplate,
  values: { readonly token?: string; readonly otp?: string },
  to: string,
): void {
  const settings = app.settings.get();
  const mail = renderTemplate(template, {
    appName: settings.meta.appName,
    appURL: settings.meta.appURL,
    ...values,
    record: recordToJson(collection, record, { showHidden: false, showEmail: true }),
  });
  const hook = app.hooks[MAIL_HOOKS[kind]];
  const send = (): Promise<void> =>
    hook.length === 0
      ? app.mailer.send({ to, ...mail })
      : hook.trigger(
          new MailerRecordEvent(
            app,
            { to, ...mail },
            kind,
            RecordModel.fromRow(collection, record),
          ),
          (e) => app.mailer.send(e.message),
        );
  // After the commit of the transaction the caller may run in (its rows, e.g. the OTP's, are
  // stored then), and never before the response.
  app.afterCommit(() => {
    setImmediate(() => {
      send().catch(() => {
        app.logger.warn({ collection: collection.name, kind }, 'sending an account mail failed');
      });
    });
  });
}
