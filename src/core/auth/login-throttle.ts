import { clientNetworkOf } from '../../lib/net/ip-subnet.js';
import { ApiError } from '../errors.js';
import { FixedWindowLimiter } from '../rate-limit/rate-limit-window.js';
import type { AuthThrottleSettings } from '../settings/settings-model.js';

/** Keys kept per counter: a flood of distinct identities or IPs cannot grow memory past it. */
const MAX_KEYS = 50_000;

/** Called once an admitted attempt's credentials proved right. */
export type OnSignedIn = () => void;

const NOTHING: OnSignedIn = () => undefined;

/** What a sign-in attempt is counted against. */
export interface ThrottledAttempt {
  /** The client IP. */
  readonly ip: string;
  /** The auth collection and the identity text tried; absent when the attempt names none. */
  readonly identity?: { readonly collectionId: string; readonly text: string };
}

/**
 * Failed sign-in throttling (settings `authThrottle`, a Basalt addition): attempts are counted
 * per identity (collection and identity text, lower-cased, whether or not an account has it,
 * so a 429 tells nothing about accounts) and per client IP (an IPv6 client per /64) in fixed
 * windows, BEFORE the password check, so concurrent guesses cannot slip past the limit and a
 * refused one costs no argon2. A success gives the IP its attempt back and clears the identity's count; failures
 * stay counted until the window ends. In memory, per process; one per App.
 */
export class LoginThrottle {
  private readonly identities: FixedWindowLimiter;
  private readonly ips: FixedWindowLimiter;

  constructor(now: () => number = Date.now) {
    this.identities = new FixedWindowLimiter(MAX_KEYS, now);
    this.ips = new FixedWindowLimiter(MAX_KEYS, now);
  }

  /**
   * Counts an attempt, or throws 429 when its IP or identity has no failure left in the
   * window. Returns what to call when the credentials turn out right.
   */
  admit(settings: Readonly<AuthThrottleSettings>, attempt: ThrottledAttempt): OnSignedIn {
    if (!settings.enabled) return NOTHING;
    const { ip, identity } = attempt;
    const ipKey = clientNetworkOf(ip);
    if (!this.ips.consume(ipKey, settings.maxFailuresPerIP, settings.windowSeconds)) {
      throw new ApiError('too_many_requests');
    }
    if (!identity) {
      return () => {
        this.ips.refund(ipKey);
      };
    }
    const identityKey = `${identity.collectionId}\0${identity.text.toLowerCase()}`;
    const { maxFailuresPerIdentity, windowSeconds } = settings;
    if (!this.identities.consume(identityKey, maxFailuresPerIdentity, windowSeconds)) {
      this.ips.refund(ipKey);
      throw new ApiError('too_many_requests');
    }
    return () => {
      this.ips.refund(ipKey);
      this.identities.reset(identityKey);
    };
  }
}
