import { isJsonObject } from '../../lib/json-merge.js';
import { randomString } from '../../lib/security/random.js';
import { isEmail } from '../../lib/text/email.js';
import type { CollectionRegistry } from '../collection/collection-registry.js';
import {
  SUPERUSERS,
  type AuthCollection,
  type EmailTemplate,
} from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import type { Settings } from '../settings/settings-model.js';
import { ErrorCollector, fieldError } from '../validation-errors.js';
import { MailError } from './mail-error.js';
import type { Mailer } from './mailer.js';
import { renderTemplate } from './mail-template.js';

/** The account mail templates, by the names `POST /api/settings/test/email` takes. */
const TEMPLATES = {
  verification: (c: AuthCollection) => c.verificationTemplate,
  'password-reset': (c: AuthCollection) => c.resetPasswordTemplate,
  'email-change': (c: AuthCollection) => c.confirmEmailChangeTemplate,
  otp: (c: AuthCollection) => c.otp.emailTemplate,
  'login-alert': (c: AuthCollection) => c.authAlert.emailTemplate,
} satisfies Record<string, (c: AuthCollection) => EmailTemplate>;

type TemplateName = keyof typeof TEMPLATES;

function isTemplateName(value: unknown): value is TemplateName {
  return typeof value === 'string' && Object.hasOwn(TEMPLATES, value);
}

/** What sending a test mail needs of the App. */
export interface TestEmailContext {
  readonly collections: CollectionRegistry;
  readonly settings: { get(): Settings };
  readonly mailer: Mailer;
}

/**
 * Sends a test mail of one account template to `email` (`{email, template, collection?}`,
 * the collection defaulting to `_superusers`), with stand-in token, OTP and record values.
 * Throws 400 with field errors for bad input, and 400 with the safe reason when sending fails.
 */
export async function sendTestEmail(ctx: TestEmailContext, input: unknown): Promise<void> {
  const body = isJsonObject(input) ? input : {};
  const errors = new ErrorCollector();
  const { email, template } = body;
  const collectionName =
    body.collection === undefined || body.collection === '' ? SUPERUSERS.name : body.collection;
  if (typeof email !== 'string' || email === '')
    errors.add(['email'], fieldError('validation_required'));
  else if (!isEmail(email)) errors.add(['email'], fieldError('validation_is_email'));
  if (template === undefined || template === '')
    errors.add(['template'], fieldError('validation_required'));
  else if (!isTemplateName(template))
    errors.add(['template'], fieldError('validation_invalid_value'));
  const collection =
    typeof collectionName === 'string' ? ctx.collections.findAuth(collectionName) : undefined;
  if (!collection) errors.add(['collection'], fieldError('validation_missing_collection'));
  if (errors.hasErrors || typeof email !== 'string' || !isTemplateName(template) || !collection) {
    throw new ApiError('validation_failed', errors.data);
  }
  const settings = ctx.settings.get();
  const mail = renderTemplate(TEMPLATES[template](collection), {
    appName: settings.meta.appName,
    appURL: settings.meta.appURL,
    token: randomString(32),
    otp: randomString(collection.otp.length, '0123456789'),
    record: {
      id: 'test_record_id0',
      collectionId: collection.id,
      collectionName: collection.name,
      email,
    },
  });
  try {
    await ctx.mailer.send({ to: email, ...mail });
  } catch (error) {
    if (error instanceof MailError) throw new ApiError('bad_request', {}, error.message);
    throw error;
  }
}
