/**
 * The fused neural-network ops: cross-entropy per row, bias plus activation, layer norm. Each
 * validates its inputs and runs one fused primitive (src/ops/primitives/fused.ts). Beside each op
 * is its composite, the same function written as other ops: it is the primitive's definition
 * (its recorded VJP differentiates it) and runs the inputs the primitive does not take (mixed
 * float types, a cross-entropy target that takes gradients).
 */
import { isGradEnabled } from '../tensor/grad-mode.js';
import type { FusedActivation } from '../backend/fused-kernels.js';
import { isFloat } from '../tensor/dtype.js';
import { DTypeError, ShapeError, ValueError } from '../tensor/errors.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, cast, clamp, div, mul, sub } from './binary.js';
import { apply } from './dispatch.js';
import { gelu, logSoftmaxComposite } from './activations.js';
import { oneHot } from './indexing.js';
import { mean, sum, variance } from './reduce.js';
import { assertTensor } from './scalar.js';
import { log, neg, relu, rsqrt, sigmoid, tanh } from './unary.js';

/** Options of `crossEntropy`. */
export interface CrossEntropyOptions {
  /** x holds logits (default true); otherwise probabilities, normalised per row and clipped to [1e-7, 1 − 1e-7]. */
  fromLogits?: boolean;
  /** ε in [0, 1]: targets become `(1 − ε)·target + ε/C` (default 0). */
  smoothing?: number;
}

/**
 * Cross-entropy of each row along the last axis: `−Σ_c t_c·log q_c`, q = softmax(x) (or the
 * clipped normalised probabilities). `target` is int32 class labels of shape `x.shape[:-1]`, or
 * float rows of x's shape. One fused pass forward and backward.
 *
 * @example
 * nb.crossEntropy(logits, labels).mean()   // [N, C] logits, int32 [N] labels
 */
export function crossEntropy(x: Tensor, target: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  assertTensor('crossEntropy', x, 'x');
  assertTensor('crossEntropy', target, 'target');
  if (!isFloat(x.dtype)) throw new DTypeError(`crossEntropy: x must be a float tensor, got ${x.dtype}`);
  if (x.ndim === 0) throw new ShapeError('crossEntropy: x needs a class axis, got a scalar');
  const smoothing = opts.smoothing ?? 0;
  if (typeof smoothing !== 'number' || !(smoothing >= 0 && smoothing <= 1)) throw new ValueError(`crossEntropy: smoothing must be a number in [0, 1], got ${smoothing}`);
  const lead = x.shape.slice(0, -1);
  const classes = x.shape[x.ndim - 1]!;
  if (target.dtype === 'int32') {
    if (target.ndim !== lead.length || target.shape.some((d, i) => d !== lead[i])) {
      throw new ShapeError(`crossEntropy: labels of shape ${fmt(target.shape)} do not match x ${fmt(x.shape)}; expected ${fmt(lead)}`);
    }
    checkLabels('crossEntropy', target, classes);
  } else if (target.ndim !== x.ndim || target.shape.some((d, i) => d !== x.shape[i])) {
    throw new ShapeError(`crossEntropy: targets ${fmt(target.shape)} must have the shape of x ${fmt(x.shape)} (or be int32 labels of shape ${fmt(lead)})`);
  }
  const t = target.dtype === 'int32' ? target : cast(target, x.dtype);
  const fromLogits = opts.fromLogits ?? true;
  // the fused backward differentiates x only
  if (t.requiresGrad && isGradEnabled()) return crossEntropyComposite(x, t, fromLogits, smoothing);
  return apply('crossEntropy', [x, t], { fromLogits, smoothing });
}

/** Keras' clip of probabilities in the cross-entropy. */
const CE_EPS = 1e-7;

/**
 * `crossEntropy` as other ops: `−Σ_c t_c·log q_c` with t one-hot rows for int32 labels, smoothed
 * to `(1 − ε)·t + ε/C`, and log q the logSoftmax of logits or the log of the row-normalised
 * probabilities clipped to `[1e-7, 1 − 1e-7]`.
 */
export function crossEntropyComposite(x: Tensor, target: Tensor, fromLogits: boolean, smoothing: number): Tensor {
  const cols = x.shape[x.ndim - 1]!;
  const t = target.dtype === 'int32' ? oneHot(target, cols, x.dtype) : target;
  const smoothed = smoothing === 0 ? t : add(mul(t, 1 - smoothing), smoothing / cols);
  const logQ = fromLogits ? logSoftmaxComposite(x, x.ndim - 1) : log(clamp(div(x, sum(x, -1, true)), CE_EPS, 1 - CE_EPS));
  return neg(sum(mul(smoothed, logQ), -1));
}

