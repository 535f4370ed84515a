import type { FastifyRequest } from 'fastify';
import type { App } from '../core/app.js';
import { recordBodyLimit } from '../core/body-limits.js';
import { fileMaxSize } from '../core/files/upload-limit.js';
import { uploadField } from '../core/record/record-uploads.js';
import { checkWriteBeforeBody, type WriteAction } from '../core/record/record-write-gate.js';
import type { BodyPolicy } from './body-limit.js';
import { recordRequestOf } from './record-request.js';
import { collectionParam } from './request-guard.js';

/**
 * The body policy of a record create or update, decided before the body is read: core refuses
 * what needs no body (unknown collection 404, null rule 403, a rule false for this requester
 * whatever the body), the limit follows the collection's fields (API.md §0), and each file is
 * kept up to its own field's `maxSize` (parts under other keys are not kept at all).
 */
export function recordBodyPolicy(
  app: App,
  request: FastifyRequest,
  action: WriteAction,
): BodyPolicy {
  const collection = checkWriteBeforeBody(
    app,
    collectionParam(request.params) ?? '',
    action,
    recordRequestOf(request),
  );
  return {
    limit: recordBodyLimit(collection),
    fileLimit: (key) => {
      const field = uploadField(collection, key);
      return field ? fileMaxSize(field) : 0;
    },
  };
}
