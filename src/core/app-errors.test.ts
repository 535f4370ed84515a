import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
} from './app-errors.js';
import { ApiError, ERROR_CATALOG } from './errors.js';

describe('app errors', () => {
  it.each([
    [BadRequestError, 400, 'bad_request', 'Something went wrong while processing your request.'],
    [UnauthorizedError, 401, 'unauthorized', 'Missing or invalid authentication.'],
    [ForbiddenError, 403, 'forbidden', 'You are not allowed to perform this request.'],
    [NotFoundError, 404, 'not_found', "The requested resource wasn't found."],
    [TooManyRequestsError, 429, 'too_many_requests', 'Too Many Requests.'],
  ] as const)('%o: status %i, PocketBase default message', (ErrorClass, status, code, message) => {
    const error = new ErrorClass();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(ErrorClass.name);
    expect(error.status).toBe(status);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.data).toEqual({});
    expect(new ErrorClass('').message).toBe(message);
    const custom = new ErrorClass('custom', { f: new ValidationError('c', 'm') }, { cause: 'x' });
    expect(custom.message).toBe('custom');
    expect(custom.data).toEqual({ f: { code: 'c', message: 'm' } });
    expect(custom.cause).toBe('x');
  });

  it('ValidationError is a {code, message[, params]} value of data', () => {
    const error = new BadRequestError('Out of stock.', {
      product: new ValidationError('out_of_stock', 'Not enough stock.'),
      lines: { 0: { qty: new ValidationError('too_many', 'Max {max}.', { max: 3 }) } },
    });
    expect(JSON.parse(JSON.stringify(error.data))).toEqual({
      product: { code: 'out_of_stock', message: 'Not enough stock.' },
      lines: { 0: { qty: { code: 'too_many', message: 'Max {max}.', params: { max: 3 } } } },
    });
    expect(new ValidationError('a', 'b')).not.toBeInstanceOf(Error);
  });

  it('ApiError(status, message, data): any 4xx/5xx, default message from the catalog or HTTP', () => {
    const teapot = new ApiError(418, 'Short and stout.', {
      pot: new ValidationError('full', 'Full.'),
    });
    expect(teapot.status).toBe(418);
    expect(teapot.code).toBeUndefined();
    expect(teapot.message).toBe('Short and stout.');
    expect(teapot.data).toEqual({ pot: { code: 'full', message: 'Full.' } });
    expect(new ApiError(409).message).toBe('Conflict');
    expect(new ApiError(404).code).toBe('not_found');
    expect(new ApiError(500).message).toBe(ERROR_CATALOG.internal.message);
    expect(() => new ApiError(200)).toThrow(RangeError);
    expect(() => new ApiError(600)).toThrow(RangeError);
    expect(() => new ApiError(400.5)).toThrow(RangeError);
  });

  it('ApiError(code, data, message): the catalog form is unchanged', () => {
    const error = new ApiError('record_create_failed', { a: new ValidationError('x', 'y') });
    expect(error.status).toBe(400);
    expect(error.code).toBe('record_create_failed');
    expect(error.message).toBe('Failed to create record.');
    expect(new ApiError('forbidden', {}, 'Nope.').message).toBe('Nope.');
  });
});
