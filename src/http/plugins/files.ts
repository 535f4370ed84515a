import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../core/app.js';
import { issueFileToken } from '../../core/auth/auth-token.js';
import { ApiError } from '../../core/errors.js';
import { resolveDownload, type FileDownload } from '../../core/files/file-download.js';
import { parseRange } from '../byte-range.js';
import { recordRequestOf } from '../record-request.js';
import { FileDownloadRequestEvent } from '../../core/hooks/request-events.js';

const FileParams = Type.Object({
  collection: Type.String({ maxLength: 255 }),
  recordId: Type.String({ maxLength: 255 }),
  filename: Type.String({ maxLength: 512 }),
});
const FileQuery = Type.Object({
  thumb: Type.Optional(Type.String({ maxLength: 20 })),
  download: Type.Optional(Type.String({ maxLength: 10 })),
  token: Type.Optional(Type.String({ maxLength: 4096 })),
});

/** Types a browser may show inline; everything else is an attachment (API.md §6). */
const INLINE_TYPES = new Set([
  'image/png',
  'image/jpg',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/x-icon',
  'image/bmp',
  'video/webm',
  'video/mp4',
  'video/3gpp',
  'video/quicktime',
  'video/x-ms-wmv',
  'audio/basic',
  'audio/aiff',
  'audio/mpeg',
  'audio/midi',
  'audio/mp3',
  'audio/wave',
  'audio/wav',
  'audio/x-wav',
  'audio/x-mpeg',
  'audio/x-m4a',
  'audio/aac',
  'application/pdf',
  'application/x-pdf',
]);

const SANDBOX_CSP = "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox";
const PUBLIC_CACHE = 'max-age=2592000, stale-while-revalidate=86400';

/** Go's strconv.ParseBool truths, as PocketBase reads `download`. */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value);
}

/** `inline|attachment; filename=...`, the name quoted or percent-encoded as it needs. */
function disposition(file: FileDownload, attachment: boolean): string {
  const kind = attachment || !INLINE_TYPES.has(file.info.contentType) ? 'attachment' : 'inline';
  if (/^[A-Za-z0-9_.-]+$/.test(file.filename)) return `${kind}; filename=${file.filename}`;
  return `${kind}; filename*=UTF-8''${encodeURIComponent(file.filename)}`;
}

function entityTag(file: FileDownload): string {
  return `W/"${file.info.size.toString(16)}-${file.info.modified.getTime().toString(16)}"`;
}

/** True when the client's cached copy is current (If-None-Match, else If-Modified-Since). */
function notModified(request: FastifyRequest, etag: string, modified: Date): boolean {
  const match = request.headers['if-none-match'];
  if (match !== undefined)
    return match.split(',').some((t) => t.trim() === etag || t.trim() === '*');
  const since = Date.parse(request.headers['if-modified-since'] ?? '');
  return !Number.isNaN(since) && Math.floor(modified.getTime() / 1000) * 1000 <= since;
}

async function sendFile(
  app: App,
  request: FastifyRequest,
  reply: FastifyReply,
  file: FileDownload,
  attachment: boolean,
): Promise<FastifyReply> {
  const { info } = file;
  const etag = entityTag(file);
  reply.removeHeader('x-frame-options');
  void reply.headers({
    'content-type': info.contentType,
    'content-disposition': disposition(file, attachment),
    'content-security-policy': SANDBOX_CSP,
    'cache-control': file.protected ? `private, ${PUBLIC_CACHE}` : PUBLIC_CACHE,
    'accept-ranges': 'bytes',
    'last-modified': info.modified.toUTCString(),
    etag,
  });
  if (notModified(request, etag, info.modified)) return reply.code(304).send();
  const ifRange = request.headers['if-range'];
  const wanted =
    ifRange === undefined || ifRange === etag
      ? parseRange(request.headers.range, info.size)
      : undefined;
  if (wanted?.kind === 'unsatisfiable') {
    void reply.header('content-range', `bytes */${info.size}`);
    return reply.code(416).send();
  }
  const range = wanted?.kind === 'range' ? wanted.range : undefined;
  const length = range ? range.end - range.start + 1 : info.size;
  void reply.header('content-length', length);
  if (range) {
    void reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${info.size}`);
  }
  if (request.method === 'HEAD') return reply.send();
  const stream = await app.fileStorage().read(file.key, range);
  if (!stream) throw new ApiError('not_found');
  return reply.send(stream);
}

/** File downloads and file tokens (API.md §6). */
export function filesPlugin(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.route({
      method: ['GET', 'HEAD'],
      url: '/api/files/:collection/:recordId/:filename',
      schema: { params: FileParams, querystring: FileQuery },
      config: { rateLimitTags: ['file'], recordAccess: true },
      handler: async (request, reply) => {
        const file = await resolveDownload(app, {
          collection: request.params.collection,
          recordId: request.params.recordId,
          filename: request.params.filename,
          thumb: request.query.thumb ?? '',
          token: request.query.token ?? '',
        });
        const hook = app.hooks.onFileDownloadRequest;
        const attachment = isTrue(request.query.download);
        if (hook.length === 0) return sendFile(app, request, reply, file, attachment);
        const event = new FileDownloadRequestEvent(
          app,
          file.collection,
          request.params.recordId,
          request.params.filename,
          request.query.thumb ?? '',
          recordRequestOf(request),
          file.filename,
        );
        await hook.trigger(event, async (e) => {
          await sendFile(app, request, reply, { ...file, filename: e.servedName }, attachment);
        });
        return reply;
      },
    });
    server.post('/api/files/token', async (request) => {
      const auth = request.auth;
      if (!auth) throw new ApiError('auth_required');
      return { token: issueFileToken(auth.collection, auth.record) };
    });
  };
}
