import { DTypeError, ShapeError, ValueError } from '../tensor/errors.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { assertTensor } from '../ops/scalar.js';
import type { ImageFormat } from './decode.js';
import { encodeJpeg } from './jpeg.js';
import { encodePng } from './png.js';

/** Options of `encodeImage` and `writeImage`. */
export interface EncodeOptions {
  /** JPEG quality, 1 (smallest) to 100 (best). Default 90. Ignored for PNG. */
  quality?: number;
}

/**
 * Encodes an image tensor as PNG (lossless) or JPEG bytes. The tensor is `[H, W, C]` with
 * C = 1 (gray), 3 (RGB) or 4 (RGBA), or `[H, W]` for gray. Float values are read in [0, 1]
 * (clipped, then rounded to 8 bits); int32 values in [0, 255]. JPEG has no alpha channel and
 * stores gray as colour.
 *
 * @example
 * const bytes = nb.image.encodeImage(img, 'png');
 */
export function encodeImage(image: Tensor, format: ImageFormat, opts: EncodeOptions = {}): Uint8Array {
  return encodeImageAs('encodeImage', image, format, opts);
}

/** `encodeImage`, with errors starting with `who` (`writeImage: out.png`). */
export function encodeImageAs(who: string, image: Tensor, format: ImageFormat, opts: EncodeOptions): Uint8Array {
  assertTensor(who, image, 'image');
  const shape = image.ndim === 2 ? [...image.shape, 1] : image.shape.slice();
  const [height, width, channels] = shape as [number, number, number];
  if (shape.length !== 3 || (channels !== 1 && channels !== 3 && channels !== 4)) {
    throw new ShapeError(`${who}: expects an image [H, W, C] with 1, 3 or 4 channels (or [H, W] for gray), got shape ${fmt(image.shape)}`);
  }
  if (height === 0 || width === 0) throw new ShapeError(`${who}: the image has no pixels (shape ${fmt(image.shape)})`);
  if (image.dtype !== 'float32' && image.dtype !== 'float64' && image.dtype !== 'int32') {
    throw new DTypeError(`${who}: expects float values in [0, 1] or int32 values in [0, 255], got ${image.dtype}`);
  }
  const quality = opts.quality ?? 90;
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) throw new ValueError(`${who}: quality must be an integer from 1 to 100, got ${quality}`);
  const samples = toBytes(who, image.data(), image.dtype === 'int32' ? 1 : 255);
  if (format === 'png') return encodePng(samples, width, height, channels);
  if (format === 'jpeg') return encodeJpeg(toRgba(samples, channels), width, height, quality);
  throw new ValueError(`${who}: unknown format '${String(format)}'; use 'png' or 'jpeg'`);
}

/** Values × `scale`, rounded and clipped to bytes; NaN and ±∞ are errors, not silent black pixels. */
function toBytes(who: string, values: ArrayLike<number>, scale: number): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new ValueError(`${who}: the image holds ${v} at flat index ${i}; only finite values can be written`);
    out[i] = Math.min(255, Math.max(0, Math.round(v * scale)));
  }
  return out;
}

/** Gray, RGB or RGBA bytes → RGBA (opaque). */
function toRgba(samples: Uint8Array, channels: number): Uint8Array {
  if (channels === 4) return samples;
  const pixels = samples.length / channels;
  const out = new Uint8Array(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < 3; c++) out[4 * p + c] = samples[p * channels + (channels === 1 ? 0 : c)]!;
    out[4 * p + 3] = 255;
  }
  return out;
}
