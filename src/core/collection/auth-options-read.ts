import { OptionReader } from '../field/option-reader.js';
import { validateOAuth2Providers } from '../oauth2/oauth2-config-validate.js';
import type { ErrorCollector } from '../validation-errors.js';
import { fieldError } from '../validation-errors.js';
import {
  MAX_TOKEN_DURATION,
  type AuthOptions,
  type EmailTemplate,
  type OAuth2ProviderConfig,
  type TokenConfig,
} from './collection-model.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads nested option objects of auth collections, each with its own error path. */
class AuthOptionsReader {
  constructor(
    private readonly input: Record<string, unknown>,
    private readonly errors: ErrorCollector,
  ) {}

  /** A reader over the sub-object `key` (an absent key reads as `{}`). */
  sub(
    key: string,
    parent: Record<string, unknown> = this.input,
    path: string[] = [],
  ): OptionReader {
    const value = parent[key];
    if (value !== undefined && value !== null && !isObject(value)) {
      this.errors.add([...path, key], fieldError('validation_invalid_type'));
    }
    return new OptionReader(isObject(value) ? value : {}, this.errors, [...path, key]);
  }

  template(
    key: string,
    fallback: EmailTemplate,
    parent?: Record<string, unknown>,
    path: string[] = [],
  ): EmailTemplate {
    const o = this.sub(key, parent, path);
    return {
      subject: o.string('subject', fallback.subject, 1000),
      body: o.string('body', fallback.body, 100_000),
    };
  }

  token(key: string, fallback: TokenConfig): TokenConfig {
    const o = this.sub(key);
    const secret = o.string('secret', fallback.secret, 255);
    if (secret.length < 30) o.fail('secret', 'validation_min_text_constraint', { min: 30 });
    return {
      duration: o.int('duration', fallback.duration, { min: 10, max: MAX_TOKEN_DURATION }),
      secret: secret.length < 30 ? fallback.secret : secret,
    };
  }

  /**
   * The OAuth2 providers. The API never outputs client secrets, so a provider saved without
   * one (absent or '') keeps the stored secret of the provider with the same name.
   */
  providers(value: unknown, stored: readonly OAuth2ProviderConfig[]): OAuth2ProviderConfig[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.errors.add(['oauth2', 'providers'], fieldError('validation_invalid_type'));
      return [];
    }
    return value.map((item: unknown, i) => {
      const path = ['oauth2', 'providers', String(i)];
      if (!isObject(item)) this.errors.add(path, fieldError('validation_invalid_type'));
      const o = new OptionReader(isObject(item) ? item : {}, this.errors, path);
      const name = o.string('name', '', 100);
      if (name === '') o.fail('name', 'validation_required');
      const extra = isObject(item) && isObject(item.extra) ? item.extra : {};
      const kept = stored.find((p) => p.name === name)?.clientSecret ?? '';
      return {
        name,
        clientId: o.string('clientId', '', 1000),
        clientSecret: o.string('clientSecret', '', 10_000) || kept,
        authURL: o.string('authURL', '', 2000),
        tokenURL: o.string('tokenURL', '', 2000),
        userInfoURL: o.string('userInfoURL', '', 2000),
        displayName: o.string('displayName', '', 255),
        pkce: isObject(item) && typeof item.pkce === 'boolean' ? item.pkce : null,
        extra,
      };
    });
  }
}

/**
 * Reads the auth options of a collection from untrusted JSON (already merged over the stored
 * options on update), with `fallback` supplying every absent value. Rules are read by the
 * caller, which validates them with the other rules.
 */
export function readAuthOptions(
  input: Record<string, unknown>,
  fallback: AuthOptions,
  errors: ErrorCollector,
): Omit<AuthOptions, 'authRule' | 'manageRule'> {
  const r = new AuthOptionsReader(input, errors);
  const alert = r.sub('authAlert');
  const oauth2 = r.sub('oauth2');
  const oauth2Input = isObject(input.oauth2) ? input.oauth2 : {};
  const mapped = r.sub('mappedFields', oauth2Input, ['oauth2']);
  const password = r.sub('passwordAuth');
  const mfa = r.sub('mfa');
  const otp = r.sub('otp');
  const oauth2Options: AuthOptions['oauth2'] = {
    enabled: oauth2.bool('enabled', fallback.oauth2.enabled),
    providers: r.providers(oauth2Input.providers, fallback.oauth2.providers),
    mappedFields: {
      id: mapped.string('id', '', 100),
      name: mapped.string('name', '', 100),
      username: mapped.string('username', '', 100),
      avatarURL: mapped.string('avatarURL', '', 100),
    },
  };
  validateOAuth2Providers(oauth2Options, errors);
  return {
    authAlert: {
      enabled: alert.bool('enabled', fallback.authAlert.enabled),
      emailTemplate: r.template(
        'emailTemplate',
        fallback.authAlert.emailTemplate,
        isObject(input.authAlert) ? input.authAlert : {},
        ['authAlert'],
      ),
    },
    oauth2: oauth2Options,
    passwordAuth: {
      enabled: password.bool('enabled', fallback.passwordAuth.enabled),
      identityFields:
        isObject(input.passwordAuth) && 'identityFields' in input.passwordAuth
          ? password.strings('identityFields', 10, 100)
          : fallback.passwordAuth.identityFields,
    },
    mfa: {
      enabled: mfa.bool('enabled', fallback.mfa.enabled),
      duration: mfa.int('duration', fallback.mfa.duration, { min: 10, max: 86400 }),
      rule: mfa.string('rule', fallback.mfa.rule, 3500),
    },
    otp: {
      enabled: otp.bool('enabled', fallback.otp.enabled),
      duration: otp.int('duration', fallback.otp.duration, { min: 10, max: 86400 }),
      length: otp.int('length', fallback.otp.length, { min: 4, max: 32 }),
      emailTemplate: r.template(
        'emailTemplate',
        fallback.otp.emailTemplate,
        isObject(input.otp) ? input.otp : {},
        ['otp'],
      ),
    },
    authToken: r.token('authToken', fallback.authToken),
    passwordResetToken: r.token('passwordResetToken', fallback.passwordResetToken),
    emailChangeToken: r.token('emailChangeToken', fallback.emailChangeToken),
    verificationToken: r.token('verificationToken', fallback.verificationToken),
    fileToken: r.token('fileToken', fallback.fileToken),
    verificationTemplate: r.template('verificationTemplate', fallback.verificationTemplate),
    resetPasswordTemplate: r.template('resetPasswordTemplate', fallback.resetPasswordTemplate),
    confirmEmailChangeTemplate: r.template(
      'confirmEmailChangeTemplate',
      fallback.confirmEmailChangeTemplate,
    ),
  };
}
