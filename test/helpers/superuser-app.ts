import { afterEach, beforeEach } from 'vitest';
import { ApiClient } from './api-client.js';
import { createTestApp, superuserToken, type TestApp } from './test-app.js';

/** A test's app and a superuser client of it, replaced before each test. */
export interface SuperuserApp {
  t: TestApp;
  su: ApiClient;
}

/**
 * Registers hooks that open a fresh app with a superuser client before each test and close
 * it after; read `t` and `su` from the returned object inside the tests.
 */
export function useSuperuserApp(): SuperuserApp {
  const ctx = {} as SuperuserApp;
  beforeEach(async () => {
    ctx.t = await createTestApp();
    ctx.su = new ApiClient(ctx.t.server, await superuserToken(ctx.t));
  });
  afterEach(async () => {
    await ctx.t.close();
  });
  return ctx;
}
