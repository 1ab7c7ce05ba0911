/**
 * Resampling images at computed source coordinates: the engine under `resize` and the geometric
 * augmentation layers (flip, translation, rotation, zoom).
 *
 * The coordinates and interpolation weights are plain numbers computed in loops (they are not
 * differentiated). When the image requires gradients, the pixels are read with one `gather`
 * (so gradients flow back to the image); otherwise a plain loop reads them, with no graph.
 */
import { DTypeError, ShapeError, ValueError } from '../tensor/errors.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { allocate, isFloat, type TypedArray } from '../tensor/dtype.js';
import { isGradEnabled } from '../tensor/grad-mode.js';
import { add, mul } from '../ops/binary.js';
import { gather } from '../ops/indexing.js';
import { reshape } from '../ops/movement.js';
import { sum } from '../ops/reduce.js';
import { assertTensor } from '../ops/scalar.js';

/**
 * How points outside the image are filled (Keras' names), shown for a row `a b c d`:
 * - `'constant'`: `k k k k | a b c d | k k k k` with `k = fillValue`
 * - `'reflect'`: `d c b a | a b c d | d c b a` (reflected about the edge of the last pixel)
 * - `'nearest'`: `a a a a | a b c d | d d d d`
 * - `'wrap'`: `a b c d | a b c d | a b c d`
 */
export type FillMode = 'constant' | 'reflect' | 'nearest' | 'wrap';

/** How a point between pixel centres is read: weighted from the 4 nearest pixels, or the nearest one. */
export type Interpolation = 'bilinear' | 'nearest';

/** Every `FillMode`, for validation and error messages. */
export const FILL_MODES: readonly FillMode[] = ['constant', 'reflect', 'nearest', 'wrap'];
/** Every `Interpolation`. */
export const INTERPOLATIONS: readonly Interpolation[] = ['bilinear', 'nearest'];

/** Checks a fill mode option, naming `who` in the error. */
export function checkFillMode(who: string, mode: unknown): FillMode {
  if (!FILL_MODES.includes(mode as FillMode)) {
    throw new ValueError(`${who}: fillMode must be one of ${FILL_MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(mode)}`);
  }
  return mode as FillMode;
}

/** Checks an interpolation option, naming `who` in the error. */
export function checkInterpolation(who: string, method: unknown): Interpolation {
  if (!INTERPOLATIONS.includes(method as Interpolation)) {
    throw new ValueError(`${who}: interpolation must be 'bilinear' or 'nearest', got ${JSON.stringify(method)}`);
  }
  return method as Interpolation;
}

/** The pixel index that integer coordinate `i` reads along an axis of size `n`, or -1 for the fill value. */
export function fillIndex(i: number, n: number, mode: FillMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case 'constant':
      return -1;
    case 'nearest':
      return i < 0 ? 0 : n - 1;
    case 'wrap':
      return ((i % n) + n) % n;
    case 'reflect': {
      const m = ((i % (2 * n)) + 2 * n) % (2 * n);
      return m < n ? m : 2 * n - 1 - m;
    }
  }
}

/** Options of `sampleImages`. */
export interface SampleOptions {
  interpolation: Interpolation;
  fillMode: FillMode;
  /** The value of points outside the image with `fillMode: 'constant'`. */
  fillValue: number;
}

/**
 * For each output pixel `(n, y, x)` of an `[N, outH, outW]` grid, writes the source point to read
 * as `[row, col]` into `at` (pixel centres at integer coordinates).
 */
export type SourcePoint = (n: number, y: number, x: number, at: Float64Array) => void;

/**
 * Resamples `images` (`[N, H, W, C]`, float) onto an `[N, outH, outW, C]` grid: output pixel
 * `(n, y, x)` is the input read at `source(n, y, x)`, interpolated and filled as `opts` says.
 * Differentiable with respect to `images` (read through `gather` when they require gradients,
 * by a plain loop otherwise).
 */
