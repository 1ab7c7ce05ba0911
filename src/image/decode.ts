import { ValueError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { decodeJpeg, jpegFrame } from './jpeg.js';
import { checkPixels, maxPixelsOption } from './limits.js';
import { decodePng } from './png.js';
import { readPngHeader } from './png-header.js';
import type { RawImage } from './raw-image.js';

/** The image file formats nabla reads and writes. */
export type ImageFormat = 'png' | 'jpeg';

/** Options of `decodeImage` and `readImage`. */
export interface DecodeOptions {
  /**
   * Channels of the result: 1 (gray, from colour by the luma weights 0.299 R + 0.587 G + 0.114 B),
   * 3 (RGB, alpha dropped) or 4 (RGBA, opaque files get alpha 1). Default: what the file holds
   * (1 for gray, 3 for colour, 4 for a file with transparency).
   */
  channels?: 1 | 3 | 4;
  /**
   * The most pixels (width × height) to decode, read from the file's header before anything is
   * decoded; a larger image is a ValueError naming its size. Default `DEFAULT_MAX_PIXELS`
   * (8192 × 8192); `Infinity` for no limit.
   */
  maxPixels?: number;
}

const SIGNATURES: readonly { format: ImageFormat; bytes: readonly number[] }[] = [
  { format: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { format: 'jpeg', bytes: [0xff, 0xd8, 0xff] },
];

/** Formats we do not read, recognised by their first bytes so the error can say what the file is. */
const OTHER_FORMATS: readonly { name: string; test: (b: Uint8Array) => boolean }[] = [
  { name: 'BMP', test: (b) => ascii(b, 0, 2) === 'BM' },
  { name: 'GIF', test: (b) => ascii(b, 0, 4) === 'GIF8' },
  { name: 'WebP', test: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP' },
  { name: 'TIFF', test: (b) => ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*' },
  { name: 'ICO', test: (b) => b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0 },
  { name: 'SVG or other text', test: (b) => /^\s*</.test(ascii(b, 0, 64)) },
];

function ascii(b: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...b.subarray(start, end));
}

/** The format of encoded image bytes, recognised by their signature, or null. */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | null {
  for (const s of SIGNATURES) {
    if (bytes.length >= s.bytes.length && s.bytes.every((v, i) => bytes[i] === v)) return s.format;
  }
  return null;
}

/**
 * Decodes PNG or JPEG bytes (the format is recognised from the content) to a float32 tensor
 * `[H, W, C]` with values in [0, 1]. Corrupt, truncated or unsupported data raises a
 * `ValueError` that says what is wrong.
 *
 * @example
 * const img = nb.image.decodeImage(await fetchBytes(url), { channels: 3 });   // [H, W, 3]
 */
export function decodeImage(bytes: Uint8Array | ArrayBuffer, opts: DecodeOptions = {}): Tensor {
  return decodeImageAs('decodeImage', bytes, opts);
}

/**
 * `decodeImage`, with errors starting with `who` (`readImage: photo.png`); `raise` says how the
 * caller raises the pixel limit (the CLI names its flag).
 */
export function decodeImageAs(who: string, bytes: Uint8Array | ArrayBuffer, opts: DecodeOptions, raise = (n: number) => `pass { maxPixels: ${n} }`): Tensor {
  const data = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(data instanceof Uint8Array)) throw new ValueError(`${who}: expected the encoded bytes as a Uint8Array, Buffer or ArrayBuffer`);
  const channels = opts.channels;
  if (channels !== undefined && channels !== 1 && channels !== 3 && channels !== 4) {
    throw new ValueError(`${who}: channels must be 1, 3 or 4, got ${JSON.stringify(channels)}`);
  }
  const maxPixels = maxPixelsOption(who, opts.maxPixels);
  if (data.length === 0) throw new ValueError(`${who}: the file is empty`);
  const format = detectImageFormat(data);
  if (format === null) {
    const other = OTHER_FORMATS.find((f) => f.test(data));
    throw new ValueError(`${who}: unsupported format (expected PNG or JPEG${other ? `; this looks like ${other.name}` : ''})`);
  }
  // the size from the header, before the decoder allocates for every pixel
  const size = format === 'png' ? readPngHeader(data) : jpegFrame(data);
  if (size) checkPixels(who, size.width, size.height, maxPixels, raise);
  let raw: RawImage;
  try {
    raw = format === 'png' ? decodePng(data) : decodeJpeg(data, maxPixels);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new ValueError(`${who}: not a valid ${format === 'png' ? 'PNG' : 'JPEG'} (${reason})`);
  }
  if (raw.width === 0 || raw.height === 0) throw new ValueError(`${who}: the image has no pixels (${raw.width}×${raw.height})`);
  return toTensor(raw, channels ?? raw.channels);
}

/** RGBA samples in [0, max] → float32 `[H, W, channels]` in [0, 1]. */
function toTensor(raw: RawImage, channels: 1 | 3 | 4): Tensor {
  const pixels = raw.width * raw.height;
  const out = new Float32Array(pixels * channels);
  const src = raw.rgba;
  const scale = 1 / raw.max;
  for (let p = 0; p < pixels; p++) {
    const s = 4 * p;
    if (channels === 1) {
      // a gray file has R = G = B, which the weights (summing to 1) would only blur with rounding
      out[p] = raw.channels === 1 ? src[s]! / raw.max : (0.299 * src[s]! + 0.587 * src[s + 1]! + 0.114 * src[s + 2]!) * scale;
    } else {
      for (let c = 0; c < channels; c++) out[p * channels + c] = src[s + c]! / raw.max;
    }
  }
  return new Tensor(out, [raw.height, raw.width, channels]);
}
