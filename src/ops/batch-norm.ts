/**
 * Batch normalization with the batch's own statistics as one fused primitive each way: the
 * statistics in one pass, the normalization in another, and the backward in two (instead of a
 * dozen elementwise passes of the composite `(x − mean(x))/√(var(x) + ε)·γ + β`, which stays
 * the primitive's definition: its recorded VJP differentiates it).
 */
import { isFloat } from '../tensor/dtype.js';
import { DTypeError, ShapeError } from '../tensor/errors.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, mul, sub } from './binary.js';
import { apply } from './dispatch.js';
import { slice } from './movement.js';
import { mean } from './reduce.js';
import { assertTensor } from './scalar.js';
import { rsqrt } from './unary.js';

/**
 * Normalizes `x [..., C]` per channel (the last axis) with the mean and biased variance over all
 * other axes, then scales by `gamma [C]` and shifts by `beta [C]`: training-mode batch norm.
 * Returns the output and the batch's `mean` and `variance` (`[C]`, no gradient) for moving averages.
 *
 * @example
 * const { y, mean, variance } = batchNormTraining(x, gamma, beta, 1e-3)
 */
export function batchNormTraining(x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number): { y: Tensor; mean: Tensor; variance: Tensor } {
  const op = 'batchNormTraining';
  assertTensor(op, x);
  assertTensor(op, gamma, 'gamma');
  assertTensor(op, beta, 'beta');
  if (!isFloat(x.dtype) || gamma.dtype !== x.dtype || beta.dtype !== x.dtype) {
    throw new DTypeError(`${op}: x, gamma and beta must share one float dtype, got ${x.dtype}, ${gamma.dtype}, ${beta.dtype}`);
  }
  const c = x.shape[x.ndim - 1];
  if (x.ndim < 2 || x.size === 0) throw new ShapeError(`${op}: x must have a batch axis and channels, and no empty axis; got shape ${fmt(x.shape)}`);
  for (const [name, t] of [['gamma', gamma], ['beta', beta]] as const) {
    if (t.ndim !== 1 || t.shape[0] !== c) throw new ShapeError(`${op}: ${name} must have shape [${c}] (one value per channel), got ${fmt(t.shape)}`);
  }
  const stats = apply('batchNormStats', [x], {});
  const y = apply('batchNorm', [x, stats, gamma, beta], { epsilon });
  return { y, mean: slice(stats, [0]), variance: slice(stats, [1]) };
}

/**
 * The `batchNorm` primitive as other ops: `(x − μ)/√(σ² + ε)·γ + β` with the mean μ and biased
 * variance σ² of each channel over every axis but the last.
 */
export function batchNormComposite(x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number): Tensor {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const xc = sub(x, mean(x, axes, true));
  const rstd = rsqrt(add(mean(mul(xc, xc), axes, true), epsilon));
  return add(mul(mul(xc, rstd), gamma), beta);
}
