import { isJsonObject, mergeJson } from '../../lib/json-merge.js';
import { ApiError } from '../errors.js';
import { OptionReader } from '../field/option-reader.js';
import { ErrorCollector, fieldError } from '../validation-errors.js';
import { isRateLimitLabel } from '../rate-limit/rate-limit-label.js';
import { isIpOrCidr } from '../../lib/net/ip-list.js';
import {
  defaultSettings,
  type AuthThrottleSettings,
  type S3Settings,
  type Settings,
} from './settings-model.js';
import { checkSettingsRules } from './settings-rules.js';

function sub(
  input: Record<string, unknown>,
  key: string,
  errors: ErrorCollector,
  path: string[] = [],
): OptionReader {
  const value = input[key];
  return new OptionReader(isJsonObject(value) ? value : {}, errors, [...path, key]);
}

function readS3(o: OptionReader, fallback: S3Settings): S3Settings {
  return {
    enabled: o.bool('enabled', fallback.enabled),
    bucket: o.string('bucket', fallback.bucket, 255),
    region: o.string('region', fallback.region, 255),
    endpoint: o.string('endpoint', fallback.endpoint, 2000),
    accessKey: o.string('accessKey', fallback.accessKey, 1000),
    // Secrets are never output, so a blank one in a patch means "keep the stored secret".
    secret: o.string('secret', fallback.secret, 1000) || fallback.secret,
    forcePathStyle: o.bool('forcePathStyle', fallback.forcePathStyle),
  };
}

function readRateRules(
  input: unknown,
  fallback: Settings['rateLimits']['rules'],
  errors: ErrorCollector,
): Settings['rateLimits']['rules'] {
  if (input === undefined) return fallback;
  if (!Array.isArray(input) || input.length > 1000) {
    errors.add(['rateLimits', 'rules'], {
      code: 'validation_invalid_type',
      message: 'Invalid value type.',
    });
    return fallback;
  }
  return input.map((item: unknown, i) => {
    const o = new OptionReader(isJsonObject(item) ? item : {}, errors, [
      'rateLimits',
      'rules',
      String(i),
    ]);
    const label = o.string('label', '', 255);
    if (label === '') o.fail('label', 'validation_required');
    else if (!isRateLimitLabel(label)) o.fail('label', 'validation_invalid_value');
    const audience = o.string('audience', '', 20);
    if (!['', '@guest', '@auth'].includes(audience)) o.fail('audience', 'validation_invalid_value');
    return {
      label,
      audience,
      duration: o.int('duration', 1, { min: 1, max: 86400 }),
      maxRequests: o.int('maxRequests', 1, { min: 1, max: 1_000_000 }),
    };
  });
}

/** A list of IP addresses and CIDR ranges (`excludedIPs`, `superuserIPs`). */
function ipStrings(o: OptionReader, key: string): string[] {
  const list = o.strings(key, 1000, 100);
  if (list.every(isIpOrCidr)) return list;
  o.fail(key, 'validation_invalid_value');
  return [];
}

/** HTTP header names (`trustedProxy.headers`). */
function headerNames(o: OptionReader): string[] {
  const list = o.strings('headers', 20, 100);
  if (list.every((name) => /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name))) return list;
  o.fail('headers', 'validation_invalid_value');
  return [];
}

/** `smtp.authMethod`: the SASL mechanisms the mailer offers, PLAIN or LOGIN. */
function smtpAuthMethod(o: OptionReader, fallback: string): string {
  const method = o.string('authMethod', fallback, 20);
  if (method === 'PLAIN' || method === 'LOGIN') return method;
  o.fail('authMethod', 'validation_invalid_value');
  return fallback;
}

/** `authThrottle`: failed sign-ins per identity and per IP within a window (a Basalt addition). */
function readAuthThrottle(
  input: Record<string, unknown>,
  fallback: AuthThrottleSettings,
  errors: ErrorCollector,
): AuthThrottleSettings {
  if (!isJsonObject(input.authThrottle)) {
    errors.add(['authThrottle'], fieldError('validation_invalid_type'));
    return fallback;
  }
  const o = sub(input, 'authThrottle', errors);
  return {
    enabled: o.bool('enabled', fallback.enabled),
    maxFailuresPerIdentity: o.int('maxFailuresPerIdentity', fallback.maxFailuresPerIdentity, {
      min: 1,
      max: 1_000_000,
    }),
    maxFailuresPerIP: o.int('maxFailuresPerIP', fallback.maxFailuresPerIP, {
      min: 1,
      max: 1_000_000,
    }),
    windowSeconds: o.int('windowSeconds', fallback.windowSeconds, { min: 1, max: 86_400 }),
  };
}

/**
 * Validates settings from untrusted JSON merged over the current settings (objects merge,
 * arrays replace): every value's type and range, then the document's rules
 * (`settings-rules.ts`). Returns the complete settings or throws 400 with field errors.
 */
