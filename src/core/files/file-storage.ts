import type { Readable } from 'node:stream';

/** What a stored object is, as downloads need it (Content-Length, Last-Modified, ETag). */
export interface StoredObjectInfo {
  readonly size: number;
  readonly modified: Date;
  /** The content type given when it was written. */
  readonly contentType: string;
}

/** An inclusive byte range, as an HTTP Range header names one (`bytes=start-end`). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Where uploaded files live (API.md §6): keys are `<collectionId>/<recordId>/<filename>`
 * (thumbs under `<collectionId>/<recordId>/thumbs_<filename>/<size>_<filename>`), always
 * produced by Basalt itself from validated names, never from raw client text. Every driver
 * passes the one contract suite (test/files/storage-contract.ts).
 */
export interface FileStorage {
  /** Writes (or replaces) an object; it is readable once the promise resolves. */
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** Object facts, or undefined when there is no such object. */
  stat(key: string): Promise<StoredObjectInfo | undefined>;
  /**
   * A stream of the object, or of the inclusive byte `range` of it (already checked against
   * the size by the caller); undefined when there is no such object.
   */
  read(key: string, range?: ByteRange): Promise<Readable | undefined>;
  /** Deletes an object; deleting a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Deletes every object whose key starts with `prefix` (a record's or collection's folder). */
  deletePrefix(prefix: string): Promise<void>;
  /** Releases connections and handles. */
  close(): Promise<void>;
}
