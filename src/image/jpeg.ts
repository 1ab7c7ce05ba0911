import jpeg from 'jpeg-js';
import type { RawImage } from './raw-image.js';

/**
 * Decodes JPEG bytes (baseline or progressive; gray, colour or CMYK) to RGBA samples in
 * [0, 255]. Throws jpeg-js' error on a damaged file, with a note when the file ends early.
 */
export function decodeJpeg(bytes: Uint8Array): RawImage {
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, tolerantDecoding: false });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new Error(hasEndMarker(bytes) ? reason : `${reason}; the file ends without an end-of-image marker, so it is probably truncated`);
  }
  return { width: decoded.width, height: decoded.height, rgba: decoded.data, max: 255, channels: frameComponents(bytes) === 1 ? 1 : 3 };
}

/** Encodes 8-bit RGBA samples (alpha ignored) as a baseline JPEG of `quality` 1–100. */
export function encodeJpeg(rgba: Uint8Array, width: number, height: number, quality: number): Uint8Array {
  return jpeg.encode({ width, height, data: rgba }, quality).data;
}

/** Whether an end-of-image marker (FF D9) closes the data (trailing padding allowed). */
function hasEndMarker(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 2; i >= Math.max(2, bytes.length - 4096); i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  }
  return false;
}

/** The number of colour components in the frame header (1 for a gray JPEG), or 0 if none is found. */
function frameComponents(bytes: Uint8Array): number {
  let pos = 2; // after the start-of-image marker
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) return 0;
    const marker = bytes[pos + 1]!;
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      pos += 2; // markers without a length
      continue;
    }
    // start-of-frame markers: C0–CF except C4 (Huffman tables), C8 (reserved) and CC (arithmetic tables)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return bytes[pos + 9] ?? 0;
    }
    if (marker === 0xda) return 0; // start of scan: no frame header before it
    pos += 2 + ((bytes[pos + 2]! << 8) | bytes[pos + 3]!);
  }
  return 0;
}
