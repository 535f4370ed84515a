import type { FastifyInstance } from 'fastify';
import { ApiError } from '../core/errors.js';
import {
  applyFieldsProjection,
  applyToListResult,
  FieldsParamError,
  isListResult,
  parseFieldsParam,
  type FieldsProjection,
} from '../lib/json/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The parsed `fields` query param; null when absent. */
    fieldsProjection: FieldsProjection | null;
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function fieldsParam(query: unknown): string | undefined {
  if (typeof query !== 'object' || query === null || !('fields' in query)) return undefined;
  const value: unknown = query.fields;
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() !== '' ? first : undefined;
}

/**
 * The generic `fields` query param (API.md §0): parsed before the handler runs (a bad value
 * answers 400 before anything is written) and applied to every 2xx JSON body, to each item
 * of list results. Error bodies are never projected.
 */
export function registerFieldsProjection(server: FastifyInstance): void {
  server.decorateRequest('fieldsProjection', null);
  // Callback hooks: requests without `fields` pass through without a promise.
  server.addHook('preValidation', (request, _reply, done) => {
    const text = fieldsParam(request.query);
    if (text === undefined) {
      done();
      return;
    }
    try {
      request.fieldsProjection = parseFieldsParam(text);
      done();
    } catch (error) {
      done(
        error instanceof FieldsParamError
          ? new ApiError('bad_request', {}, error.message)
          : toError(error),
      );
    }
  });
  server.addHook('preSerialization', (request, reply, payload: unknown, done) => {
    const projection = request.fieldsProjection;
    if (!projection || reply.statusCode >= 300) {
      done(null, payload);
      return;
    }
    done(
      null,
      isListResult(payload)
        ? applyToListResult(payload, projection)
        : applyFieldsProjection(payload, projection),
    );
  });
}
