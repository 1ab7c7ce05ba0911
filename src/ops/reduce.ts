import { assertFloat, isFloat } from '../tensor/dtype.js';
import { ValueError } from '../tensor/errors.js';
import { fmt, keptShape, normalizeAxes, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { backend } from '../backend/index.js';
import { add, cast, div, lt, mul, sub, where } from './binary.js';
import { apply } from './dispatch.js';
import { contiguousCopy, empty } from './primitives/alloc.js';
import { reshape } from './movement.js';
import { assertTensor } from './scalar.js';
import { abs, exp, log } from './unary.js';
import type { ReduceOp } from '../backend/backend.js';

/** The axis argument of a reduction: one axis, several, or all of them when omitted. */
export type Axis = number | readonly number[] | undefined;

function reduceOp(op: ReduceOp, x: Tensor, axis: Axis, keepDims: boolean): Tensor {
  assertTensor(op, x);
  const axes = normalizeAxes(op, axis, x.ndim);
  if ((op === 'max' || op === 'min') && axes.some((a) => x.shape[a] === 0)) {
    throw new ValueError(`${op}: cannot reduce over an empty axis (shape ${fmt(x.shape)}, axes [${axes.join(',')}]): the result would be undefined`);
  }
  return apply(op, [x], { axes, keepDims });
}

/** Sum over `axis` (all axes when omitted). Bool sums count as int32. `sum(x, 1, true)` keeps the axis as size 1. */
export const sum = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduceOp('sum', x, axis, keepDims);
/** Product over `axis`. Its gradient is exact even when factors are zero. */
export const prod = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduceOp('prod', x, axis, keepDims);
/** Maximum over `axis` (NaN propagates). Ties share the gradient evenly. */
export const max = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduceOp('max', x, axis, keepDims);
/** Minimum over `axis` (NaN propagates). */
export const min = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduceOp('min', x, axis, keepDims);

/** Arithmetic mean over `axis`; integer inputs give float32. */
export function mean(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  assertTensor('mean', x);
  const axes = normalizeAxes('mean', axis, x.ndim);
  const n = sizeOf(axes.map((a) => x.shape[a]!));
  const xf = isFloat(x.dtype) ? x : cast(x, 'float32');
  return div(sum(xf, axes, keepDims), n);
}

/** Population variance (divides by n, as NumPy's `var` and `tf.moments`) over `axis`. */
export function variance(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  assertTensor('variance', x);
  const axes = normalizeAxes('variance', axis, x.ndim);
  const xf = isFloat(x.dtype) ? x : cast(x, 'float32');
  const d = sub(xf, mean(xf, axes, true));
  return mean(mul(d, d), axes, keepDims);
}

/** log Σ exp(x) over `axis`, computed stably (the maximum is subtracted first). */
export function logSumExp(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  assertTensor('logSumExp', x);
  assertFloat('logSumExp', x.dtype);
  const axes = normalizeAxes('logSumExp', axis, x.ndim);
  // An empty axis has no maximum to shift by; its sum of exponentials is 0, so the result is −∞.
  if (axes.some((a) => x.shape[a] === 0)) return log(sum(exp(x), axes, keepDims));
  // The shift is a constant for the gradient: d/dx of the result does not depend on it.
  // An all −∞ slice keeps a zero shift so that the result is −∞ rather than NaN.
  const rawMax = max(x, axes, true).detach();
  const m = where(lt(abs(rawMax), Infinity), rawMax, 0);
  const out = add(log(sum(exp(sub(x, m)), axes, true)), m);
  return keepDims ? out : reshape(out, x.shape.filter((_, i) => !axes.includes(i)));
}

function argReduce(op: 'argmax' | 'argmin', x: Tensor, axis: number | undefined, keepDims: boolean): Tensor {
  assertTensor(op, x);
  if (x.size === 0) throw new ValueError(`${op}: the input is empty (shape ${fmt(x.shape)})`);
  if (axis === undefined) {
    const flat = argReduce(op, reshape(x, [x.size]), 0, false);
    return keepDims ? reshape(flat, x.shape.map(() => 1)) : flat;
  }
  const [a] = normalizeAxes(op, axis, x.ndim);
  if (a === undefined) return empty('int32', []); // scalar input: index 0
  const c = contiguousCopy(x);
  const outer = sizeOf(x.shape.slice(0, a));
  const inner = sizeOf(x.shape.slice(a + 1));
  const out = empty('int32', keepDims ? keptShape(x.shape, [a]) : x.shape.filter((_, i) => i !== a));
  backend().argReduce(op, c.storage, c.offset, outer, x.shape[a]!, inner, out.storage as Int32Array);
  return out;
}

/** Index (int32) of the first maximum along `axis`; over the flattened tensor when omitted. */
export const argmax = (x: Tensor, axis?: number, keepDims = false): Tensor => argReduce('argmax', x, axis, keepDims);
/** Index (int32) of the first minimum along `axis`; over the flattened tensor when omitted. */
export const argmin = (x: Tensor, axis?: number, keepDims = false): Tensor => argReduce('argmin', x, axis, keepDims);
