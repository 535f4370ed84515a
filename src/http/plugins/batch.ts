import type { FastifyPluginAsync } from 'fastify';
import type { App } from '../../core/app.js';
import { runBatch } from '../../core/batch/batch-run.js';
import { ApiError } from '../../core/errors.js';

/** The largest batch body: `batch.maxBodySize` 0 stands for 128 MiB (API.md §7). */
const BATCH_BODY_CEILING = 128 * 1024 * 1024;

/** `POST /api/batch` (API.md §7): transactional record writes. */
export function batchPlugin(app: App): FastifyPluginAsync {
  return async (server) => {
    server.post('/api/batch', {
      bodyLimit: BATCH_BODY_CEILING,
      config: { recordAccess: true },
      onRequest: async (request) => {
        const limit = app.settings.get().batch.maxBodySize;
        const length = Number(request.headers['content-length'] ?? 0);
        if (limit > 0 && length > limit) throw new ApiError('too_large');
      },
      handler: async (request) => runBatch(app, request.body, request.auth, request.uploads ?? []),
    });
  };
}
