import type { Backend, View, Window2d } from '../backend.js';
import type { TypedArray } from '../typed-array.js';
import { jsBackend } from '../js/index.js';
import { coalesce } from '../js/strided.js';
import type { FloatArray } from '../fused-kernels.js';
import { elementCount, isFloatArray, route, sameFloat } from './route.js';

/**
 * The addon's data-movement functions (native/addon_movement.c). Each checks its arguments and
 * that every access stays inside its array; views are `(array, offset, strides)` over a shared
 * `shape`, windows the 14 numbers of a `Window2d` in field order.
 */
export interface MovementAddon {
  copy(src: TypedArray, srcOffset: number, srcStrides: number[], dst: TypedArray, dstOffset: number, dstStrides: number[], shape: number[]): void;
  gather(x: TypedArray, outer: number, axisSize: number, inner: number, indices: Int32Array, out: TypedArray): void;
  scatterAdd(g: FloatArray, outer: number, axisSize: number, inner: number, indices: Int32Array, out: FloatArray): void;
  where(
    cond: Uint8Array, cOffset: number, cStrides: number[], a: TypedArray, aOffset: number, aStrides: number[],
    b: TypedArray, bOffset: number, bStrides: number[], shape: number[], out: TypedArray,
  ): void;
  /** op 0 = argmax, 1 = argmin */
  argReduce(op: number, x: FloatArray, offset: number, outer: number, n: number, inner: number, out: Int32Array): void;
  reduceMiddle(op: number, x: FloatArray, offset: number, outer: number, n: number, inner: number, out: FloatArray): void;
  im2col(x: FloatArray, offset: number, strides: number[], window: number[], padValue: number, out: FloatArray): void;
  col2im(cols: FloatArray, offset: number, window: number[], out: FloatArray): void;
  maxPoolIndices(x: FloatArray, offset: number, window: number[], out: Int32Array, values: FloatArray | null): void;
  batchNormStats(x: FloatArray, rows: number, cols: number, mean: Float64Array, variance: Float64Array): void;
  batchNormForward(x: FloatArray, rows: number, cols: number, mean: Float64Array, scale: Float64Array, beta: FloatArray | null, out: FloatArray): void;
  batchNormBackward(
    x: FloatArray, g: FloatArray, rows: number, cols: number, mean: Float64Array, rstd: Float64Array, gamma: Float64Array,
    dx: FloatArray, dgamma: Float64Array, dbeta: Float64Array,
  ): void;
}

/** The Backend entries the movement functions replace (and `reduce` over a middle axis, see index.ts). */
export const MOVEMENT_KERNELS = [
  'copy', 'gather', 'scatterAdd', 'where', 'argReduce', 'im2col', 'col2im', 'maxPoolIndices',
  'batchNormStats', 'batchNormForward', 'batchNormBackward',
] as const;

function windowArray(w: Window2d): number[] {
  return [w.batch, w.height, w.width, w.channels, w.outH, w.outW, w.kernelH, w.kernelW,
    w.strideH, w.strideW, w.dilationH, w.dilationW, w.padTop, w.padLeft];
}

/** The elements of a window's image. */
const imageSize = (w: Window2d) => w.batch * w.height * w.width * w.channels;

/** Whether a copy between these arrays is one the addon does: same type, or into a float type. */
function copyable(s: TypedArray, d: TypedArray): boolean {
  return s.constructor === d.constructor || isFloatArray(d);
}

/**
 * The movement entries of the native backend: each sends calls of at least `minElements`
 * elements (and of types the addon handles) to C, the rest to the JS kernel.
 */
export function movementKernels(addon: MovementAddon, minElements: number): Pick<Backend, (typeof MOVEMENT_KERNELS)[number]> {
  const min = minElements;
  const js = jsBackend;
  return {
    copy: route(js.copy, min, (src, dst) => (copyable(src.data, dst.data) ? elementCount(src.shape) : undefined), (src, dst) => {
      const c = coalesce(src.shape, [src.strides, dst.strides]);
      addon.copy(src.data, src.offset, c.strides[0]!, dst.data, dst.offset, c.strides[1]!, c.shape);
    }),
    gather: route(
      js.gather, min, (x, outer, _a, inner, indices, out) => (x.constructor === out.constructor ? outer * indices.length * inner : undefined),
      addon.gather,
    ),
    scatterAdd: route(
      js.scatterAdd, min, (g, outer, _a, inner, indices, out) => (sameFloat(g, out) ? outer * indices.length * inner : undefined),
      (g, outer, axisSize, inner, indices, out) => addon.scatterAdd(g as FloatArray, outer, axisSize, inner, indices, out as FloatArray),
    ),
    where: route(
      js.where, min, (cond, a, b, out) => (cond.data instanceof Uint8Array && a.data.constructor === b.data.constructor && a.data.constructor === out.constructor ? elementCount(a.shape) : undefined),
      (cond, a, b, out) => {
        const c = coalesce(a.shape, [cond.strides, a.strides, b.strides]);
        addon.where(cond.data as Uint8Array, cond.offset, c.strides[0]!, a.data, a.offset, c.strides[1]!, b.data, b.offset, c.strides[2]!, c.shape, out);
      },
    ),
    argReduce: route(
      js.argReduce, min, (_op, x, _o, outer, n, inner) => (isFloatArray(x) ? outer * n * inner : undefined),
      (op, x, offset, outer, n, inner, out) => addon.argReduce(op === 'argmax' ? 0 : 1, x as FloatArray, offset, outer, n, inner, out),
    ),
    im2col: route(
      js.im2col, min, (x, _w, _p, out) => (sameFloat(x.data, out) ? elementCount(x.shape) : undefined),
      (x, w, padValue, out) => addon.im2col(x.data as FloatArray, x.offset, x.strides.slice(), windowArray(w), padValue, out as FloatArray),
    ),
    col2im: route(
      js.col2im, min, (cols, _o, w, out) => (sameFloat(cols, out) ? imageSize(w) : undefined),
      (cols, colsOffset, w, out) => addon.col2im(cols as FloatArray, colsOffset, windowArray(w), out as FloatArray),
    ),
    maxPoolIndices: route(
      js.maxPoolIndices, min, (x, _o, w, _out, values = null) => (isFloatArray(x) && (values === null || values.constructor === x.constructor) ? imageSize(w) : undefined),
      (x, offset, w, out, values = null) => addon.maxPoolIndices(x as FloatArray, offset, windowArray(w), out, values as FloatArray | null),
    ),
    batchNormStats: route(
      js.batchNormStats, min, (x, rows, cols) => (isFloatArray(x) ? rows * cols : undefined),
      (x, rows, cols, mean, variance) => addon.batchNormStats(x as FloatArray, rows, cols, mean, variance),
    ),
    batchNormForward: route(
      js.batchNormForward, min, (x, rows, cols, _m, _s, beta, out) => (sameFloat(x, out) && (beta === null || beta.constructor === x.constructor) ? rows * cols : undefined),
      (x, rows, cols, mean, scale, beta, out) => addon.batchNormForward(x as FloatArray, rows, cols, mean, scale, beta as FloatArray | null, out as FloatArray),
    ),
    batchNormBackward: route(
      js.batchNormBackward, min, (x, g, rows, cols, _m, _r, _gamma, dx) => (sameFloat(x, g, dx) ? rows * cols : undefined),
      (x, g, rows, cols, mean, rstd, gamma, dx, dgamma, dbeta) => addon.batchNormBackward(x as FloatArray, g as FloatArray, rows, cols, mean, rstd, gamma, dx as FloatArray, dgamma, dbeta),
    ),
  };
}
