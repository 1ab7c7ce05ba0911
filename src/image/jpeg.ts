import jpeg from 'jpeg-js';
import type { RawImage } from './raw-image.js';

/**
 * Bytes jpeg-js may allocate per pixel: up to 4 components, each held as 32-bit coefficients and
 * then 8-bit samples, the interleaved samples and the RGBA output (4·(4 + 1) + 4 + 4).
 */
const JPEG_BYTES_PER_PIXEL = 28;
/** Pixels of padding jpeg-js may add: blocks are padded to whole MCUs of up to 32×32 on sides of up to 65535. */
const JPEG_PADDING_PIXELS = 32 * 2 * 65535 + 32 * 32;

/**
 * Decodes JPEG bytes (baseline or progressive; gray, colour or CMYK) to RGBA samples in
 * [0, 255]. Throws jpeg-js' error on a damaged file, with a note when the file ends early.
 * jpeg-js is given `maxPixels` as its own resolution limit (it checks every frame) and a memory
 * limit that an image of that size fits in, so that the pixel limit alone decides.
 */
export function decodeJpeg(bytes: Uint8Array, maxPixels: number): RawImage {
  let decoded: { width: number; height: number; data: Uint8Array };
  const maxMemoryUsageInMB = Math.max(512, Math.ceil((JPEG_BYTES_PER_PIXEL * (maxPixels + JPEG_PADDING_PIXELS)) / 2 ** 20));
  try {
    decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, tolerantDecoding: false, maxResolutionInMP: maxPixels / 1e6, maxMemoryUsageInMB });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new Error(hasEndMarker(bytes) ? reason : `${reason}; the file ends without an end-of-image marker, so it is probably truncated`);
  }
  return { width: decoded.width, height: decoded.height, rgba: decoded.data, max: 255, channels: jpegFrame(bytes)?.components === 1 ? 1 : 3 };
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

/** What a JPEG's frame header says: its size and number of colour components (1 for gray). */
export interface JpegFrame {
  width: number;
  height: number;
  components: number;
}

/** The first frame header (start-of-frame segment) of JPEG bytes, or null if none comes before the scan data. */
export function jpegFrame(bytes: Uint8Array): JpegFrame | null {
  let pos = 2; // after the start-of-image marker
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) return null;
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
      // FF Cn, length (2), precision (1), height (2), width (2), components (1)
      if (pos + 10 > bytes.length) return null;
      return { height: (bytes[pos + 5]! << 8) | bytes[pos + 6]!, width: (bytes[pos + 7]! << 8) | bytes[pos + 8]!, components: bytes[pos + 9]! };
    }
    if (marker === 0xda) return null; // start of scan: no frame header before it
    pos += 2 + ((bytes[pos + 2]! << 8) | bytes[pos + 3]!);
  }
  return null;
}