export function sampleImages(images: Tensor, outH: number, outW: number, source: SourcePoint, opts: SampleOptions): Tensor {
  assertTensor('sampleImages', images, 'images');
  if (images.ndim !== 4) throw new ShapeError(`sampleImages: expects images [N, H, W, C], got shape ${fmt(images.shape)}`);
  if (!isFloat(images.dtype)) throw new DTypeError(`sampleImages: expects float images, got ${images.dtype}; cast them with images.cast('float32')`);
  const [n, h, w, c] = images.shape as [number, number, number, number];
  const rows = n * outH * outW;
  const corners = opts.interpolation === 'bilinear' ? 4 : 1;
  const index = new Int32Array(rows * corners);
  const weight = allocate(images.dtype, rows * corners);
  const filled = allocate(images.dtype, rows); // the weight that falls on the fill value, per pixel
  let anyFill = false;
  let unitWeights = true;
  const at = new Float64Array(2);
  let r = 0;
  for (let b = 0; b < n; b++) {
    const base = b * h * w;
    for (let y = 0; y < outH; y++) {
      for (let x = 0; x < outW; x++, r++) {
        source(b, y, x, at);
        const sy = at[0]!, sx = at[1]!;
        if (corners === 1) {
          const iy = fillIndex(Math.round(sy), h, opts.fillMode);
          const ix = fillIndex(Math.round(sx), w, opts.fillMode);
          if (iy < 0 || ix < 0) {
            filled[r] = 1;
            anyFill = true;
            weight[r] = 0;
            unitWeights = false;
          } else {
            index[r] = base + iy * w + ix;
            weight[r] = 1;
          }
          continue;
        }
        unitWeights = false;
        const y0 = Math.floor(sy), x0 = Math.floor(sx);
        const fy = sy - y0, fx = sx - x0;
        let k = r * 4;
        let outside = 0;
        for (let dy = 0; dy < 2; dy++) {
          const iy = fillIndex(y0 + dy, h, opts.fillMode);
          const wy = dy === 0 ? 1 - fy : fy;
          for (let dx = 0; dx < 2; dx++, k++) {
            const ix = fillIndex(x0 + dx, w, opts.fillMode);
            const wk = wy * (dx === 0 ? 1 - fx : fx);
            if (iy < 0 || ix < 0) {
              outside += wk;
              weight[k] = 0;
            } else {
              index[k] = base + iy * w + ix;
              weight[k] = wk;
            }
          }
        }
        if (outside !== 0) {
          filled[r] = outside;
          anyFill = true;
        }
      }
    }
  }
  if (!(isGradEnabled() && images.requiresGrad)) {
    return new Tensor(weightedReads(images, c, index, weight, corners, anyFill ? filled : null, opts.fillValue), [n, outH, outW, c]);
  }
  const flat = reshape(images, [n * h * w, c]);
  let out: Tensor;
  if (unitWeights) {
    out = gather(flat, new Tensor(index, [rows]), 0);
  } else {
    const picked = gather(flat, new Tensor(index, [rows, corners]), 0); // [rows, corners, C]
    out = sum(mul(picked, new Tensor(weight, [rows, corners, 1])), 1);
  }
  if (anyFill && opts.fillValue !== 0) out = add(out, mul(new Tensor(filled, [rows, 1]), opts.fillValue));
  return reshape(out, [n, outH, outW, c]);
}

/**
 * The reads of `sampleImages` as one loop, for images that need no gradient (the usual case at a
 * model's input): `out[r, ch] = Σ_k weight[r, k]·pixel[index[r, k], ch] + filled[r]·fillValue`.
 * It computes what the differentiable gather path computes, without building a graph.
 */
function weightedReads(images: Tensor, c: number, index: Int32Array, weight: TypedArray, corners: number, filled: TypedArray | null, fillValue: number): TypedArray {
  const src = images.data();
  const rows = index.length / corners;
  const out = allocate(images.dtype, rows * c);
  for (let r = 0; r < rows; r++) {
    const fill = filled === null ? 0 : filled[r]! * fillValue;
    for (let ch = 0; ch < c; ch++) {
      let acc = fill;
      for (let k = r * corners, end = k + corners; k < end; k++) {
        const wk = weight[k]!;
        if (wk !== 0) acc += wk * src[index[k]! * c + ch]!;
      }
      out[r * c + ch] = acc;
    }
  }
  return out;
}

/**
 * A 2-D affine map from output pixel `(y, x)` to the source point it shows:
 * `row = rowX·x + rowY·y + row0`, `col = colX·x + colY·y + col0` (Keras' transform, output → input).
 */
export interface Affine {
  rowX: number;
  rowY: number;
  row0: number;
  colX: number;
  colY: number;
  col0: number;
}

/** `sampleImages` with one affine map per image (same output size as the input). */
export function affineTransform(images: Tensor, transforms: readonly Affine[], opts: SampleOptions): Tensor {
  const [n, h, w] = images.shape as [number, number, number, number];
  if (transforms.length !== n) throw new ValueError(`affineTransform: ${transforms.length} transforms for ${n} images`);
  return sampleImages(images, h, w, (b, y, x, at) => {
    const t = transforms[b]!;
    at[0] = t.rowX * x + t.rowY * y + t.row0;
    at[1] = t.colX * x + t.colY * y + t.col0;
  }, opts);
}
