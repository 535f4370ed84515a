import type { RecordRequest } from '../record/record-request.js';

/** The ways to prove an identity; MFA needs two different ones (API.md §4). */
export type AuthMethod = 'password' | 'otp' | 'oauth2';

/**
 * A sign-in attempt as the steps after a successful credential check see it: the request (its
 * current auth, headers and query for rules), where it comes from (login origins), and the MFA
 * session it continues, if any.
 */
export interface AuthAttempt {
  readonly request: RecordRequest;
  /** The client IP as the trusted-proxy settings resolve it. */
  readonly ip: string;
  readonly userAgent: string;
  /** The `mfaId` of the body or query; '' when none. */
  readonly mfaId: string;
}
