import { SUPERUSERS, type AuthCollection } from '../collection/collection-model.js';
import {
  jsonContent,
  schemaRef,
  type JsonSchema,
  type OpenApiOperation,
  type OpenApiPathItem,
} from '../../lib/openapi/openapi-model.js';
import {
  EXPAND_PARAM,
  FIELDS_PARAM,
  NO_CONTENT,
  REQUIRED_AUTH,
  SHARED,
  errorResponse,
  errors,
  okResponse,
  pathParam,
  superuserOperation,
} from './openapi-common.js';
import type { CollectionNames } from './openapi-names.js';

const STRING: JsonSchema = { type: 'string' };
const SECRET: JsonSchema = { type: 'string', writeOnly: true };

function object(properties: Record<string, JsonSchema>, required: readonly string[]): JsonSchema {
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

/** The schemas the auth endpoints of every collection share. */
export function authSharedSchemas(): Record<string, JsonSchema> {
  const enabled = { type: 'boolean' };
  const duration = { type: 'integer', description: 'Seconds.' };
  const provider = object(
    {
      name: STRING,
      displayName: STRING,
      state: STRING,
      authURL: STRING,
      authUrl: STRING,
      codeVerifier: STRING,
      codeChallenge: STRING,
      codeChallengeMethod: STRING,
    },
    ['name', 'displayName', 'state', 'authURL', 'codeVerifier', 'codeChallenge'],
  );
  return {
    [SHARED.authMethods]: object(
      {
        password: object({ enabled, identityFields: { type: 'array', items: STRING } }, [
          'enabled',
          'identityFields',
        ]),
        oauth2: object({ enabled, providers: { type: 'array', items: provider } }, [
          'enabled',
          'providers',
        ]),
        mfa: object({ enabled, duration }, ['enabled', 'duration']),
        otp: object({ enabled, duration }, ['enabled', 'duration']),
        authProviders: {
          type: ['array', 'null'],
          items: provider,
          deprecated: true,
          description: 'Legacy: the OAuth2 providers, null when OAuth2 is off.',
        },
        usernamePassword: { type: 'boolean', deprecated: true },
        emailPassword: { type: 'boolean', deprecated: true },
      },
      ['password', 'oauth2', 'mfa', 'otp'],
    ),
    [SHARED.oauth2Meta]: {
      type: 'object',
      description: 'The OAuth2 user (auth-with-oauth2 only).',
      properties: {
        id: STRING,
        name: STRING,
        username: STRING,
        email: STRING,
        avatarURL: STRING,
        accessToken: STRING,
        refreshToken: STRING,
        expiry: STRING,
        rawUser: { type: 'object', additionalProperties: true },
        isNew: { type: 'boolean' },
      },
      additionalProperties: true,
    },
  };
}

/** A sign-in answer: the auth response, or MFA's 401 `{mfaId}`. */
function signIn(names: CollectionNames): OpenApiOperation['responses'] {
  return {
    '200': okResponse(schemaRef(names.auth), 'The token and the record.'),
    '401': {
      description: 'MFA required: sign in with another method, passing `mfaId`.',
      content: jsonContent(schemaRef(SHARED.mfaRequired)),
    },
    ...errors(400, 403, 429),
  };
}

function body(schema: JsonSchema): OpenApiOperation['requestBody'] {
  return { required: true, content: jsonContent(schema) };
}

const MFA_ID: Record<string, JsonSchema> = {
  mfaId: { type: 'string', description: 'The MFA session of a first sign-in.' },
};

/**
 * The auth endpoints of an auth collection (API.md §4), those its options enable: auth
 * methods, password, OTP and OAuth2 sign-in (when enabled and `authRule` is not null),
 * refresh, password reset, verification and email change requests and confirms (not for
 * `_superusers`), and superusers' impersonation (superuser documents only).
 */
export function authPaths(
  collection: AuthCollection,
  names: CollectionNames,
  superuser: boolean,
): Record<string, OpenApiPathItem> {
  const base = `/api/collections/${collection.name}`;
  const tags = [collection.name];
  const op = names.operationPrefix;
  const withRecord = [EXPAND_PARAM, FIELDS_PARAM];
  const paths: Record<string, OpenApiPathItem> = {};
  const post = (path: string, operation: Omit<OpenApiOperation, 'tags'>): void => {
    paths[`${base}/${path}`] = { post: { ...operation, tags } };
  };
  paths[`${base}/auth-methods`] = {
    get: {
      operationId: `${op}authMethods`,
      summary: 'The enabled auth methods',
      tags,
      parameters: [FIELDS_PARAM],
      responses: { '200': okResponse(schemaRef(SHARED.authMethods)), ...errors(404) },
    },
  };
  const canSignIn = collection.authRule !== null;
  if (canSignIn && collection.passwordAuth.enabled) {
    post('auth-with-password', {
      operationId: `${op}authWithPassword`,
      summary: 'Sign in with a password',
      parameters: withRecord,
      requestBody: body(
        object(
          {
            identity: { type: 'string', description: 'A value of an identity field.' },
            password: SECRET,
            identityField: { type: 'string', enum: collection.passwordAuth.identityFields },
            ...MFA_ID,
          },
          ['identity', 'password'],
        ),
      ),
      responses: signIn(names),
    });
  }
  if (canSignIn) {
    post('auth-refresh', {
      operationId: `${op}authRefresh`,
      summary: 'A new token for the signed-in record',
      parameters: withRecord,
      security: REQUIRED_AUTH,
      responses: {
        '200': okResponse(schemaRef(names.auth), 'The token and the record.'),
        ...errors(401, 403, 404),
      },
    });
  }
  if (canSignIn && collection.otp.enabled) {
    post('request-otp', {
      operationId: `${op}requestOtp`,
      summary: 'Send a one-time password by email',
      requestBody: body(object({ email: STRING }, ['email'])),
      responses: {
        '200': okResponse(object({ otpId: STRING }, ['otpId'])),
        ...errors(400, 403, 429),
      },
    });
    post('auth-with-otp', {
      operationId: `${op}authWithOtp`,
      summary: 'Sign in with a one-time password',
      parameters: withRecord,
      requestBody: body(
        object({ otpId: STRING, password: SECRET, ...MFA_ID }, ['otpId', 'password']),
      ),
      responses: signIn(names),
    });
  }
  if (canSignIn && collection.oauth2.enabled) {
    post('auth-with-oauth2', {
      operationId: `${op}authWithOAuth2`,
      summary: 'Sign in with an OAuth2 authorization code',
      parameters: withRecord,
      requestBody: body(
        object(
          {
            provider: { type: 'string', enum: collection.oauth2.providers.map((p) => p.name) },
            code: STRING,
            codeVerifier: STRING,
            redirectURL: STRING,
            createData: { type: 'object', additionalProperties: true },
            ...MFA_ID,
          },
          ['provider', 'code', 'redirectURL'],
        ),
      ),
      responses: signIn(names),
    });
  }
  const done = { '204': NO_CONTENT, ...errors(400) };
  if (collection.passwordAuth.enabled) {
    post('request-password-reset', {
      operationId: `${op}requestPasswordReset`,
      summary: 'Email a password reset link',
      requestBody: body(object({ email: STRING }, ['email'])),
      responses: { ...done, ...errors(429) },
    });
    post('confirm-password-reset', {
      operationId: `${op}confirmPasswordReset`,
      summary: 'Set a new password with a reset token',
      requestBody: body(
        object({ token: STRING, password: SECRET, passwordConfirm: SECRET }, [
          'token',
          'password',
          'passwordConfirm',
        ]),
      ),
      responses: done,
    });
  }
  if (collection.id !== SUPERUSERS.id) {
    post('request-verification', {
      operationId: `${op}requestVerification`,
      summary: 'Email a verification link',
      requestBody: body(object({ email: STRING }, ['email'])),
      responses: { ...done, ...errors(429) },
    });
    post('confirm-verification', {
      operationId: `${op}confirmVerification`,
      summary: 'Verify an email with a verification token',
      requestBody: body(object({ token: STRING }, ['token'])),
      responses: done,
    });
    post('request-email-change', {
      operationId: `${op}requestEmailChange`,
      summary: "Email a link to change the signed-in record's email",
      security: REQUIRED_AUTH,
      requestBody: body(object({ newEmail: STRING }, ['newEmail'])),
      responses: { ...done, ...errors(401, 403) },
    });
    post('confirm-email-change', {
      operationId: `${op}confirmEmailChange`,
      summary: 'Change the email with an email change token',
      requestBody: body(object({ token: STRING, password: SECRET }, ['token', 'password'])),
      responses: done,
    });
  }
  if (superuser) {
    paths[`${base}/impersonate/{id}`] = {
      post: superuserOperation({
        operationId: `${op}impersonate`,
        summary: 'A non-refreshable token of another record (superusers)',
        tags,
        parameters: [pathParam('id', 'The record id.'), ...withRecord],
        requestBody: {
          content: jsonContent(
            object({ duration: { type: 'integer', description: 'Seconds; 0 = default.' } }, []),
          ),
        },
        responses: {
          '200': okResponse(schemaRef(names.auth)),
          '404': errorResponse('No such record.'),
          ...errors(400),
        },
      }),
    };
  }
  return paths;
}
