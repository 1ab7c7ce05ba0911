import type { UnaryOp } from '../backend/backend.js';
import { assertFloat } from '../tensor/dtype.js';
import { DTypeError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { apply } from './dispatch.js';
import { assertTensor } from './scalar.js';
import { mul } from './binary.js';

function floatUnary(op: UnaryOp, x: Tensor): Tensor {
  assertTensor(op, x);
  assertFloat(op, x.dtype);
  return apply(op, [x], {});
}

function signedUnary(op: UnaryOp, x: Tensor): Tensor {
  assertTensor(op, x);
  if (x.dtype === 'bool') throw new DTypeError(`${op}: not defined for bool tensors; cast to int32 or float32 first`);
  return apply(op, [x], {});
}

/** −x. */
export const neg = (x: Tensor): Tensor => signedUnary('neg', x);
/** eˣ (float tensors). */
export const exp = (x: Tensor): Tensor => floatUnary('exp', x);
/** Natural logarithm (float tensors); log(0) = −∞, log of a negative number is NaN. */
export const log = (x: Tensor): Tensor => floatUnary('log', x);
/** √x (float tensors). */
export const sqrt = (x: Tensor): Tensor => floatUnary('sqrt', x);
/** 1/√x (float tensors). */
export const rsqrt = (x: Tensor): Tensor => floatUnary('rsqrt', x);
/** |x|. */
export const abs = (x: Tensor): Tensor => signedUnary('abs', x);
/** −1, 0 or 1 by the sign of x (its gradient is zero). */
export const sign = (x: Tensor): Tensor => signedUnary('sign', x);
/** sin(x) (float tensors). */
export const sin = (x: Tensor): Tensor => floatUnary('sin', x);
/** cos(x) (float tensors). */
export const cos = (x: Tensor): Tensor => floatUnary('cos', x);
/** Hyperbolic tangent (float tensors). */
export const tanh = (x: Tensor): Tensor => floatUnary('tanh', x);
/** The logistic function 1/(1+e⁻ˣ), computed without overflow (float tensors). */
export const sigmoid = (x: Tensor): Tensor => floatUnary('sigmoid', x);
/** The error function, to double precision (float tensors). */
export const erf = (x: Tensor): Tensor => floatUnary('erf', x);
/** max(x, 0). */
export const relu = (x: Tensor): Tensor => signedUnary('relu', x);
/** log(1 + x), accurate for small x (float tensors). */
export const log1p = (x: Tensor): Tensor => floatUnary('log1p', x);
/** eˣ − 1, accurate for small x (float tensors). */
export const expm1 = (x: Tensor): Tensor => floatUnary('expm1', x);

/** 2/√π · e^(−x²), the derivative of erf (used by its VJP). */
export function erfDerivative(x: Tensor): Tensor {
  return mul(exp(neg(mul(x, x))), 2 / Math.sqrt(Math.PI));
}
