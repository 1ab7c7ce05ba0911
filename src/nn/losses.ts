import { isFloat } from '../tensor/dtype.js';
import { DTypeError, ShapeError, ValueError } from '../tensor/errors.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { abs, log, log1p, exp } from '../ops/unary.js';
import { add, cast, clamp, lt, maximum, mul, sub, where } from '../ops/binary.js';
import { mean, sum } from '../ops/reduce.js';
import { reshape } from '../ops/movement.js';
import { checkLabels, crossEntropy } from '../ops/nn.js';
import { assertTensor } from '../ops/scalar.js';
import { softmaxLogitsOf } from './activations.js';

/** How per-sample losses are combined: `'mean'` (Keras' default), `'sum'`, or `'none'` (one per sample). */
export type Reduction = 'mean' | 'sum' | 'none';

/** Options of the cross-entropy losses. */
export interface CrossentropyOptions {
  /** `yPred` holds logits rather than probabilities (computed stably via log-sum-exp). Default false. */
  fromLogits?: boolean;
  reduction?: Reduction;
  /**
   * ε in [0, 1]: train against softened targets (default 0). Categorical and sparse:
   * `y·(1 − ε) + ε/C` over C classes (Keras' `label_smoothing`, PyTorch's for integer labels);
   * binary: `y·(1 − ε) + ε/2`.
   */
  labelSmoothing?: number;
}

const EPSILON = 1e-7; // Keras' backend epsilon: probabilities are clipped to [ε, 1−ε]

function reduce(op: string, perSample: Tensor, reduction: Reduction = 'mean'): Tensor {
  if (reduction === 'none') return perSample;
  if (reduction === 'sum') return sum(perSample);
  if (reduction === 'mean') return mean(perSample);
  throw new ValueError(`${op}: unknown reduction '${String(reduction)}'; use 'mean', 'sum' or 'none'`);
}

/** ε of the `labelSmoothing` option, checked (0 when absent). */
function smoothing(op: string, opts: CrossentropyOptions): number {
  const eps = opts.labelSmoothing ?? 0;
  if (typeof eps !== 'number' || !(eps >= 0 && eps <= 1)) throw new ValueError(`${op}: labelSmoothing must be a number in [0, 1], got ${eps}`);
  return eps;
}

function checkPair(op: string, yTrue: Tensor, yPred: Tensor): Tensor {
  assertTensor(op, yTrue, 'yTrue');
  assertTensor(op, yPred, 'yPred');
  if (!isFloat(yPred.dtype)) throw new DTypeError(`${op}: yPred must be a float tensor, got ${yPred.dtype}`);
  if (yTrue.ndim !== yPred.ndim || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new ShapeError(`${op}: yTrue ${fmt(yTrue.shape)} and yPred ${fmt(yPred.shape)} must have the same shape`);
  }
  return cast(yTrue, yPred.dtype);
}

/** Mean over the last axis of each sample (Keras' convention), or the value itself for 1-D input. */
function perSample(t: Tensor): Tensor {
  return t.ndim <= 1 ? t : mean(t, -1);
}

/** mean((yPred − yTrue)²). */
export function meanSquaredError(yTrue: Tensor, yPred: Tensor, opts: { reduction?: Reduction } = {}): Tensor {
  const y = checkPair('meanSquaredError', yTrue, yPred);
  const d = sub(yPred, y);
  return reduce('meanSquaredError', perSample(mul(d, d)), opts.reduction);
}

/** mean(|yPred − yTrue|). */
export function meanAbsoluteError(yTrue: Tensor, yPred: Tensor, opts: { reduction?: Reduction } = {}): Tensor {
  const y = checkPair('meanAbsoluteError', yTrue, yPred);
  return reduce('meanAbsoluteError', perSample(abs(sub(yPred, y))), opts.reduction);
}

/** Huber loss: ½d² where |d| ≤ δ, δ(|d| − ½δ) beyond (default δ = 1). */
export function huber(yTrue: Tensor, yPred: Tensor, opts: { delta?: number; reduction?: Reduction } = {}): Tensor {
  const y = checkPair('huber', yTrue, yPred);
  const delta = opts.delta ?? 1;
  if (!(delta > 0)) throw new ValueError(`huber: delta must be positive, got ${delta}`);
  const a = abs(sub(yPred, y));
  const quad = mul(mul(a, a), 0.5);
  const lin = mul(sub(a, 0.5 * delta), delta);
  return reduce('huber', perSample(where(lt(a, delta), quad, lin)), opts.reduction);
}

