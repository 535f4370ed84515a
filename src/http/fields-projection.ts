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

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function fieldsParam(query: unknown): string | undefined {
  if (typeof query !== 'object' || query === null || !('fields' in query)) return undefined;
  const value: unknown = query.fields;
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first.trim() !== '' ? first : undefined;
}

/** The response body with the projection applied: list results item by item. */
function project(payload: unknown, projection: FieldsProjection): unknown {
  return isListResult(payload)
    ? applyToListResult(payload, projection)
    : applyFieldsProjection(payload, projection);
}

/**
 * The generic `fields` query param (API.md §0): parsed before the handler runs (a bad value
 * answers 400 before anything is written) and applied to every 2xx JSON body, to each item
 * of list results. Error bodies are never projected.
 */
export function registerFieldsProjection(server: FastifyInstance): void {
  // A callback hook, and the projection is this reply's own serializer: requests without
  // `fields` cost no promise and no serialization hook.
  server.addHook('preValidation', (request, reply, done) => {
    const text = fieldsParam(request.query);
    if (text === undefined) {
      done();
      return;
    }
    let projection: FieldsProjection;
    try {
      projection = parseFieldsParam(text);
    } catch (error) {
      done(
        error instanceof FieldsParamError
          ? new ApiError('bad_request', {}, error.message)
          : toError(error),
      );
      return;
    }
    reply.serializer((payload: unknown) =>
      JSON.stringify(reply.statusCode >= 300 ? payload : project(payload, projection)),
    );
    done();
  });
}
