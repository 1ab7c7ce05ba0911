/**
 * Pooling: average pooling as a composite (`im2col` lays every window out as its own `[kh, kw]`
 * block, a sum reduces it); max pooling as the `maxPool` primitive, which finds each window's
 * first maximum and where it is in one pass. Padding never wins a max; its gradient goes to the
 * first maximum of each window (as in PyTorch and TensorFlow), one scatter.
 */
import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { div } from './binary.js';
import { apply } from './dispatch.js';
import { empty } from './primitives/alloc.js';
import { max, mean, sum } from './reduce.js';
import type { WindowParams } from './primitives/types.js';
import {
  checkInput, fromNHWC, im2col, perDim, slidingWindow, splitShape, toNHWC, windowParams,
  type DataFormat, type Padding, type WindowSpec,
} from './window.js';

/** Options of the pooling ops. */
export interface PoolOptions {
  /** Step between windows: one number or one per spatial dim. Default: the pool size. */
  strides?: number | readonly number[];
  /** `'valid'` (default), `'same'`, or numeric padding of at most half the window (see `Padding`). */
  padding?: Padding;
  /** Spacing of the window's taps (default 1; ONNX pools may set it). */
  dilation?: number | readonly number[];
  /** Default `'channelsLast'`. */
  dataFormat?: DataFormat;
  /**
   * Count window positions rounding up, as PyTorch's `ceil_mode` (default false: rounding down):
   * a last window may start inside the input or its left padding and run past the end (its cells
   * beyond the padding count as padding); a window that would start in the right padding is
   * dropped. `(n + padBefore + padAfter − span) / stride + 1`, rounded up instead of down.
   */
  ceilMode?: boolean;
}

/** Options of the average pools. */
export interface AvgPoolOptions extends PoolOptions {
  /**
   * Divide by the full window size even where it overlaps padding (PyTorch's default). Default
   * false: padding cells are left out of the count, as Keras and ONNX do.
   */
  countIncludePad?: boolean;
}

/** Validates a pool's input and options and resolves its window. */
function poolWindow(op: string, rank: number, x: Tensor, poolSize: number | readonly number[], opts: PoolOptions): WindowSpec {
  checkInput(op, x, rank, opts.dataFormat ?? 'channelsLast');
  const size = perDim(op, 'poolSize', poolSize, rank, 1);
  const { spatial } = splitShape(x, opts.dataFormat ?? 'channelsLast');
  const w = slidingWindow(op, 'pool window', spatial, size, { ...opts, strides: opts.strides ?? size });
  if (typeof opts.padding !== 'string' && opts.padding !== undefined) {
    // a window of padding alone would have no maximum and nothing to average
    w.pads.forEach((p, i) => {
      const half = Math.floor((w.dilation[i]! * (size[i]! - 1) + 1) / 2);
      if (p[0] > half || p[1] > half) {
        throw new ValueError(`${op}: padding ${JSON.stringify(opts.padding)} is more than half the ${size.join('×')} pool window; use at most ${half}`);
      }
    });
  }
  return opts.ceilMode ? ceilWindow(w) : w;
}

/**
 * `w` with window positions counted as PyTorch's `ceil_mode` does: rounding up, minus a last
 * window that would start in the right padding; the overhang past the padded input is added to
 * the after-padding, so the kernels see an ordinary (wider) padding.
 */
export function ceilWindow(w: WindowSpec): WindowSpec {
  const pads = w.pads.map((p) => [p[0], p[1]] as [number, number]);
  const grid = w.grid.map((_, i) => {
    const [before, after] = pads[i]!, stride = w.strides[i]!;
    const padded = w.size[i]! + before + after;
    const span = w.dilation[i]! * (w.kernel[i]! - 1) + 1;
    let g = Math.ceil((padded - span) / stride) + 1;
    if ((g - 1) * stride >= w.size[i]! + before) g--;
    pads[i]![1] += Math.max(0, (g - 1) * stride + span - padded);
    return g;
  });
  return { ...w, pads, grid };
}

function maxPoolNd(op: string, rank: number, x: Tensor, poolSize: number | readonly number[], opts: PoolOptions): Tensor {
  const p = windowParams(poolWindow(op, rank, x, poolSize, opts));
  const format = opts.dataFormat ?? 'channelsLast';
  // One kernel finds each window's first maximum and where it is, rather than a reduce with
  // `max`: the gradient is then one scatter to that cell, not a mask over every cell.
  return fromNHWC(apply('maxPool', [toNHWC(x, format)], p), format, rank);
}

/**
 * How many cells of each window lie inside the image, or inside the image and `around` cells of
 * padding before/after it per 2-D axis: `[gridH, gridW, 1]`.
 */
function windowCounts(p: WindowParams, dtype: Tensor['dtype'], around: [number, number][] = [[0, 0], [0, 0]]): Tensor {
  const inside = (axis: 0 | 1, i: number): number => {
    let n = 0;
    for (let a = 0; a < p.kernel[axis]; a++) {
      const at = i * p.strides[axis] - p.padBefore[axis] + a * p.dilation[axis];
      if (at >= -around[axis]![0] && at < p.size[axis] + around[axis]![1]) n++;
    }
    return n;
  };
  const out = empty(dtype, [p.grid[0], p.grid[1], 1]);
  for (let i = 0; i < p.grid[0]; i++) {
    for (let j = 0; j < p.grid[1]; j++) out.storage[i * p.grid[1] + j] = inside(0, i) * inside(1, j);
  }
  return out;
}

