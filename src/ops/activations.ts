import { assertFloat } from '../tensor/dtype.js';
import { ValueError } from '../tensor/errors.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, gt, maximum, mul, pow, sub, where } from './binary.js';
import { apply } from './dispatch.js';
import { logSumExp, max, sum } from './reduce.js';
import { assertTensor } from './scalar.js';
import { abs, erf, exp, expm1, log1p, sigmoid, tanh } from './unary.js';

export { relu, sigmoid, tanh } from './unary.js';

function checkFloat(op: string, x: Tensor): void {
  assertTensor(op, x);
  assertFloat(op, x.dtype);
}

/** x for x > 0, `alpha·x` otherwise (default alpha 0.2, as `keras.activations.leaky_relu`). */
export function leakyRelu(x: Tensor, alpha = 0.2): Tensor {
  checkFloat('leakyRelu', x);
  return where(gt(x, 0), x, mul(x, alpha));
}

/** x for x > 0, `alpha·(eˣ − 1)` otherwise (default alpha 1). */
export function elu(x: Tensor, alpha = 1): Tensor {
  checkFloat('elu', x);
  const positive = gt(x, 0);
  // expm1 of x clipped to ≤ 0: the branch not taken must not overflow, or its zero gradient
  // becomes 0·∞. A where (not minimum) keeps the full gradient alpha·e⁰ at x = 0.
  return where(positive, x, mul(expm1(where(positive, 0, x)), alpha));
}

/**
 * Gaussian error linear unit: `x·Φ(x) = ½x(1 + erf(x/√2))` (exact, the PyTorch and Keras default),
 * or with `approximate: true` the tanh form `½x(1 + tanh(√(2/π)(x + 0.044715x³)))`.
 */
export function gelu(x: Tensor, approximate = false): Tensor {
  checkFloat('gelu', x);
  if (approximate) {
    const inner = mul(add(x, mul(pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
    return mul(mul(x, 0.5), add(tanh(inner), 1));
  }
  return mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
}

/** log(1 + eˣ), computed as `max(x,0) + log1p(e^(−|x|))` so that it never overflows. */
export function softplus(x: Tensor): Tensor {
  checkFloat('softplus', x);
  // maximum (not relu) so that at x = 0 the gradient is ½ = σ(0): the tie splits it evenly
  return add(maximum(x, 0), log1p(exp(mul(abs(x), -1))));
}

/** x·σ(x), also called swish. */
export function silu(x: Tensor): Tensor {
  checkFloat('silu', x);
  return mul(x, sigmoid(x));
}

/**
 * Softmax along `axis` (default −1): `eˣ / Σ eˣ`, computed with the maximum subtracted so that it
 * never overflows. Each slice along `axis` sums to 1.
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  return alongAxis('softmax', x, axis, softmaxComposite);
}

/** log(softmax(x)) along `axis`, computed as `x − logSumExp(x)`: stable for any logits. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return alongAxis('logSoftmax', x, axis, logSoftmaxComposite);
}

/** Validates, then runs the fused primitive over the last axis (one pass each way) or the composite over another. */
function alongAxis(op: 'softmax' | 'logSoftmax', x: Tensor, axis: number, composite: (x: Tensor, a: number) => Tensor): Tensor {
  checkFloat(op, x);
  if (x.ndim === 0) throw new ValueError(`${op}: needs at least 1 dim, got a scalar`);
  const a = normalizeAxis(op, axis, x.ndim);
  return a === x.ndim - 1 ? apply(op, [x], {}) : composite(x, a);
}

/**
 * Softmax along the (normalised) axis `a` as elementwise ops and reductions: the definition the
 * fused primitive keeps to (its recorded VJP differentiates this) and the form of other axes.
 */
export function softmaxComposite(x: Tensor, a: number): Tensor {
  const e = exp(sub(x, max(x, a, true).detach()));
  return div(e, sum(e, a, true));
}

/** logSoftmax along the (normalised) axis `a` as `x − logSumExp(x)`: the fused primitive's definition. */
export function logSoftmaxComposite(x: Tensor, a: number): Tensor {
  return sub(x, logSumExp(x, a, true));
}