/**
 * Binary cross-entropy for targets in [0, 1]. From logits it is `max(x,0) − x·y + log(1 + e^(−|x|))`
 * (never overflows); from probabilities, p is clipped to [1e-7, 1 − 1e-7] as in Keras.
 */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor, opts: CrossentropyOptions = {}): Tensor {
  const eps = smoothing('binaryCrossentropy', opts);
  const y0 = checkPair('binaryCrossentropy', yTrue, yPred);
  const y = eps === 0 ? y0 : add(mul(y0, 1 - eps), eps / 2);
  let loss: Tensor;
  if (opts.fromLogits) {
    // maximum (not relu): at x = 0 the tie gives the exact gradient σ(0) − y = ½ − y
    loss = add(sub(maximum(yPred, 0), mul(yPred, y)), log1p(exp(mul(abs(yPred), -1))));
  } else {
    const p = clamp(yPred, EPSILON, 1 - EPSILON);
    loss = mul(add(mul(y, log(p)), mul(sub(1, y), log(sub(1, p)))), -1);
  }
  return reduce('binaryCrossentropy', perSample(loss), opts.reduction);
}

/**
 * The per-sample cross-entropy, one fused pass each way (`crossEntropy`). Probabilities that came
 * out of the `softmax` activation are replaced by the logits it was given, as Keras does: the
 * loss is then exact where the clipped probabilities would saturate, and cheaper.
 */
function fusedCrossentropy(yPred: Tensor, target: Tensor, fromLogits: boolean, smoothing: number): Tensor {
  const logits = fromLogits ? undefined : softmaxLogitsOf(yPred);
  return logits ? crossEntropy(logits, target, { fromLogits: true, smoothing }) : crossEntropy(yPred, target, { fromLogits, smoothing });
}

/**
 * Cross-entropy against one-hot (or soft) targets along the last axis. From logits:
 * `−Σ y·logSoftmax(x)`; from probabilities, p is renormalised and clipped as in Keras.
 */
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor, opts: CrossentropyOptions = {}): Tensor {
  const eps = smoothing('categoricalCrossentropy', opts);
  const y0 = checkPair('categoricalCrossentropy', yTrue, yPred);
  if (yPred.ndim === 0) throw new ShapeError('categoricalCrossentropy: yPred needs a class axis, got a scalar');
  return reduce('categoricalCrossentropy', fusedCrossentropy(yPred, y0, opts.fromLogits ?? false, eps), opts.reduction);
}

/**
 * Cross-entropy against integer class labels: `yTrue` int32 of shape `[N]` (or `[N, 1]`),
 * `yPred` `[N, C]` probabilities or logits. Labels outside `[0, C)` are an error.
 */
export function sparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor, opts: CrossentropyOptions = {}): Tensor {
  const op = 'sparseCategoricalCrossentropy';
  const eps = smoothing(op, opts);
  assertTensor(op, yTrue, 'yTrue');
  assertTensor(op, yPred, 'yPred');
  if (yTrue.dtype !== 'int32') {
    throw new DTypeError(`${op}: yTrue must hold integer class labels (int32), got ${yTrue.dtype}; cast them with cast(y, 'int32') or use categoricalCrossentropy for one-hot targets`);
  }
  if (!isFloat(yPred.dtype)) throw new DTypeError(`${op}: yPred must be a float tensor, got ${yPred.dtype}`);
  if (yPred.ndim < 1) throw new ShapeError(`${op}: yPred needs a class axis, got shape ${fmt(yPred.shape)}`);
  const lead = yPred.shape.slice(0, -1);
  const labels = yTrue.ndim === lead.length + 1 && yTrue.shape[yTrue.ndim - 1] === 1 ? reshape(yTrue, lead) : yTrue;
  if (labels.ndim !== lead.length || labels.shape.some((d, i) => d !== lead[i])) {
    throw new ShapeError(`${op}: labels of shape ${fmt(yTrue.shape)} do not match predictions ${fmt(yPred.shape)}; expected labels of shape ${fmt(lead)}`);
  }
  const numClasses = yPred.shape[yPred.ndim - 1]!;
  checkLabels(op, labels, numClasses);
  return reduce(op, fusedCrossentropy(yPred, labels, opts.fromLogits ?? false, eps), opts.reduction);
}
