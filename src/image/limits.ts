/**
 * The pixel limit of image decoding. A PNG or JPEG says its size in a few header bytes, and
 * decoding then allocates for every pixel whatever the file's size: a 140 KB PNG of 12000×12000
 * took 3.4 GB and 18 s. So the size is read from the header first and refused above the limit.
 */
import { ValueError } from '../tensor/errors.js';

/**
 * The default most pixels (width × height) an image may have to be decoded: 8192 × 8192 ≈ 67
 * megapixels. It is above every common camera (60 MP full-frame, 50 MP phone modes) and near
 * Pillow's 89 MP and jpeg-js' 100 MP; at the limit an RGB image is already a 768 MB float32
 * tensor, and decoding it takes about twice that. Raise it with the `maxPixels` option.
 */
export const DEFAULT_MAX_PIXELS = 8192 * 8192;

/** `maxPixels` as given (default `DEFAULT_MAX_PIXELS`), checked: a positive integer, or Infinity for no limit. */
export function maxPixelsOption(who: string, value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_PIXELS;
  if (typeof value !== 'number' || !(value === Infinity || (Number.isInteger(value) && value > 0))) {
    throw new ValueError(`${who}: maxPixels must be a positive integer (or Infinity for no limit), got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

/**
 * Throws a ValueError when a `width`×`height` image has more pixels than `maxPixels`, naming the
 * size, the limit and `raise`, the way to raise it (`pass { maxPixels: N }`).
 */
export function checkPixels(who: string, width: number, height: number, maxPixels: number, raise: (needed: number) => string): void {
  const pixels = width * height;
  if (pixels <= maxPixels) return;
  // megapixels where they read better than a count: `(144.0 megapixels)`
  const mp = (n: number) => (n >= 1e6 ? ` (${(n / 1e6).toFixed(1)} megapixels)` : '');
  throw new ValueError(
    `${who}: the image is ${width}×${height}${mp(pixels)}, more than the limit of ${maxPixels.toLocaleString('en-US')} pixels${mp(maxPixels)}, ` +
      `which keeps a small file from taking gigabytes as it is decoded; if you trust the file, ${raise(pixels)}`,
  );
}
