/** A file part of a request body, read into memory, as the client named and typed it. */
export interface UploadedFile {
  /** The body key it came under: `field`, `field+` or `+field`. */
  readonly field: string;
  /** The client's file name (untrusted; only used to derive the stored name). */
  readonly filename: string;
  /** The client's content type (untrusted; the content is sniffed instead). */
  readonly mimetype: string;
  readonly data: Buffer;
}
