import { Busboy, type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { DEFAULT_BODY_LIMIT } from '../core/body-limits.js';
import { ApiError } from '../core/errors.js';
import type { UploadedFile } from '../core/files/uploaded-file.js';
import { jsonTextTooDeep } from '../lib/json/index.js';
import { isJsonObject } from '../lib/json-merge.js';
import { collectFormEntries } from '../lib/text/form-values.js';
import { bodyPolicyOf, type BodyPolicy } from './body-limit.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Files of a multipart body, in order; null for other bodies. */
    uploads: UploadedFile[] | null;
  }
}

/**
 * Multipart limits: part counts and text sizes (busboy cuts a part's headers at 80 KiB). The
 * text parts together may hold as much as a JSON body. The whole body is held to the route's
 * limit and each file to its own (see {@link BodyPolicy}) while it streams.
 */
const LIMITS = {
  fields: 2000,
  fieldSize: DEFAULT_BODY_LIMIT,
  files: 1000,
  parts: 3000,
};

/** A parsed multipart body: the form values (query merged in) and the files in order. */
interface MultipartForm {
  readonly body: Record<string, unknown>;
  readonly uploads: UploadedFile[];
}

function applyJsonPayloads(body: Record<string, unknown>, payloads: string[]): void {
  for (const text of payloads) {
    let parsed: unknown;
    if (jsonTextTooDeep(text)) throw new ApiError('invalid_json_body');
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiError('invalid_json_body');
    }
    if (!isJsonObject(parsed)) throw new ApiError('invalid_json_body');
    for (const [key, value] of Object.entries(parsed)) {
      Object.defineProperty(body, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
}

/** A file part being read: its chunks so far (none once it passed its limit) and its size. */
interface FilePart {
  readonly field: string;
  readonly filename: string;
  readonly mimetype: string;
  readonly limit: number;
  chunks: Buffer[];
  size: number;
}

/**
 * Reads a multipart body from `payload` with busboy. Text parts become form entries (the
 * `@jsonPayload` ones are kept apart), file parts are read into memory up to their limit; a
 * file part over it is counted but not kept (its field refuses it by its size), and a part
 * with no limit (not a file field of the route) is dropped. A body over the policy's limit,
 * or any other limit, answers 413 as soon as it is passed, malformed multipart 400; on failure
 * the rest of the body is drained, never parsed.
 */
function readMultipart(
  request: FastifyRequest,
  payload: Readable,
  policy: BodyPolicy,
): Promise<MultipartForm> {
  return new Promise((resolve, reject) => {
    let parser: BusboyInstance;
    try {
      parser = new Busboy({
        headers: request.headers as BusboyHeaders,
        limits: LIMITS,
      });
    } catch {
      // No or a malformed boundary.
      reject(new ApiError('bad_request'));
      return;
    }
    const entries: [string, string][] = [...new URL(request.url, 'http://localhost').searchParams];
    const payloads: string[] = [];
    const files: FilePart[] = [];
    let textBytes = 0;
    let bodyBytes = 0;
    let reading = 0;
    let parsed = false;
    let sawData = false;
    let failed = false;

    const fail = (error: ApiError): void => {
      if (failed) return;
      failed = true;
      payload.unpipe(parser);
      payload.off('data', count);
      payload.resume();
      reject(error);
    };
    const settle = (): void => {
      if (failed || !parsed || reading > 0) return;
      try {
        const body = collectFormEntries(entries);
        applyJsonPayloads(body, payloads);
        resolve({
          body,
          uploads: files.map(({ field, filename, mimetype, chunks, size, limit }) => ({
            field,
            filename,
            mimetype,
            data: Buffer.concat(chunks),
            ...(size > limit ? { size } : {}),
          })),
        });
      } catch (error) {
        fail(error instanceof ApiError ? error : new ApiError('bad_request'));
      }
    };
    const tooLarge = (): void => {
      fail(new ApiError('too_large'));
    };
    const count = (chunk: Buffer): void => {
      sawData = true;
      bodyBytes += chunk.length;
      if (bodyBytes > policy.limit) tooLarge();
    };

    parser.on('field', (name, value, _nameTruncated, valueTruncated) => {
      textBytes += Buffer.byteLength(value);
      if (valueTruncated || textBytes > DEFAULT_BODY_LIMIT) {
        tooLarge();
        return;
      }
      if (name === '@jsonPayload') payloads.push(value);
      else entries.push([name, value]);
    });
    parser.on('file', (field, stream, filename, _encoding, mimetype) => {
      const limit = policy.fileLimit(field);
      if (limit <= 0) {
        stream.resume();
        return;
      }
      const part: FilePart = { field, filename, mimetype, limit, chunks: [], size: 0 };
      files.push(part);
      reading++;
      stream.on('data', (chunk: Buffer) => {
        part.size += chunk.length;
        if (part.size <= limit) part.chunks.push(chunk);
        else part.chunks = [];
      });
      stream.on('error', () => {
        fail(new ApiError('bad_request'));
      });
      stream.on('end', () => {
        reading--;
        settle();
      });
    });
    parser.on('partsLimit', tooLarge);
    parser.on('filesLimit', tooLarge);
    parser.on('fieldsLimit', tooLarge);
    parser.on('error', () => {
      // An empty body is an empty form, not truncated multipart data.
      if (sawData) fail(new ApiError('bad_request'));
      else {
        parsed = true;
        settle();
      }
    });
    parser.on('finish', () => {
      parsed = true;
      settle();
    });
    payload.on('data', count);
    payload.on('error', (error) => {
      fail(error instanceof ApiError ? error : new ApiError('bad_request'));
    });
    payload.pipe(parser);
  });
}

/**
 * Multipart bodies (API.md §0) as a body parser, so other requests pay nothing for them: text
 * parts are type-inferred (repeated keys become arrays), each `@jsonPayload` part is a JSON
 * object applied over them in order, the URL query values are merged in as PocketBase does,
 * and file parts are collected in `request.uploads` under the request's body policy.
 */
export function registerMultipart(server: FastifyInstance): void {
  server.decorateRequest('uploads', null);
  server.addContentTypeParser('multipart/form-data', (request, payload, done) => {
    readMultipart(request, payload, bodyPolicyOf(request)).then(
      (form) => {
        request.uploads = form.uploads;
        done(null, form.body);
      },
      (error: unknown) => {
        done(error instanceof Error ? error : new ApiError('bad_request'), undefined);
      },
    );
  });
}
