import { assertDType, isFloat, promoteTypes, type DType } from '../tensor/dtype.js';
import { DTypeError, ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { apply } from './dispatch.js';
import { assertTensor, numberDType, scalarTensor, type TensorLike } from './scalar.js';

/**
 * Turns both operands into tensors of one dtype (see the promotion rules in `dtype.ts`).
 * `arith` ops compute on bool as int32; `div` computes integers as float32 (true division).
 */
function operands(op: string, a: TensorLike, b: TensorLike, kind: 'arith' | 'div' | 'compare'): [Tensor, Tensor] {
  let dtype: DType;
  if (typeof a === 'number' && typeof b === 'number') dtype = 'float32';
  else if (typeof a === "number") dtype = numberDType(a, checked(op, b as Tensor).dtype);
  else if (typeof b === 'number') dtype = numberDType(b, checked(op, a).dtype);
  else dtype = promoteTypes(checked(op, a).dtype, checked(op, b).dtype);
  if (kind === 'arith' && dtype === 'bool') dtype = 'int32';
  if (kind === 'div' && !isFloat(dtype)) dtype = 'float32';
  return [toDType(a, dtype), toDType(b, dtype)];
}

function checked(op: string, x: Tensor): Tensor {
  assertTensor(op, x);
  return x;
}

function toDType(x: TensorLike, dtype: DType): Tensor {
  return typeof x === 'number' ? scalarTensor(x, dtype) : cast(x, dtype);
}

/** a + b, with NumPy broadcasting. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return apply('add', operands('add', a, b, 'arith'), {});
}
/** a − b, with broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return apply('sub', operands('sub', a, b, 'arith'), {});
}
/** a · b (elementwise), with broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return apply('mul', operands('mul', a, b, 'arith'), {});
}
/** a / b (true division: integer inputs give float32), with broadcasting. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return apply('div', operands('div', a, b, 'div'), {});
}
/** aᵇ, with broadcasting. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands('pow', a, b, 'arith');
  if (!isFloat(y.dtype) && y.data().some((v) => v < 0)) {
    throw new ValueError("pow: integers to negative integer powers are not allowed (the result is not an integer); cast the base to float first, e.g. pow(cast(x, 'float32'), n)");
  }
  return apply('pow', [x, y], {});
}
/** Elementwise maximum (NaN propagates). */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return apply('maximum', operands('maximum', a, b, 'compare'), {});
}
/** Elementwise minimum (NaN propagates). */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return apply('minimum', operands('minimum', a, b, 'compare'), {});
}
/** a == b as a bool tensor. */
export const eq = (a: TensorLike, b: TensorLike): Tensor => apply('eq', operands('eq', a, b, 'compare'), {});
/** a != b as a bool tensor. */
export const ne = (a: TensorLike, b: TensorLike): Tensor => apply('ne', operands('ne', a, b, 'compare'), {});
/** a < b as a bool tensor. */
export const lt = (a: TensorLike, b: TensorLike): Tensor => apply('lt', operands('lt', a, b, 'compare'), {});
/** a <= b as a bool tensor. */
export const le = (a: TensorLike, b: TensorLike): Tensor => apply('le', operands('le', a, b, 'compare'), {});
/** a > b as a bool tensor. */
export const gt = (a: TensorLike, b: TensorLike): Tensor => apply('gt', operands('gt', a, b, 'compare'), {});
/** a >= b as a bool tensor. */
export const ge = (a: TensorLike, b: TensorLike): Tensor => apply('ge', operands('ge', a, b, 'compare'), {});

/**
 * Picks from `a` where `cond` is true and from `b` elsewhere; all three broadcast together.
 * `cond` must be a bool tensor (the result of a comparison, or `cast(x, 'bool')`).
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  assertTensor('where', cond, 'cond');
  if (cond.dtype !== 'bool') {
    throw new DTypeError(`where: cond must be a bool tensor, got ${cond.dtype}; use a comparison such as gt(x, 0) or cast(cond, 'bool')`);
  }
  const [x, y] = operands('where', a, b, 'compare');
  return apply('where', [cond, x, y], {});
}

/**
 * Converts to another dtype (a no-op when it already has it). To int32 truncates toward zero;
 * to bool is `x != 0`. Gradients pass through float→float casts.
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  assertTensor('cast', x);
  assertDType(dtype);
  if (x.dtype === dtype) return x;
  return apply('cast', [x], { dtype });
}

/**
 * Limits x to `[min, max]` (either bound may be omitted). The gradient is 1 inside the range,
 * bounds included, and 0 outside.
 */
export function clamp(x: Tensor, min?: number, max?: number): Tensor {
  assertTensor('clamp', x);
  if (min !== undefined && max !== undefined && min > max) {
    throw new ValueError(`clamp: min (${min}) must not be greater than max (${max})`);
  }
  let y = x;
  if (min !== undefined) y = where(lt(y, min), min, y);
  if (max !== undefined) y = where(gt(y, max), max, y);
  return y;
}
