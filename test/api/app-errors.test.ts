import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
} from '../../src/index.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** Errors thrown by a route, as app code will throw them from hooks and routes. */
const THROWN: Record<string, () => Error> = {
  'bad-request': () =>
    new BadRequestError('out of stock', {
      product: new ValidationError('out_of_stock', 'Not enough stock.'),
      lines: { 0: { qty: new ValidationError('too_many', 'At most 3.', { max: 3 }) } },
    }),
  'bad-request-default': () => new BadRequestError(),
  unauthorized: () => new UnauthorizedError(),
  forbidden: () => new ForbiddenError('not your order'),
  'not-found': () => new NotFoundError(),
  'too-many': () => new TooManyRequestsError(),
  teapot: () => new ApiError(418, "I'm a teapot", { pot: new ValidationError('full', 'Full.') }),
  'service-down': () => new ApiError(503, 'Payments are down.'),
  'async-rejection': () => new ForbiddenError(),
  'plain-error': () => new Error('secret internals'),
};

describe('app errors on the wire', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    t.server.get<{ Params: { kind: string } }>('/test/throw/:kind', async (request) => {
      const make = THROWN[request.params.kind];
      if (make === undefined) return { ok: true };
      if (request.params.kind === 'async-rejection') {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return Promise.reject(make());
      }
      throw make();
    });
  });

  afterAll(async () => {
    await t.close();
  });

  async function get(
    kind: string,
  ): Promise<{ status: number; body: unknown; retryAfter: unknown }> {
    const res = await t.server.inject({ method: 'GET', url: `/test/throw/${kind}` });
    return { status: res.statusCode, body: res.json(), retryAfter: res.headers['retry-after'] };
  }

  it('renders BadRequestError with its ValidationError data, message sentenized', async () => {
    expect(await get('bad-request')).toEqual({
      status: 400,
      retryAfter: undefined,
      body: {
        data: {
          product: { code: 'out_of_stock', message: 'Not enough stock.' },
          lines: { 0: { qty: { code: 'too_many', message: 'At most 3.', params: { max: 3 } } } },
        },
        message: 'Out of stock.',
        status: 400,
      },
    });
  });

  it.each([
    ['bad-request-default', 400, 'Something went wrong while processing your request.'],
    ['unauthorized', 401, 'Missing or invalid authentication.'],
    ['forbidden', 403, 'Not your order.'],
    ['not-found', 404, "The requested resource wasn't found."],
    ['too-many', 429, 'Too Many Requests.'],
    ['async-rejection', 403, 'You are not allowed to perform this request.'],
    ['service-down', 503, 'Payments are down.'],
  ])('%s -> %i %s', async (kind, status, message) => {
    const res = await get(kind);
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ data: {}, message, status });
  });

  it('renders ApiError(status, message, data) as given', async () => {
    expect((await get('teapot')).body).toEqual({
      data: { pot: { code: 'full', message: 'Full.' } },
      message: "I'm a teapot.",
      status: 418,
    });
  });

  it('an app 503 is not taken for the database being down (no Retry-After)', async () => {
    expect((await get('service-down')).retryAfter).toBeUndefined();
  });

  it('anything else is not shown to the client', async () => {
    const res = await get('plain-error');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toContain('secret');
  });
});