function avgPoolNd(op: string, rank: number, x: Tensor, poolSize: number | readonly number[], opts: AvgPoolOptions): Tensor {
  const plain = poolWindow(op, rank, x, poolSize, { ...opts, ceilMode: false });
  const w = opts.ceilMode ? ceilWindow(plain) : plain;
  const p = windowParams(w);
  const format = opts.dataFormat ?? 'channelsLast';
  const sums = sum(im2col(toNHWC(x, format), p, 0), [3, 4]);
  const padded = w.pads.some(([b, a]) => b > 0 || a > 0);
  // countIncludePad counts the user's padding but never ceilMode's overhang past it (PyTorch)
  const around: [number, number][] = rank === 1 ? [[0, 0], plain.pads[0]!] : plain.pads;
  const overhang = w.pads.some((q, i) => q[1] !== plain.pads[i]![1]);
  const count = !padded ? p.kernel[0] * p.kernel[1]
    : !opts.countIncludePad ? windowCounts(p, x.dtype)
    : overhang ? windowCounts(p, x.dtype, around) : p.kernel[0] * p.kernel[1];
  return fromNHWC(div(sums, count), format, rank);
}

/**
 * 2-D max pooling of `x [N, H, W, C]` (or `[N, C, H, W]`) over `poolSize` windows (default
 * strides: the pool size): `[N, outH, outW, C]`, sizes as for `conv2d`. Padding never wins.
 *
 * @example
 * nb.maxPool2d(nb.randn([8, 28, 28, 32]), 2)   // [8, 14, 14, 32]
 */
export function maxPool2d(x: Tensor, poolSize: number | readonly number[], opts: PoolOptions = {}): Tensor {
  return maxPoolNd('maxPool2d', 2, x, poolSize, opts);
}

/**
 * 1-D max pooling of `x [N, L, C]` (or `[N, C, L]`): `[N, outL, C]`.
 *
 * @example
 * nb.maxPool1d(nb.randn([4, 100, 8]), 2)   // [4, 50, 8]
 */
export function maxPool1d(x: Tensor, poolSize: number | readonly number[], opts: PoolOptions = {}): Tensor {
  return maxPoolNd('maxPool1d', 1, x, poolSize, opts);
}

/**
 * 2-D average pooling of `x [N, H, W, C]` (or `[N, C, H, W]`): `[N, outH, outW, C]`. Where a
 * window overlaps padding (`'same'`), only the cells inside the input are averaged, as in Keras.
 *
 * @example
 * nb.avgPool2d(nb.randn([8, 28, 28, 32]), 2, { padding: 'same' })   // [8, 14, 14, 32]
 */
export function avgPool2d(x: Tensor, poolSize: number | readonly number[], opts: AvgPoolOptions = {}): Tensor {
  return avgPoolNd('avgPool2d', 2, x, poolSize, opts);
}

/**
 * 1-D average pooling of `x [N, L, C]` (or `[N, C, L]`): `[N, outL, C]`.
 *
 * @example
 * nb.avgPool1d(nb.randn([4, 100, 8]), 4)   // [4, 25, 8]
 */
export function avgPool1d(x: Tensor, poolSize: number | readonly number[], opts: AvgPoolOptions = {}): Tensor {
  return avgPoolNd('avgPool1d', 1, x, poolSize, opts);
}

/** Options of the global pools. */
export interface GlobalPoolOptions {
  /** Default `'channelsLast'`. */
  dataFormat?: DataFormat;
  /** Keep the pooled axes as size 1 (default false: `[N, C]`). */
  keepDims?: boolean;
}

function globalPool(op: string, rank: number, x: Tensor, opts: GlobalPoolOptions, reduce: typeof mean): Tensor {
  const format = opts.dataFormat ?? 'channelsLast';
  checkInput(op, x, rank, format);
  const first = format === 'channelsLast' ? 1 : 2;
  return reduce(x, rank === 1 ? [first] : [first, first + 1], opts.keepDims ?? false);
}

/** Mean over the spatial axes: `[N, H, W, C] → [N, C]`. @example nb.globalAvgPool2d(nb.randn([8, 7, 7, 64]))  // [8, 64] */
export function globalAvgPool2d(x: Tensor, opts: GlobalPoolOptions = {}): Tensor {
  return globalPool('globalAvgPool2d', 2, x, opts, mean);
}

/** Mean over the steps: `[N, L, C] → [N, C]`. @example nb.globalAvgPool1d(nb.randn([8, 100, 16]))  // [8, 16] */
export function globalAvgPool1d(x: Tensor, opts: GlobalPoolOptions = {}): Tensor {
  return globalPool('globalAvgPool1d', 1, x, opts, mean);
}

/** Maximum over the spatial axes: `[N, H, W, C] → [N, C]`. @example nb.globalMaxPool2d(nb.randn([8, 7, 7, 64]))  // [8, 64] */
export function globalMaxPool2d(x: Tensor, opts: GlobalPoolOptions = {}): Tensor {
  return globalPool('globalMaxPool2d', 2, x, opts, max);
}

/** Maximum over the steps: `[N, L, C] → [N, C]`. @example nb.globalMaxPool1d(nb.randn([8, 100, 16]))  // [8, 16] */
export function globalMaxPool1d(x: Tensor, opts: GlobalPoolOptions = {}): Tensor {
  return globalPool('globalMaxPool1d', 1, x, opts, max);
}
