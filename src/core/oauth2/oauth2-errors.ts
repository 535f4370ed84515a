/** The step of an OAuth2 sign-in that failed. */
export type OAuth2Stage = 'config' | 'token' | 'user';

/**
 * A provider-side failure. `reason` is Basalt's own short text plus at most an HTTP status or
 * a standard OAuth2 error code (`invalid_grant`), never a provider's response body, a token or
 * a secret, so it is safe to log; clients only ever see the stage's generic message.
 */
export class OAuth2ProviderError extends Error {
  constructor(
    readonly stage: OAuth2Stage,
    readonly reason: string,
  ) {
    super(`OAuth2 ${stage} step failed: ${reason}`);
    this.name = 'OAuth2ProviderError';
  }
}
