import type { App } from '../app.js';
import { isSuperuser, type AuthContext } from '../auth/auth-context.js';
import type { Collection } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import type { Settings } from '../settings/settings-model.js';
import { ipList } from '../../lib/net/ip-list.js';
import type { RateLimitTag } from './rate-limit-label.js';
import { RateLimitRules } from './rate-limit-rules.js';
import { FixedWindowLimiter } from './rate-limit-window.js';

/** What the rate limiter needs to know about a request. */
export interface RateLimitedRequest {
  readonly method: string;
  /** The URL path, without the query string. */
  readonly path: string;
  /** The client IP (http/client-ip.ts). */
  readonly ip: string;
  readonly auth: AuthContext | undefined;
  /** The collection a collection route names, with the route's tags (most specific first). */
  readonly collection?: Pick<Collection, 'id' | 'name'> | undefined;
  readonly tags?: readonly RateLimitTag[] | undefined;
  /** Labels of the route itself (a custom route's `rateLimit`), checked first. */
  readonly labels?: readonly string[] | undefined;
}

interface LimiterState {
  readonly rules: RateLimitRules;
  readonly limiter: FixedWindowLimiter;
}

// Keyed by the settings' rateLimits object, which every settings change replaces: new rules
// get new counters, as when PocketBase reloads its settings.
const states = new WeakMap<Settings['rateLimits'], LimiterState>();

function stateOf(rateLimits: Settings['rateLimits']): LimiterState {
  let state = states.get(rateLimits);
  if (!state) {
    state = { rules: new RateLimitRules(rateLimits.rules), limiter: new FixedWindowLimiter() };
    states.set(rateLimits, state);
  }
  return state;
}

/** The labels a request may match, most specific first (API.md §7). */
function labelsOf(request: RateLimitedRequest): string[] {
  const { collection, tags = [] } = request;
  const labels: string[] = request.labels ? [...request.labels] : [];
  if (collection) for (const tag of tags) labels.push(`${collection.name}:${tag}`);
  if (collection) for (const tag of tags) labels.push(`*:${tag}`);
  labels.push(`${request.method} ${request.path}`, request.path);
  return labels;
}

/**
 * Counts a request against the rule that applies to it and throws 429 "Too Many Requests."
 * when the rule's window is used up. Nothing is counted when rate limiting is off, for
 * superusers and for `excludedIPs`. Counters are per rule (a `*:tag` rule per collection)
 * and per client IP.
 */
export function checkRateLimit(app: App, request: RateLimitedRequest): void {
  const { rateLimits } = app.settings.peek();
  // Read before isSuperuser, whose type guard narrows `auth` to undefined when false.
  const signedIn = request.auth !== undefined;
  if (!rateLimits.enabled || isSuperuser(request.auth) || request.ip === '') return;
  if (rateLimits.excludedIPs.length > 0 && ipList(rateLimits.excludedIPs).has(request.ip)) return;
  const { rules, limiter } = stateOf(rateLimits);
  const rule = rules.find(labelsOf(request), signedIn);
  if (!rule) return;
  const scope = rule.label.startsWith('*:') ? (request.collection?.id ?? '') : '';
  const key = `${rule.label}\n${rule.audience}\n${scope}\n${request.ip}`;
  if (!limiter.consume(key, rule.maxRequests, rule.duration)) {
    throw new ApiError('too_many_requests');
  }
}
