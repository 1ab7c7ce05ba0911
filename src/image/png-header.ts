/**
 * What a PNG's header says, read before decoding: the size (for the pixel limit) and, for an
 * interlaced file, a bound on its compressed data. pngjs inflates the data of an interlaced PNG
 * without a size limit, so a 1×1 image whose IDAT inflates to gigabytes of zeros (a 500 KB file
 * held 500 MB and took 12 s) would be inflated whole before anything notices.
 */
import { inflateSync } from 'node:zlib';

/** The fields of a PNG's IHDR chunk that decoding depends on. */
export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
}

/** Samples per pixel of each PNG colour type (gray, RGB, palette, gray + alpha, RGBA). */
const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Adam7's seven passes: the first column and row, and the steps between them. */
const ADAM7: readonly (readonly [number, number, number, number])[] = [
  [0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2],
];

/**
 * The IHDR of PNG bytes (the signature already checked), or null when the first chunk is not a
 * 13-byte IHDR: the decoder then says what is wrong.
 */
export function readPngHeader(bytes: Uint8Array): PngHeader | null {
  if (bytes.length < 29) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(8) !== 13 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return null;
  return { width: view.getUint32(16), height: view.getUint32(20), bitDepth: bytes[24]!, colorType: bytes[25]!, interlaced: bytes[28] === 1 };
}

/**
 * Throws when an interlaced PNG's image data inflates to more bytes than its seven passes take
 * (a filter byte per row plus the packed samples), without inflating more than that. Other
 * problems (a bad colour type, corrupt data) are left to the decoder, which names them.
 */
export function checkInterlacedData(bytes: Uint8Array, header: PngHeader): void {
  const samples = SAMPLES[header.colorType];
  if (!header.interlaced || samples === undefined) return;
  const bits = samples * header.bitDepth;
  let expected = 0;
  for (const [x0, y0, dx, dy] of ADAM7) {
    const w = Math.ceil((header.width - x0) / dx);
    const h = Math.ceil((header.height - y0) / dy);
    if (w > 0 && h > 0) expected += h * (1 + Math.ceil((w * bits) / 8));
  }
  try {
    inflateSync(imageData(bytes), { maxOutputLength: Math.max(1, expected) });
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ERR_BUFFER_TOO_LARGE') return;
    throw new Error(`the compressed image data inflates to more than the ${expected} bytes a ${header.width}×${header.height} interlaced image takes`);
  }
}

/** The IDAT chunks' data joined (the zlib stream of the pixels); stops at a chunk that runs past the end. */
function imageData(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: Uint8Array[] = [];
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = view.getUint32(at);
    const end = at + 12 + length;
    if (end > bytes.length) break;
    if (String.fromCharCode(...bytes.subarray(at + 4, at + 8)) === 'IDAT') parts.push(bytes.subarray(at + 8, at + 8 + length));
    at = end;
  }
  return Buffer.concat(parts);
}