export function validateSettings(patch: unknown, current: Settings): Settings {
  if (!isJsonObject(patch))
    throw new ApiError('validation_failed', {}, 'The settings must be a JSON object.');
  const errors = new ErrorCollector();
  const settings = readSettings(mergeJson(current, patch), current, errors);
  if (!errors.hasErrors) checkSettingsRules(settings, errors);
  if (errors.hasErrors) throw new ApiError('validation_failed', errors.data);
  return settings;
}

/**
 * Reads settings that Basalt stored itself over the defaults (filling keys added since);
 * the document's rules are not checked again (see `checkSettingsRules`).
 */
export function readStoredSettings(stored: unknown): Settings {
  const errors = new ErrorCollector();
  const settings = readSettings(mergeJson(defaultSettings(), stored), defaultSettings(), errors);
  if (errors.hasErrors) throw new ApiError('validation_failed', errors.data);
  return settings;
}

/** Reads each value of the settings document, recording type and range errors. */
function readSettings(merged: unknown, current: Settings, errors: ErrorCollector): Settings {
  const input = isJsonObject(merged) ? merged : {};
  const meta = sub(input, 'meta', errors);
  const smtp = sub(input, 'smtp', errors);
  const backups = sub(input, 'backups', errors);
  const batch = sub(input, 'batch', errors);
  const rate = sub(input, 'rateLimits', errors);
  const proxy = sub(input, 'trustedProxy', errors);
  const logs = sub(input, 'logs', errors);
  const openapi = sub(input, 'openapi', errors);
  const backupsInput = isJsonObject(input.backups) ? input.backups : {};
  const rateInput = isJsonObject(input.rateLimits) ? input.rateLimits : {};
  return {
    meta: {
      appName: meta.string('appName', current.meta.appName, 255),
      appURL: meta.string('appURL', current.meta.appURL, 2000),
      senderName: meta.string('senderName', current.meta.senderName, 255),
      senderAddress: meta.string('senderAddress', current.meta.senderAddress, 255),
      hideControls: meta.bool('hideControls', current.meta.hideControls),
    },
    smtp: {
      enabled: smtp.bool('enabled', current.smtp.enabled),
      host: smtp.string('host', current.smtp.host, 255),
      port: smtp.int('port', current.smtp.port, { min: 1, max: 65535 }),
      username: smtp.string('username', current.smtp.username, 255),
      password: smtp.string('password', current.smtp.password, 1000) || current.smtp.password,
      authMethod: smtpAuthMethod(smtp, current.smtp.authMethod),
      tls: smtp.bool('tls', current.smtp.tls),
      localName: smtp.string('localName', current.smtp.localName, 255),
    },
    s3: readS3(sub(input, 's3', errors), current.s3),
    backups: {
      cron: backups.string('cron', current.backups.cron, 100),
      cronMaxKeep: backups.int('cronMaxKeep', current.backups.cronMaxKeep, { min: 1, max: 1000 }),
      s3: readS3(sub(backupsInput, 's3', errors, ['backups']), current.backups.s3),
    },
    batch: {
      enabled: batch.bool('enabled', current.batch.enabled),
      maxRequests: batch.int('maxRequests', current.batch.maxRequests, { min: 1, max: 10_000 }),
      timeout: batch.int('timeout', current.batch.timeout, { min: 1, max: 3600 }),
      maxBodySize: batch.int('maxBodySize', current.batch.maxBodySize, {
        min: 0,
        max: Number.MAX_SAFE_INTEGER,
      }),
    },
    rateLimits: {
      enabled: rate.bool('enabled', current.rateLimits.enabled),
      rules: readRateRules(rateInput.rules, current.rateLimits.rules, errors),
      excludedIPs: ipStrings(rate, 'excludedIPs'),
    },
    trustedProxy: {
      headers: headerNames(proxy),
      useLeftmostIP: proxy.bool('useLeftmostIP', current.trustedProxy.useLeftmostIP),
    },
    logs: {
      maxDays: logs.int('maxDays', current.logs.maxDays, { min: 0, max: 100_000 }),
      minLevel: logs.int('minLevel', current.logs.minLevel, { min: -100, max: 100 }),
      logIP: logs.bool('logIP', current.logs.logIP),
      logAuthId: logs.bool('logAuthId', current.logs.logAuthId),
    },
    superuserIPs: ipStrings(new OptionReader(input, errors, []), 'superuserIPs'),
    authThrottle: readAuthThrottle(input, current.authThrottle, errors),
    openapi: { public: openapi.bool('public', current.openapi.public) },
  };
}

/** Settings as the API shows them: secrets blanked. */
export function settingsToJson(settings: Settings): Settings {
  const out = structuredClone(settings);
  out.smtp.password = '';
  out.s3.secret = '';
  out.backups.s3.secret = '';
  return out;
}
