/** A file part of a request body, read into memory, as the client named and typed it. */
export interface UploadedFile {
  /** The body key it came under: `field`, `field+` or `+field`. */
  readonly field: string;
  /** The client's file name (untrusted; only used to derive the stored name). */
  readonly filename: string;
  /** The client's content type (untrusted; the content is sniffed instead). */
  readonly mimetype: string;
  readonly data: Buffer;
  /**
   * The part's size in the body when it is larger than `data`: a part over its field's
   * `maxSize` is counted while it streams but not kept, and is refused by its size.
   */
  readonly size?: number;
}

/** An upload's size in the request body. */
export function uploadSize(upload: Pick<UploadedFile, 'data' | 'size'>): number {
  return upload.size ?? upload.data.length;
}
