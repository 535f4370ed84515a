import type { App } from '../core/app.js';
import type { AuthResult } from '../core/auth/auth-finish.js';
import type { AppHooks } from '../core/hooks/app-hooks.js';
import { RecordAuthRequestEvent, type AuthMethodName } from '../core/hooks/request-events.js';
import { RecordModel } from '../core/record/record.js';
import type { RecordRequest } from '../core/record/record-request.js';

const METHOD_HOOKS = {
  password: 'onRecordAuthWithPasswordRequest',
  otp: 'onRecordAuthWithOTPRequest',
  oauth2: 'onRecordAuthWithOAuth2Request',
  refresh: 'onRecordAuthRefreshRequest',
} as const satisfies Record<AuthMethodName, keyof AppHooks>;

/**
 * Runs a sign-in inside its hooks (APP-LOGIC.md §2): the method's request hook around it all
 * (the body it reads may be changed), then, once the credentials checked out,
 * onRecordAuthRequest around the answer (a throw refuses the sign-in). With no handler
 * bound, or for an unknown collection (the sign-in answers the 404), it runs alone.
 */
export async function runAuthRequest(
  app: App,
  method: AuthMethodName,
  idOrName: string,
  request: RecordRequest,
  body: unknown,
  signIn: (body: unknown) => Promise<AuthResult>,
  respond: (result: AuthResult) => Promise<unknown>,
): Promise<unknown> {
  const methodHook = app.hooks[METHOD_HOOKS[method]];
  const authHook = app.hooks.onRecordAuthRequest;
  const collection =
    methodHook.length + authHook.length === 0 ? undefined : app.collections.find(idOrName);
  if (!collection) return respond(await signIn(body));
  const event = new RecordAuthRequestEvent(app, collection, method, request, body);
  await methodHook.trigger(event, async (e) => {
    const result = await signIn(e.body);
    e.record = RecordModel.fromRow(result.collection, result.record);
    e.token = result.token;
    e.meta = result.meta;
    await authHook.trigger(e, async (signedIn) => {
      const { meta } = signedIn;
      signedIn.response = await respond({ ...result, ...(meta ? { meta } : {}) });
    });
  });
  return event.response;
}
