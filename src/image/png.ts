import { PNG, type ColorType } from 'pngjs';
import type { RawImage } from './raw-image.js';
import { checkInterlacedData, readPngHeader } from './png-header.js';

/**
 * Decodes PNG bytes (every colour type and bit depth, interlaced or not) to RGBA samples at
 * full precision (16-bit files keep their 16 bits). Throws pngjs' error on a damaged file, and
 * an error of our own on an interlaced file whose data inflates past its size (png-header.ts).
 */
export function decodePng(bytes: Uint8Array): RawImage {
  const header = readPngHeader(bytes);
  if (header) checkInterlacedData(bytes, header);
  let png: ReturnType<typeof PNG.sync.read>;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { skipRescale: true });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    // pngjs reports running out of data as pending reads on a finished stream
    throw new Error(/finished stream/.test(reason) ? 'the data ends early, so the file is probably truncated' : reason);
  }
  // palette entries are 8-bit RGBA; other samples span [0, 2^depth − 1] (pngjs gives opaque alpha that value too)
  const max = png.palette ? 255 : 2 ** png.depth - 1;
  const channels = png.alpha ? 4 : png.color ? 3 : 1;
  return { width: png.width, height: png.height, rgba: png.data, max, channels };
}

const COLOR_TYPE: Record<1 | 3 | 4, ColorType> = { 1: 0, 3: 2, 4: 6 };

/** Encodes 8-bit samples (`channels` per pixel: gray, RGB or RGBA) as a PNG file. */
export function encodePng(samples: Uint8Array, width: number, height: number, channels: 1 | 3 | 4): Uint8Array {
  const png = new PNG({ width, height });
  png.data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const colorType = COLOR_TYPE[channels];
  // the input already has the output's layout, so pngjs packs it without converting
  return PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: channels === 4 });
}
