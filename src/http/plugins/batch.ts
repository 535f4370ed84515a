import type { FastifyPluginAsync } from 'fastify';
import type { App } from '../../core/app.js';
import { enabledBatchSettings, runBatch } from '../../core/batch/batch-run.js';
import { batchBodyLimit } from '../../core/body-limits.js';
import { maxUploadSize } from '../../core/files/upload-limit.js';
import { RequestEvent } from '../../core/hooks/request-events.js';
import { limitedBody } from '../body-limit.js';
import { recordRequestOf } from '../record-request.js';

/**
 * `POST /api/batch` (API.md §7): transactional record writes. Before the body is read, a
 * disabled batch answers 403 and the limit is `batch.maxBodySize` (0: 128 MiB); a file may
 * be as large as the largest file field allows (its sub-request's collection is not known
 * while the body streams; its own field refuses it later).
 */
export function batchPlugin(app: App): FastifyPluginAsync {
  return async (server) => {
    server.post('/api/batch', {
      config: { recordAccess: true },
      ...limitedBody(() => {
        enabledBatchSettings(app);
        const fileLimit = maxUploadSize(app);
        return { limit: batchBodyLimit(app.settings.peek()), fileLimit: () => fileLimit };
      }),
      handler: async (request) => {
        const hook = app.hooks.onBatchRequest;
        const uploads = request.uploads ?? [];
        if (hook.length === 0) return runBatch(app, request.body, request.auth, uploads);
        const event = new RequestEvent(app, recordRequestOf(request), request.body);
        await hook.trigger(event, async (e) => {
          e.response = await runBatch(app, e.body, request.auth, uploads);
        });
        return event.response;
      },
    });
  };
}
