import type { App } from '../app.js';
import type { AuthCollection } from '../collection/collection-model.js';
import { ApiError, type ErrorCode } from '../errors.js';
import { OAuth2ProviderError, type OAuth2Stage } from '../oauth2/oauth2-errors.js';
import { configuredProvider, resolveProvider } from '../oauth2/oauth2-resolve.js';
import { fetchOAuth2User, oauth2UserMeta, type OAuth2User } from '../oauth2/oauth2-user.js';
import { withContext } from '../record/record-request.js';
import type { AuthAttempt } from './auth-attempt.js';
import { requireAuthCollection } from './auth-collection.js';
import { finishAuth, type AuthResult } from './auth-finish.js';
import { signInAccount } from './oauth2-account.js';
import { readOAuth2Form, type OAuth2Form } from './oauth2-form.js';

const STAGE_ERRORS: Record<OAuth2Stage, ErrorCode> = {
  config: 'oauth2_provider_unavailable',
  token: 'oauth2_token_failed',
  user: 'oauth2_user_failed',
};

/**
 * The provider half of the sign-in: code exchange and user lookup. Failures are logged with
 * Basalt's own reason (an HTTP status or OAuth2 error code at most) and answered with the
 * step's generic message; provider answers, tokens and secrets reach neither.
 */
async function providerUser(
  app: App,
  collection: AuthCollection,
  form: OAuth2Form,
): Promise<OAuth2User> {
  try {
    const config = configuredProvider(collection, form.provider);
    const provider = config && resolveProvider(config, { box: app.secretBox });
    if (!provider) throw new OAuth2ProviderError('config', 'the provider is not configured');
    return await fetchOAuth2User(provider, form);
  } catch (error) {
    const known = error instanceof OAuth2ProviderError;
    const stage = known ? error.stage : 'user';
    const reason = known
      ? error.reason
      : `unexpected ${error instanceof Error ? error.name : 'error'}`;
    app.logger.warn(
      { collection: collection.name, provider: form.provider, stage, reason },
      'OAuth2 sign-in failed at the provider',
    );
    throw new ApiError(STAGE_ERRORS[stage]);
  }
}

/**
 * `auth-with-oauth2` `{provider, code, codeVerifier, redirectURL, createData?}` (API.md §4):
 * exchanges the code at the provider, learns the user, finds, links or creates the record
 * (one transaction), then finishes as every sign-in does (authRule, MFA, token, login alert),
 * with the OAuth2 user and `isNew` as `meta`. The request runs as `@request.context = "oauth2"`.
 */
export async function authWithOAuth2(
  app: App,
  collectionIdOrName: string,
  body: unknown,
  attempt: AuthAttempt,
): Promise<AuthResult> {
  const collection = requireAuthCollection(app, collectionIdOrName);
  if (!collection.oauth2.enabled) throw new ApiError('oauth2_auth_disabled');
  const form = readOAuth2Form(body, collection);
  const user = await providerUser(app, collection, form);
  const request = withContext(attempt.request, 'oauth2');
  const account = await signInAccount(app, collection, form, user, request);
  const result = await finishAuth(app, collection, account.record, 'oauth2', {
    ...attempt,
    request,
  });
  return { ...result, meta: oauth2UserMeta(user, account.isNew) };
}
