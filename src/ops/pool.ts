/**
 * Pooling as composites: `im2col` lays every window out as its own `[kh, kw]` block, then a sum
 * (average pooling) or a gather at the arg-max (max pooling) reduces it. Max pooling pads with
 * −∞, so padding never wins; its gradient goes to the first maximum of each window (as in
 * PyTorch and TensorFlow) through gather's VJP and `col2im`.
 */
import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul } from './binary.js';
import { empty } from './dispatch.js';
import { gather } from './indexing.js';
import { reshape } from './movement.js';
import { argmax, max, mean, sum } from './reduce.js';
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
  return w;
}

function maxPoolNd(op: string, rank: number, x: Tensor, poolSize: number | readonly number[], opts: PoolOptions): Tensor {
  const p = windowParams(poolWindow(op, rank, x, poolSize, opts));
  const format = opts.dataFormat ?? 'channelsLast';
  const x4 = toNHWC(x, format);
  const [n, , , c] = x4.shape as [number, number, number, number];
  const m = n * p.grid[0] * p.grid[1];
  const kk = p.kernel[0] * p.kernel[1];
  const patches = reshape(im2col(x4, p, -Infinity), [m, kk, c]);
  // Gather each window's first arg-max rather than reduce with `max`: the gradient is then one
  // scatter to that cell (gather's VJP), not `max`'s mask-and-share over every window cell.
  const rowStart = empty('int32', [m, c]);
  for (let i = 0; i < m; i++) for (let j = 0; j < c; j++) rowStart.storage[i * c + j] = i * kk * c + j;
  const at = add(mul(argmax(patches, 1), c), rowStart); // (m·kk + arg)·C + channel
  const best = gather(reshape(patches, [m * kk * c]), reshape(at, [m * c]), 0);
  return fromNHWC(reshape(best, [n, p.grid[0], p.grid[1], c]), format, rank);
}

/** How many cells of each window lie inside the image: `[gridH, gridW, 1]`. */
function windowCounts(p: WindowParams, dtype: Tensor['dtype']): Tensor {
  const inside = (axis: 0 | 1, i: number): number => {
    let n = 0;
    for (let a = 0; a < p.kernel[axis]; a++) {
      const at = i * p.strides[axis] - p.padBefore[axis] + a * p.dilation[axis];
      if (at >= 0 && at < p.size[axis]) n++;
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
  const w = poolWindow(op, rank, x, poolSize, opts);
  const p = windowParams(w);
  const format = opts.dataFormat ?? 'channelsLast';
  const sums = sum(im2col(toNHWC(x, format), p, 0), [3, 4]);
  const padded = w.pads.some(([b, a]) => b > 0 || a > 0);
  const count = padded && !opts.countIncludePad ? windowCounts(p, x.dtype) : p.kernel[0] * p.kernel[1];
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
