import { isEmail } from '../../lib/text/email.js';
import { isIpOrCidr } from '../../lib/net/ip-list.js';
import { isCronExpression } from '../cron/cron-expression.js';
import type { FieldError } from '../errors.js';
import { fieldError, type ErrorCollector } from '../validation-errors.js';
import type { S3Settings, Settings } from './settings-model.js';

/** Adds an error at a key of one settings section (`['meta', 'appName']`). */
type Report = (key: string, error: FieldError) => void;

/** The rules of one section of the settings document, checked on the complete value. */
type SectionRule<K extends keyof Settings> = (value: Settings[K], report: Report) => void;

const HOST_RE =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** An IP address or a DNS name (PocketBase's `is.Host`). */
function isHost(value: string): boolean {
  return HOST_RE.test(value) || (isIpOrCidr(value) && !value.includes('/'));
}

/** An absolute http(s) URL with a host (PocketBase's `is.URL`). */
function isUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

function required(report: Report, key: string, value: string | number): boolean {
  if (value === '' || value === 0) report(key, fieldError('validation_required'));
  return value !== '' && value !== 0;
}

function checkS3(s3: S3Settings, report: Report): void {
  if (!s3.enabled) {
    if (s3.endpoint !== '' && !isUrl(s3.endpoint))
      report('endpoint', fieldError('validation_is_url'));
    return;
  }
  if (required(report, 'endpoint', s3.endpoint) && !isUrl(s3.endpoint))
    report('endpoint', fieldError('validation_is_url'));
  for (const key of ['bucket', 'region', 'accessKey', 'secret'] as const)
    required(report, key, s3[key]);
}

/** True when two rate limit rules would match the same requests (PocketBase's check). */
function conflicting(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/**
 * The rules of each section, as PocketBase validates its settings; a section without rules
 * (trustedProxy: its reader checks the header names) is simply absent. A new section adds
 * its entry here.
 */
const SECTION_RULES: { [K in keyof Settings]?: SectionRule<K> } = {
  meta(meta, report) {
    required(report, 'appName', meta.appName);
    if (required(report, 'appURL', meta.appURL) && !isUrl(meta.appURL))
      report('appURL', fieldError('validation_is_url'));
    required(report, 'senderName', meta.senderName);
    if (required(report, 'senderAddress', meta.senderAddress) && !isEmail(meta.senderAddress))
      report('senderAddress', fieldError('validation_is_email'));
  },
  smtp(smtp, report) {
    if (smtp.enabled) required(report, 'host', smtp.host);
    if (smtp.host !== '' && !isHost(smtp.host)) report('host', fieldError('validation_is_host'));
    if (smtp.localName !== '' && !isHost(smtp.localName))
      report('localName', fieldError('validation_is_host'));
  },
  s3: checkS3,
  backups(backups, report) {
    if (backups.cron !== '' && !isCronExpression(backups.cron))
      report('cron', fieldError('validation_invalid_cron'));
    checkS3(backups.s3, (key, error) => {
      report(`s3.${key}`, error);
    });
  },
  rateLimits(rateLimits, report) {
    if (rateLimits.enabled && rateLimits.rules.length === 0)
      report('rules', fieldError('validation_required'));
    const seen: string[] = [];
    rateLimits.rules.forEach((rule, i) => {
      const key = `${rule.label}@@${rule.audience}`;
      if (seen.some((other) => conflicting(key, other))) {
        const error = fieldError('validation_conflicting_rate_limit_rule', { label: rule.label });
        report(`rules.${i}.label`, error);
      }
      seen.push(key);
    });
  },
};

/**
 * Checks the complete settings document against the rules of each section, adding every
 * error at its path (`meta.appName`). Settings read from storage skip this: they were checked
 * when they were saved, and a rule added later must not stop the app from starting.
 */
export function checkSettingsRules(settings: Settings, errors: ErrorCollector): void {
  for (const section of Object.keys(SECTION_RULES) as (keyof Settings)[]) {
    const rule = SECTION_RULES[section] as SectionRule<typeof section> | undefined;
    rule?.(settings[section], (key, error) => {
      errors.add([section, ...key.split('.')], error);
    });
  }
}
