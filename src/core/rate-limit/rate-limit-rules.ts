import type { Settings } from '../settings/settings-model.js';
import { isPrefixLabel } from './rate-limit-label.js';

/** One rate limit rule of the settings. */
export type RateLimitRule = Settings['rateLimits']['rules'][number];

/** The audiences a guest's and a signed-in request's rules may have. */
const GUEST_AUDIENCES = ['', '@guest'];
const AUTH_AUDIENCES = ['', '@auth'];

/**
 * The rules compiled for lookup: exact labels in a map, prefixes longest first. A lookup goes
 * through the request's labels from the most specific (`users:create`, `*:create`,
 * `POST /path`, `/path`) and stops at the first label that a rule matches, exactly or (path
 * labels) by prefix, with an audience that fits the request.
 */
export class RateLimitRules {
  private readonly exact = new Map<string, RateLimitRule[]>();
  private readonly prefixes: RateLimitRule[];

  constructor(rules: readonly RateLimitRule[]) {
    const prefixes: RateLimitRule[] = [];
    for (const rule of rules) {
      if (isPrefixLabel(rule.label)) prefixes.push(rule);
      else this.exact.set(rule.label, [...(this.exact.get(rule.label) ?? []), rule]);
    }
    // The longest (most specific) prefix wins; the sort is stable, so list order breaks ties.
    this.prefixes = prefixes.sort((a, b) => b.label.length - a.label.length);
  }

  /** The rule for the first of `labels` that has one, for a guest or a signed-in request. */
  find(labels: readonly string[], signedIn: boolean): RateLimitRule | undefined {
    const audiences = signedIn ? AUTH_AUDIENCES : GUEST_AUDIENCES;
    for (const label of labels) {
      const exact = this.exact.get(label)?.find((r) => audiences.includes(r.audience));
      if (exact) return exact;
      if (!label.includes('/')) continue;
      const withSlash = `${label}/`;
      const prefix = this.prefixes.find(
        (r) => withSlash.startsWith(r.label) && audiences.includes(r.audience),
      );
      if (prefix) return prefix;
    }
    return undefined;
  }
}
