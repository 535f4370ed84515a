import type { FileField } from '../field/file-field.js';
import type { FileStorage } from './file-storage.js';
import { loadSharp } from './sharp-load.js';

/** Thumb sizes every image file field offers besides its own `thumbs` (API.md §6). */
export const DEFAULT_THUMB = '100x100';

/** The original types thumbs are made of. */
const THUMBABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** The most pixels an original may have to be thumbnailed (decompression-bomb guard). */
const MAX_INPUT_PIXELS = 50_000_000;

const SIZE_RE = /^(\d{1,4})x(\d{1,4})([tbf])?$/;

/** A thumb size: width and height (0 = keep the ratio) and how it fits. */
interface ThumbSize {
  readonly width: number;
  readonly height: number;
  readonly mode: 'center' | 'top' | 'bottom' | 'fit';
}

/** Parses `WxH`, `WxHt`, `WxHb`, `WxHf`, `0xH`, `Wx0`; undefined when it is none of them. */
export function parseThumbSize(text: string): ThumbSize | undefined {
  const m = SIZE_RE.exec(text);
  if (!m) return undefined;
  const width = Number(m[1]);
  const height = Number(m[2]);
  if (width === 0 && height === 0) return undefined;
  const flag = m[3];
  if ((width === 0 || height === 0) && flag) return undefined;
  const mode = flag === 't' ? 'top' : flag === 'b' ? 'bottom' : flag === 'f' ? 'fit' : 'center';
  return { width, height, mode };
}

/** Whether `size` may be made for a file of `field` whose content type is `contentType`. */
export function thumbAllowed(field: FileField, size: string, contentType: string): boolean {
  if (!THUMBABLE.has(contentType) || !parseThumbSize(size)) return false;
  return size === DEFAULT_THUMB || field.thumbs.includes(size);
}

async function render(original: Buffer, size: ThumbSize): Promise<Buffer> {
  const sharp = await loadSharp();
  const image = sharp(original, { limitInputPixels: MAX_INPUT_PIXELS }).rotate();
  const { width, height, mode } = size;
  if (width === 0 || height === 0) {
    image.resize({ width: width || undefined, height: height || undefined });
  } else if (mode === 'fit') {
    image.resize({ width, height, fit: 'inside' });
  } else {
    const position = mode === 'top' ? 'top' : mode === 'bottom' ? 'bottom' : 'centre';
    image.resize({ width, height, fit: 'cover', position });
  }
  return image.toBuffer();
}

async function readAll(storage: FileStorage, key: string): Promise<Buffer | undefined> {
  const stream = await storage.read(key);
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/**
 * Makes thumbs on demand and stores them beside the original; concurrent requests for one
 * thumb share a single rendering. A failure (a corrupt or oversized image) is reported as
 * false, and the caller serves the original instead.
 */
export class ThumbMaker {
  private readonly running = new Map<string, Promise<boolean>>();

  make(
    storage: FileStorage,
    originalKey: string,
    thumbKey: string,
    size: string,
    contentType: string,
  ): Promise<boolean> {
    const existing = this.running.get(thumbKey);
    if (existing) return existing;
    const job = this.render(storage, originalKey, thumbKey, size, contentType).finally(() => {
      this.running.delete(thumbKey);
    });
    this.running.set(thumbKey, job);
    return job;
  }

  private async render(
    storage: FileStorage,
    originalKey: string,
    thumbKey: string,
    size: string,
    contentType: string,
  ): Promise<boolean> {
    const parsed = parseThumbSize(size);
    const original = parsed ? await readAll(storage, originalKey) : undefined;
    if (!parsed || !original) return false;
    try {
      await storage.put(thumbKey, await render(original, parsed), contentType);
      return true;
    } catch {
      return false;
    }
  }
}
