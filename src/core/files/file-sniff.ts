import { lazyModule } from '../../lib/lazy-module.js';

/** file-type, loaded with the first upload. */
const loadFileType = lazyModule(() => import('file-type'));

/** How much of a file the text heuristics look at. */
const TEXT_SAMPLE = 8192;

/** Whether text has C0 controls other than tab and line breaks (\t \n \v \f \r), or DEL. */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && (code < 0x09 || code > 0x0d)) || code === 0x7f) return true;
  }
  return false;
}

/** True when the sample decodes as UTF-8 text without control characters (tabs, breaks aside). */
function looksLikeText(sample: Buffer): boolean {
  if (sample.includes(0)) return false;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(sample);
  // U+FFFD marks bytes that were not valid UTF-8 (a cut-off last character is tolerated).
  const invalid = text.slice(0, -1).includes('\uFFFD');
  return !invalid && !hasControl(text);
}

function textType(sample: Buffer): string {
  const text = sample
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text)) {
    return 'image/svg+xml';
  }
  if (/^(<!DOCTYPE html|<html[\s>])/i.test(text)) return 'text/html';
  if (/^<\?xml/i.test(text)) return 'application/xml';
  if (/^[[{]/.test(text)) {
    try {
      JSON.parse(sample.toString('utf8'));
      return 'application/json';
    } catch {
      // Not (complete) JSON: plain text.
    }
  }
  return 'text/plain';
}

/**
 * The MIME type of a file from its content, never from the client's claim or the name:
 * magic numbers (file-type), else text heuristics (SVG, HTML, XML, JSON, plain text), else
 * `application/octet-stream`. SVG and HTML are recognised so that a field allowing only
 * raster images cannot be handed a script-carrying document under an image name.
 */
export async function sniffMimeType(data: Buffer): Promise<string> {
  const { fileTypeFromBuffer } = await loadFileType();
  const detected = await fileTypeFromBuffer(data);
  if (detected) return detected.mime;
  const sample = data.subarray(0, TEXT_SAMPLE);
  if (data.length === 0) return 'application/octet-stream';
  return looksLikeText(sample) ? textType(sample) : 'application/octet-stream';
}
