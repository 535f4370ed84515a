import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../core/app.js';
import { deliverOAuth2Callback, type OAuth2Callback } from '../../core/realtime/oauth2-redirect.js';
import { isJsonObject } from '../../lib/json-merge.js';
import { clientIp } from '../client-ip.js';
import { openEventStream } from '../realtime-stream.js';
import { recordRequestOf } from '../record-request.js';
import { RequestEvent } from '../../core/hooks/request-events.js';

function ipOf(app: App, request: FastifyRequest): string {
  return clientIp(request, app.settings.peek().trustedProxy);
}

function textParam(source: unknown, key: string): string {
  if (!isJsonObject(source)) return '';
  const value: unknown = source[key];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

/** The callback's `state`, `code` and `error`: from the body of a POST, else the query. */
function oauth2Callback(request: FastifyRequest): OAuth2Callback {
  const read = (key: string) =>
    (request.method === 'POST' ? textParam(request.body, key) : '') ||
    textParam(request.query, key);
  return { state: read('state'), code: read('code'), error: read('error') };
}

/**
 * No admin UI is bundled, so instead of redirecting to its success or failure page (API.md
 * §4) the handler answers a small page of its own (docs/compatibility.md).
 */
function oauth2Page(reply: FastifyReply, ok: boolean): FastifyReply {
  const text = ok
    ? 'Authentication completed. You can close this window and go back to the app.'
    : 'Authentication failed. You can close this window and try again from the app.';
  return reply
    .status(200)
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html><head><meta charset="utf-8"><title>OAuth2</title></head><body><p>${text}</p></body></html>`,
    );
}

/** Realtime (API.md §5): the SSE stream, the subscription POST and the OAuth2 redirect. */
export function realtimePlugin(app: App): FastifyPluginAsync {
  return async (server) => {
    server.get('/api/realtime', { exposeHeadRoute: false }, (request, reply) => {
      const channel = openEventStream(reply);
      if (!channel) return;
      const client = app.realtime.connect(channel, ipOf(app, request));
      reply.raw.once('close', () => {
        app.realtime.disconnect(client);
      });
    });

    server.post('/api/realtime', async (request, reply) => {
      const hook = app.hooks.onRealtimeSubscribeRequest;
      if (hook.length === 0) {
        app.realtime.subscribe(request.body, request.auth, ipOf(app, request));
      } else {
        const event = new RequestEvent(app, recordRequestOf(request), request.body);
        await hook.trigger(event, (e) => {
          app.realtime.subscribe(e.body, request.auth, ipOf(app, request));
        });
      }
      return reply.status(204).send();
    });

    server.route({
      method: ['GET', 'POST'],
      url: '/api/oauth2-redirect',
      handler: async (request, reply) => {
        const ok = deliverOAuth2Callback(app.realtime, oauth2Callback(request), ipOf(app, request));
        return oauth2Page(reply, ok);
      },
    });
  };
}
