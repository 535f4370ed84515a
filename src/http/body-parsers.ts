import type { FastifyInstance } from 'fastify';
import { ApiError } from '../core/errors.js';
import { jsonTextTooDeep } from '../lib/json/index.js';
import { collectFormEntries } from '../lib/text/form-values.js';

/**
 * Request bodies of API.md §0: JSON and urlencoded forms are parsed; an empty body is always
 * fine; a non-empty body of any other type answers 400 "Unsupported Content-Type.".
 */
export function registerBodyParsers(server: FastifyInstance): void {
  server.removeAllContentTypeParsers();
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    // Too deep to work with safely (see MAX_JSON_DEPTH): refused as malformed.
    if (jsonTextTooDeep(text)) {
      done(new ApiError('invalid_json_body'), undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new ApiError('invalid_json_body'), undefined);
    }
  });
  server.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (req, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      // As in PocketBase, the URL query values are merged into form bodies.
      const query = new URL(req.url, 'http://localhost').searchParams;
      done(null, collectFormEntries([...query, ...new URLSearchParams(text)]));
    },
  );
  // Nothing of another type is kept: its first byte answers 400, its end an empty body.
  server.addContentTypeParser('*', (_req, payload, done) => {
    const settle = (error: ApiError | null): void => {
      payload.off('data', onData);
      payload.off('end', onEnd);
      payload.off('error', onError);
      done(error, undefined);
    };
    const onData = (): void => {
      settle(new ApiError('unsupported_content_type'));
    };
    const onEnd = (): void => {
      settle(null);
    };
    const onError = (error: Error): void => {
      settle(error instanceof ApiError ? error : new ApiError('bad_request'));
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
  });
}
