import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../core/app.js';
import { listAuthMethods } from '../../core/auth/auth-methods.js';
import { authRefresh } from '../../core/auth/auth-refresh.js';
import type { AuthAttempt } from '../../core/auth/auth-attempt.js';
import type { AuthResult } from '../../core/auth/auth-finish.js';
import type { AuthMethodName } from '../../core/hooks/request-events.js';
import { authResponse } from '../../core/auth/auth-response.js';
import { impersonate } from '../../core/auth/impersonate.js';
import { authWithOAuth2 } from '../../core/auth/oauth2-auth.js';
import { authWithOtp, requestOtp } from '../../core/auth/otp.js';
import { authWithPassword } from '../../core/auth/password-auth.js';
import type { RateLimitTag } from '../../core/rate-limit/rate-limit-label.js';
import { authAttemptOf } from '../auth-attempt.js';
import { runAuthRequest } from '../auth-request-hook.js';
import { recordRequestOf } from '../record-request.js';

const CollectionParam = Type.Object({ collection: Type.String({ maxLength: 255 }) });
const RecordParams = Type.Object({
  collection: Type.String({ maxLength: 255 }),
  recordId: Type.String({ maxLength: 255 }),
});
const ExpandQuery = Type.Object({
  expand: Type.Optional(Type.String()),
  fields: Type.Optional(Type.String()),
});

type SignIn = (
  app: App,
  collection: string,
  body: unknown,
  attempt: AuthAttempt,
) => Promise<AuthResult>;

/** The sign-in routes, their rate-limit tags (each also `auth`), hook name and core method. */
const SIGN_INS: readonly (readonly [string, RateLimitTag, AuthMethodName, SignIn])[] = [
  ['auth-with-password', 'authWithPassword', 'password', authWithPassword],
  ['auth-with-oauth2', 'authWithOAuth2', 'oauth2', authWithOAuth2],
  ['auth-with-otp', 'authWithOTP', 'otp', authWithOtp],
];

/**
 * Auth routes of auth collections (API.md §4): the public list of auth methods, password,
 * OAuth2 and OTP sign-in, OTP requests, token refresh and impersonation (superusers only, no
 * rate-limit tag, so only path rules apply).
 */
export function recordAuthPlugin(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.get(
      '/api/collections/:collection/auth-methods',
      {
        schema: { params: CollectionParam },
        config: { rateLimitTags: ['listAuthMethods'], collectionContext: true, recordAccess: true },
      },
      async (request) => listAuthMethods(app, request.params.collection),
    );
    for (const [path, tag, method, signIn] of SIGN_INS) {
      server.post(
        `/api/collections/:collection/${path}`,
        {
          schema: { params: CollectionParam, querystring: ExpandQuery },
          config: { rateLimitTags: [tag, 'auth'], collectionContext: true, recordAccess: true },
        },
        async (request) => {
          const rr = recordRequestOf(request);
          const name = request.params.collection;
          return runAuthRequest(
            app,
            method,
            name,
            rr,
            request.body,
            (body) => signIn(app, name, body, authAttemptOf(app, request)),
            (result) => authResponse(app, result, rr, request.query.expand),
          );
        },
      );
    }
    server.post(
      '/api/collections/:collection/request-otp',
      {
        schema: { params: CollectionParam },
        config: { rateLimitTags: ['requestOTP'], collectionContext: true, recordAccess: true },
      },
      async (request) => requestOtp(app, request.params.collection, request.body),
    );
    server.post(
      '/api/collections/:collection/auth-refresh',
      {
        schema: { params: CollectionParam, querystring: ExpandQuery },
        config: { rateLimitTags: ['authRefresh'], collectionContext: true, recordAccess: true },
      },
      async (request) => {
        const rr = recordRequestOf(request);
        const name = request.params.collection;
        return runAuthRequest(
          app,
          'refresh',
          name,
          rr,
          request.body,
          () => authRefresh(app, name, rr),
          (result) => authResponse(app, result, rr, request.query.expand),
        );
      },
    );
    server.post(
      '/api/collections/:collection/impersonate/:recordId',
      {
        schema: { params: RecordParams, querystring: ExpandQuery },
        config: { recordAccess: true },
      },
      async (request) =>
        authResponse(
          app,
          await impersonate(
            app,
            request.params.collection,
            request.params.recordId,
            request.body,
            request.auth,
          ),
          recordRequestOf(request),
          request.query.expand,
        ),
    );
  };
}
