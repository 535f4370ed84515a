import { OAuth2ProviderError, type OAuth2Stage } from './oauth2-errors.js';

/** How long a provider may take to answer one request. */
export const PROVIDER_TIMEOUT_MS = 15_000;
/** The largest provider answer read; a user profile is a few kilobytes. */
const MAX_BODY_BYTES = 1024 * 1024;
const OPTIONAL_MISSING = new Set([401, 403, 404]);

/** Reads a response body of at most `max` bytes; undefined (and the rest dropped) past it. */
export async function readBodyCapped(response: Response, max: number): Promise<Buffer | undefined> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > max) {
    await response.body?.cancel();
    return undefined;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader: ReadableStreamDefaultReader<Uint8Array> | undefined = response.body?.getReader();
  for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) {
    size += read.value.byteLength;
    if (size > max) {
      await reader?.cancel();
      return undefined;
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks);
}

/** Reads a response body as JSON, refusing bodies over the size limit. */
async function readJson(response: Response, stage: OAuth2Stage): Promise<unknown> {
  const body = await readBodyCapped(response, MAX_BODY_BYTES);
  if (!body) throw new OAuth2ProviderError(stage, 'the answer is too large');
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new OAuth2ProviderError(stage, 'the answer is not JSON');
  }
}

/**
 * GETs a provider's JSON API with an access token (Bearer), within the timeout and size
 * limit. `optional` lookups answer undefined when the provider refuses them (401/403/404,
 * e.g. a scope the user did not grant). Failures carry the HTTP status only.
 */
export async function fetchProviderJson(
  url: string,
  accessToken: string,
  optional = false,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        Authorization: `Bearer ${accessToken}`,
        Accept: 'application/json',
        'User-Agent': 'Basalt',
      },
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    });
  } catch {
    throw new OAuth2ProviderError('user', 'the user endpoint cannot be reached');
  }
  if (optional && OPTIONAL_MISSING.has(response.status)) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new OAuth2ProviderError('user', `the user endpoint answered ${response.status}`);
  }
  return readJson(response, 'user');
}

/** Rejects with a provider error once `ms` pass, for library calls that take no signal. */
export function withTimeout<T>(promise: Promise<T>, stage: OAuth2Stage, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new OAuth2ProviderError(stage, 'the provider did not answer in time'));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}
