import type { Backend, View, Window2d } from '../backend.js';
import type { TypedArray } from '../../tensor/dtype.js';
import { jsBackend } from '../js/index.js';
import { coalesce } from '../js/strided.js';
import { REDUCE_CODES } from './ops.js';

type FloatArray = Float32Array | Float64Array;

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

/** The names `MovementAddon` needs, for checking a loaded addon. */
export const MOVEMENT_FUNCTIONS = [
  'copy', 'gather', 'scatterAdd', 'where', 'argReduce', 'reduceMiddle', 'im2col', 'col2im', 'maxPoolIndices',
  'batchNormStats', 'batchNormForward', 'batchNormBackward',
] as const;

/** Whether the loaded addon has the movement functions (an old build may not). */
export function hasMovement(addon: object): addon is MovementAddon {
  const a = addon as Record<string, unknown>;
  return MOVEMENT_FUNCTIONS.every((f) => typeof a[f] === 'function');
}

/** The Backend entries the movement functions replace. */
export const MOVEMENT_KERNELS = [
  'copy', 'gather', 'scatterAdd', 'where', 'argReduce', 'im2col', 'col2im', 'maxPoolIndices',
  'batchNormStats', 'batchNormForward', 'batchNormBackward',
] as const;

const isFloatArray = (a: TypedArray): a is FloatArray => a instanceof Float32Array || a instanceof Float64Array;

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function windowArray(w: Window2d): number[] {
  return [w.batch, w.height, w.width, w.channels, w.outH, w.outW, w.kernelH, w.kernelW,
    w.strideH, w.strideW, w.dilationH, w.dilationW, w.padTop, w.padLeft];
}

/** Whether a copy between these arrays is one the addon does: same type, or into a float type. */
function copyable(s: TypedArray, d: TypedArray): boolean {
  return s.constructor === d.constructor || isFloatArray(d);
}

/**
 * The movement entries of the native backend: each sends calls of at least `minElements`
 * elements (and of types the addon handles) to C, the rest to the JS kernel.
 */
export function movementKernels(addon: MovementAddon, minElements: number): Pick<Backend, (typeof MOVEMENT_KERNELS)[number]> & {
  reduceMiddle(op: 'sum' | 'max' | 'min' | 'prod', x: TypedArray, offset: number, outer: number, n: number, inner: number, out: TypedArray): boolean;
} {
  return {
    copy(src: View, dst: View) {
      if (sizeOf(src.shape) < minElements || !copyable(src.data, dst.data)) return jsBackend.copy(src, dst);
      const c = coalesce(src.shape, [src.strides, dst.strides]);
      addon.copy(src.data, src.offset, c.strides[0]!, dst.data, dst.offset, c.strides[1]!, c.shape);
    },
    gather(x, outer, axisSize, inner, indices, out) {
      if (outer * indices.length * inner < minElements || x.constructor !== out.constructor) return jsBackend.gather(x, outer, axisSize, inner, indices, out);
      addon.gather(x, outer, axisSize, inner, indices, out);
    },
    scatterAdd(g, outer, axisSize, inner, indices, out) {
      if (outer * indices.length * inner < minElements || !isFloatArray(g) || g.constructor !== out.constructor) {
        return jsBackend.scatterAdd(g, outer, axisSize, inner, indices, out);
      }
      addon.scatterAdd(g, outer, axisSize, inner, indices, out as FloatArray);
    },
    where(cond, a, b, out) {
      const ok = sizeOf(a.shape) >= minElements && cond.data instanceof Uint8Array && a.data.constructor === b.data.constructor &&
        a.data.constructor === out.constructor;
      if (!ok) return jsBackend.where(cond, a, b, out);
      const c = coalesce(a.shape, [cond.strides, a.strides, b.strides]);
      addon.where(cond.data as Uint8Array, cond.offset, c.strides[0]!, a.data, a.offset, c.strides[1]!, b.data, b.offset, c.strides[2]!, c.shape, out);
    },
    argReduce(op, x, offset, outer, n, inner, out) {
      if (outer * n * inner < minElements || !isFloatArray(x)) return jsBackend.argReduce(op, x, offset, outer, n, inner, out);
      addon.argReduce(op === 'argmax' ? 0 : 1, x, offset, outer, n, inner, out);
    },
    im2col(x, w, padValue, out) {
      if (sizeOf(x.shape) < minElements || !isFloatArray(x.data) || x.data.constructor !== out.constructor) return jsBackend.im2col(x, w, padValue, out);
      addon.im2col(x.data, x.offset, x.strides.slice(), windowArray(w), padValue, out as FloatArray);
    },
    col2im(cols, colsOffset, w, out) {
      if (sizeOf([w.batch, w.height, w.width, w.channels]) < minElements || !isFloatArray(cols) || cols.constructor !== out.constructor) {
        return jsBackend.col2im(cols, colsOffset, w, out);
      }
      addon.col2im(cols, colsOffset, windowArray(w), out as FloatArray);
    },
    maxPoolIndices(x, offset, w, out, values = null) {
      const same = values === null || values.constructor === x.constructor;
      if (sizeOf([w.batch, w.height, w.width, w.channels]) < minElements || !isFloatArray(x) || !same) return jsBackend.maxPoolIndices(x, offset, w, out, values);
      addon.maxPoolIndices(x, offset, windowArray(w), out, values as FloatArray | null);
    },
    batchNormStats(x, rows, cols, mean, variance) {
      if (rows * cols < minElements || !isFloatArray(x)) return jsBackend.batchNormStats(x, rows, cols, mean, variance);
      addon.batchNormStats(x, rows, cols, mean, variance);
    },
    batchNormForward(x, rows, cols, mean, scale, beta, out) {
      const same = isFloatArray(x) && out.constructor === x.constructor && (beta === null || beta.constructor === x.constructor);
      if (rows * cols < minElements || !same) return jsBackend.batchNormForward(x, rows, cols, mean, scale, beta, out);
      addon.batchNormForward(x, rows, cols, mean, scale, beta as FloatArray | null, out as FloatArray);
    },
    batchNormBackward(x, g, rows, cols, mean, rstd, gamma, dx, dgamma, dbeta) {
      const same = isFloatArray(x) && g.constructor === x.constructor && dx.constructor === x.constructor;
      if (rows * cols < minElements || !same) return jsBackend.batchNormBackward(x, g, rows, cols, mean, rstd, gamma, dx, dgamma, dbeta);
      addon.batchNormBackward(x, g as FloatArray, rows, cols, mean, rstd, gamma, dx as FloatArray, dgamma, dbeta);
    },
    /** Middle-axis reductions (`inner > 1`) in C; false when the call is left to the caller. */
    reduceMiddle(op, x, offset, outer, n, inner, out) {
      if (outer * n * inner < minElements || !isFloatArray(x) || x.constructor !== out.constructor) return false;
      addon.reduceMiddle(REDUCE_CODES[op], x, offset, outer, n, inner, out as FloatArray);
      return true;
    },
  };
}
