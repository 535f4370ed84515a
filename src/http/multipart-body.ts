import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { App } from '../core/app.js';
import { ApiError } from '../core/errors.js';
import { maxUploadSize } from '../core/files/upload-limit.js';
import type { UploadedFile } from '../core/files/uploaded-file.js';
import { isJsonObject } from '../lib/json-merge.js';
import { collectFormEntries } from '../lib/text/form-values.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Files of a multipart body, in order; null for other bodies. */
    uploads: UploadedFile[] | null;
  }
}

/**
 * Multipart limits: parts and text sizes. Each field's own `maxSize` is checked by the
 * records layer; here a file larger than every file field allows is cut off while it
 * streams (413), so no request can make the server buffer more than that.
 */
const LIMITS = {
  fields: 2000,
  fieldSize: 32 * 1024 * 1024,
  files: 1000,
  parts: 3000,
};

function applyJsonPayloads(body: Record<string, unknown>, payloads: string[]): void {
  for (const text of payloads) {
    let parsed: unknown;
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

async function readMultipart(request: FastifyRequest, fileSize: number): Promise<void> {
  const entries: [string, string][] = [...new URL(request.url, 'http://localhost').searchParams];
  const payloads: string[] = [];
  const uploads: UploadedFile[] = [];
  for await (const part of request.parts({ limits: { ...LIMITS, fileSize } })) {
    if (part.type === 'file') {
      uploads.push({
        field: part.fieldname,
        filename: part.filename,
        mimetype: part.mimetype,
        data: await part.toBuffer(),
      });
    } else if (part.fieldname === '@jsonPayload') {
      payloads.push(String(part.value));
    } else {
      entries.push([part.fieldname, String(part.value)]);
    }
  }
  const body = collectFormEntries(entries);
  applyJsonPayloads(body, payloads);
  request.body = body;
  request.uploads = uploads;
}

/**
 * Multipart bodies (API.md §0): text parts are type-inferred (repeated keys become arrays),
 * each `@jsonPayload` part is a JSON object applied over them in order, the URL query values
 * are merged in as PocketBase does, and file parts are collected in `request.uploads`.
 */
export async function registerMultipart(server: FastifyInstance, app: App): Promise<void> {
  await server.register(multipart, { limits: LIMITS, throwFileSizeLimit: true });
  server.decorateRequest('uploads', null);
  // A callback hook: the common non-multipart request passes without a promise.
  server.addHook('preValidation', (request, _reply, done) => {
    if (!request.isMultipart()) {
      done();
      return;
    }
    readMultipart(request, maxUploadSize(app)).then(() => {
      done();
    }, done);
  });
}
