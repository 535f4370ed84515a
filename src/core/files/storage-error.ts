/** Plain words for the S3 error codes a misconfiguration produces. */
const S3_REASONS: Readonly<Record<string, string>> = {
  InvalidAccessKeyId: 'the S3 server does not know the access key',
  SignatureDoesNotMatch: 'the S3 server refused the secret (signature mismatch)',
  AccessDenied: 'the S3 server denied access',
  NoSuchBucket: 'the bucket does not exist',
  InvalidBucketName: 'the bucket name is invalid',
  PermanentRedirect: 'the bucket is in another region or needs another endpoint',
  AuthorizationHeaderMalformed: 'the S3 server refused the request signature (check the region)',
};

/** Plain words for network error codes (Node's), when the server cannot be reached. */
const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'could not connect to the S3 endpoint',
  ECONNRESET: 'the connection to the S3 endpoint was reset',
  ENOTFOUND: 'the S3 endpoint host name could not be resolved',
  EAI_AGAIN: 'the S3 endpoint host name could not be resolved',
  ETIMEDOUT: 'the S3 endpoint did not answer in time',
  TimeoutError: 'the S3 endpoint did not answer in time',
};

/** An identifier-like code, or undefined (anything else may carry server text). */
function safeCode(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z][A-Za-z0-9_.]{0,63}$/.test(value)
    ? value
    : undefined;
}

function fieldOf(error: unknown, field: string): unknown {
  return typeof error === 'object' && error !== null && field in error
    ? (error as Record<string, unknown>)[field]
    : undefined;
}

/** The safe reason of a driver's error: codes and status only, never the raw message. */
function reasonOf(error: unknown): string {
  const metadata = fieldOf(error, '$metadata');
  const status = fieldOf(metadata, 'httpStatusCode');
  const name = safeCode(fieldOf(error, 'name'));
  if (typeof status === 'number' && name !== undefined) {
    return `${S3_REASONS[name] ?? name} (HTTP ${status})`;
  }
  const code = safeCode(fieldOf(error, 'code')) ?? name;
  if (code !== undefined && NETWORK_REASONS[code] !== undefined) return NETWORK_REASONS[code];
  if (typeof status === 'number') return `HTTP ${status}`;
  return code === undefined || code === 'Error' ? 'unexpected error' : code;
}

/**
 * A storage operation that failed. The message is safe to log and to show a superuser: it
 * names the operation and the error's code (S3's, or Node's network code), never the raw
 * message, request or response, which may carry endpoints, keys or signatures.
 */
export class StorageError extends Error {
  constructor(
    readonly operation: string,
    readonly reason: string,
  ) {
    super(`Storage ${operation} failed: ${reason}.`);
    this.name = 'StorageError';
  }
}

/** Wraps a driver error (or, with `detail`, a failure the driver found itself). */
export function storageError(operation: string, error: unknown, detail?: string): StorageError {
  return new StorageError(operation, detail ?? reasonOf(error));
}