/** Throws when a label of the int32 tensor `labels` is outside `[0, classes)` (reads the storage in place when it can). */
export function checkLabels(op: string, labels: Tensor, classes: number): void {
  const data = labels.isContiguous ? labels.storage.subarray(labels.offset, labels.offset + labels.size) : labels.data();
  for (const v of data) {
    if (v < 0 || v >= classes) throw new ValueError(`${op}: label ${v} is out of range for ${classes} classes (valid: 0..${classes - 1})`);
  }
}

// arrows, not the functions themselves: this module may load while unary.ts is still loading
// (unary.ts → dispatch → the fused primitives → their composites here)
const COMPOSITE: Record<FusedActivation, (x: Tensor) => Tensor> = {
  linear: (x) => x,
  relu: (x) => relu(x),
  sigmoid: (x) => sigmoid(x),
  tanh: (x) => tanh(x),
  gelu: (x) => gelu(x),
};

/**
 * `activation(y + bias)` in one pass (bias `[C]` along the last axis of y, or null for the
 * activation alone), with the bias gradient summed in the same pass backward. Dense layers and
 * the transformer MLP use it.
 *
 * @example
 * nb.biasActivation(nb.matmul(x, w), b, 'relu')
 * nb.biasActivation(h, null, 'gelu')   // exact GELU in one pass each way
 */
export function biasActivation(y: Tensor, bias: Tensor | null, activation: FusedActivation): Tensor {
  assertTensor('biasActivation', y, 'y');
  if (bias !== null) assertTensor('biasActivation', bias, 'bias');
  if (!(activation in COMPOSITE)) throw new ValueError(`biasActivation: unknown activation '${String(activation)}'; use ${Object.keys(COMPOSITE).join(', ')}`);
  const cols = y.shape[y.ndim - 1];
  if (y.ndim === 0) throw new ShapeError('biasActivation: y needs at least 1 dim, got a scalar');
  if (bias === null) return isFloat(y.dtype) ? apply('biasActivation', [y], { activation }) : biasActivationComposite(y, null, activation);
  if (bias.ndim !== 1 || bias.shape[0] !== cols) {
    throw new ShapeError(`biasActivation: bias ${fmt(bias.shape)} must be [C] for y ${fmt(y.shape)} with C its last dimension`);
  }
  if (!isFloat(y.dtype) || y.dtype !== bias.dtype) return biasActivationComposite(y, bias, activation);
  return apply('biasActivation', [y, bias], { activation });
}

/** `biasActivation` as other ops: `activation(y + bias)`. */
export function biasActivationComposite(y: Tensor, bias: Tensor | null, activation: FusedActivation): Tensor {
  return COMPOSITE[activation](bias ? add(y, bias) : y);
}

/**
 * Layer norm over the last axis: `(x − μ)/√(σ² + ε)·gamma + beta` per row (biased variance;
 * gamma and beta `[C]`, either may be null). One fused pass forward and backward.
 *
 * @example
 * nb.layerNorm(x, gamma, beta, 1e-5)
 */
export function layerNorm(x: Tensor, gamma: Tensor | null, beta: Tensor | null, epsilon = 1e-5): Tensor {
  assertTensor('layerNorm', x, 'x');
  if (!isFloat(x.dtype)) throw new DTypeError(`layerNorm: x must be a float tensor, got ${x.dtype}`);
  if (x.ndim === 0) throw new ShapeError('layerNorm: x needs at least 1 dim, got a scalar');
  if (!(epsilon > 0)) throw new ValueError(`layerNorm: epsilon must be positive, got ${epsilon}`);
  const cols = x.shape[x.ndim - 1]!;
  for (const [name, p] of [['gamma', gamma], ['beta', beta]] as const) {
    if (p !== null && (p.ndim !== 1 || p.shape[0] !== cols)) throw new ShapeError(`layerNorm: ${name} ${fmt(p.shape)} must be [${cols}] for x ${fmt(x.shape)}`);
  }
  if ([gamma, beta].some((p) => p !== null && p.dtype !== x.dtype)) return layerNormComposite(x, gamma, beta, epsilon);
  const params = [gamma, beta].filter((p): p is Tensor => p !== null);
  return apply('layerNorm', [x, ...params], { epsilon, scale: gamma !== null, center: beta !== null });
}

/** `layerNorm` as other ops: `(x − mean(x))/√(variance(x) + ε)·gamma + beta` along the last axis. */
export function layerNormComposite(x: Tensor, gamma: Tensor | null, beta: Tensor | null, epsilon: number): Tensor {
  let y = mul(sub(x, mean(x, -1, true)), rsqrt(add(variance(x, -1, true), epsilon)));
  if (gamma) y = mul(y, gamma);
  if (beta) y = add(y, beta);
  return y;
}
