import { DTypeError, ShapeError, ValueError } from '../tensor/errors.js';
import { allocate, isFloat } from '../tensor/dtype.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { add, mul } from '../ops/binary.js';
import { gather } from '../ops/indexing.js';
import { reshape } from '../ops/movement.js';
import { assertTensor } from '../ops/scalar.js';
import { checkInterpolation, type Interpolation } from './sample.js';

/** Options of `resize`. */
export interface ResizeOptions {
  /** `'bilinear'` (default) or `'nearest'`. */
  method?: Interpolation;
}

/**
 * Resizes images `[H, W, C]` or `[N, H, W, C]` (float) to `[h, w]`.
 *
 * Pixel centres are aligned as in `tf.image.resize` and PyTorch's `interpolate(align_corners=False)`:
 * output pixel `j` reads the input at `(j + ½)·in/out − ½`, clamped to the image. Bilinear
 * interpolation weighs the two nearest pixels along each axis; nearest picks the pixel whose
 * cell holds that point. There is no anti-aliasing, so shrink in steps of at most 2× for smooth
 * results. Differentiable with respect to the image.
 *
 * @example
 * nb.image.resize(img, [224, 224])                          // [H, W, 3] → [224, 224, 3]
 * nb.image.resize(batch, [14, 14], { method: 'nearest' })   // [N, 28, 28, 1] → [N, 14, 14, 1]
 */
export function resize(image: Tensor, size: readonly number[], opts: ResizeOptions = {}): Tensor {
  assertTensor('resize', image, 'image');
  if (image.ndim !== 3 && image.ndim !== 4) {
    throw new ShapeError(`resize: expects an image [H, W, C] or a batch [N, H, W, C], got shape ${fmt(image.shape)}`);
  }
  if (!isFloat(image.dtype)) throw new DTypeError(`resize: expects a float image, got ${image.dtype}; cast it with image.cast('float32')`);
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValueError(`resize: size must be [height, width] of positive integers, got ${JSON.stringify(size)}`);
  }
  const method = checkInterpolation('resize', opts.method ?? 'bilinear');
  const hAxis = image.ndim - 3;
  const resized = resizeAxis(image, hAxis, size[0]!, method);
  return resizeAxis(resized, hAxis + 1, size[1]!, method);
}

/** Resamples one axis of `x` to `outSize` points (the separable half of `resize`). */
function resizeAxis(x: Tensor, axis: number, outSize: number, method: Interpolation): Tensor {
  const inSize = x.shape[axis]!;
  if (inSize === outSize) return x;
  const scale = inSize / outSize;
  // a weight per output position, broadcast over the axes after `axis`
  const weightShape = [outSize, ...x.shape.slice(axis + 1).map(() => 1)];
  if (method === 'nearest') {
    const index = new Int32Array(outSize);
    for (let j = 0; j < outSize; j++) index[j] = Math.min(inSize - 1, Math.floor((j + 0.5) * scale));
    return gather(x, new Tensor(index, [outSize]), axis);
  }
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const wLo = allocate(x.dtype, outSize);
  const wHi = allocate(x.dtype, outSize);
  for (let j = 0; j < outSize; j++) {
    const src = Math.min(inSize - 1, Math.max(0, (j + 0.5) * scale - 0.5));
    const i0 = Math.floor(src);
    const f = src - i0;
    lo[j] = i0;
    hi[j] = Math.min(inSize - 1, i0 + 1);
    wLo[j] = 1 - f;
    wHi[j] = f;
  }
  const a = mul(gather(x, new Tensor(lo, [outSize]), axis), reshape(new Tensor(wLo, [outSize]), weightShape));
  const b = mul(gather(x, new Tensor(hi, [outSize]), axis), reshape(new Tensor(wHi, [outSize]), weightShape));
  return add(a, b);
}
