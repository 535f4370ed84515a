import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../core/app.js';
import { confirmEmailChange, requestEmailChange } from '../../core/auth/email-change.js';
import { confirmPasswordReset, requestPasswordReset } from '../../core/auth/password-reset.js';
import { confirmVerification, requestVerification } from '../../core/auth/verification.js';
import type { RateLimitTag } from '../../core/rate-limit/rate-limit-label.js';
import type { AuthContext } from '../../core/auth/auth-context.js';

const CollectionParam = Type.Object({ collection: Type.String({ maxLength: 255 }) });

type Flow = (
  app: App,
  collection: string,
  body: unknown,
  auth: AuthContext | undefined,
) => Promise<void>;

/** Each account route, its rate-limit tag, and the core flow it runs (API.md §4). */
const FLOWS: readonly (readonly [string, RateLimitTag, Flow])[] = [
  ['request-verification', 'requestVerification', (a, c, b) => requestVerification(a, c, b)],
  ['confirm-verification', 'confirmVerification', (a, c, b) => confirmVerification(a, c, b)],
  ['request-password-reset', 'requestPasswordReset', (a, c, b) => requestPasswordReset(a, c, b)],
  ['confirm-password-reset', 'confirmPasswordReset', (a, c, b) => confirmPasswordReset(a, c, b)],
  [
    'request-email-change',
    'requestEmailChange',
    (a, c, b, auth) => requestEmailChange(a, c, auth, b),
  ],
  ['confirm-email-change', 'confirmEmailChange', (a, c, b) => confirmEmailChange(a, c, b)],
];

/**
 * The account flows of auth collections (API.md §4): email verification, password reset and
 * email change. Every route answers 204 with no body on success.
 */
export function accountFlowsPlugin(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    for (const [path, tag, flow] of FLOWS) {
      server.post(
        `/api/collections/:collection/${path}`,
        {
          schema: { params: CollectionParam },
          config: { rateLimitTags: [tag], collectionContext: true, recordAccess: true },
        },
        async (request, reply) => {
          await flow(app, request.params.collection, request.body, request.auth);
          return reply.code(204).send();
        },
      );
    }
  };
}
