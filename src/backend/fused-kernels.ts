/**
 * The fused kernels of a backend: one pass over memory for what would otherwise be several
 * elementwise ops (optimizer updates, softmax and cross-entropy, bias plus activation, layer
 * norm). Arrays are dense, start at index 0 and are used in place; `[rows, cols]` blocks are
 * row-major. Math runs in double and each stored value is rounded once, except Adam on float32
 * parameters, which runs in float arithmetic (as fast as memory allows; its moments are stored in
 * float anyway). Every backend rounds the same way, so results do not depend on the backend.
 */

import type { FloatArray } from './typed-array.js';
export type { FloatArray } from './typed-array.js';

/** The activations `biasActivation` fuses (their order is the C enum in native/fused.h). */
export type FusedActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'gelu';

/** Codes of `FusedActivation` in the C addon. */
export const FUSED_ACTIVATION_CODES: Record<FusedActivation, number> = { linear: 0, relu: 1, sigmoid: 2, tanh: 3, gelu: 4 };

/** Hyperparameters of one Adam step (see `Adam` in src/optim/adam.ts). */
export interface AdamHyper {
  /** lr·√(1 − β2ᵗ)/(1 − β1ᵗ). */
  lrT: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** AdamW's decoupled decay lr·λ (0 for Adam), applied to w before the Adam update. */
  decay: number;
}

/** Hyperparameters of one SGD step (see `SGD` in src/optim/sgd.ts). */
export interface SgdHyper {
  lr: number;
  momentum: number;
  nesterov: boolean;
  weightDecay: number;
}

/**
 * The target of each row of a cross-entropy: integer class `labels` (`[rows]`) or a `targets`
 * row (`[rows, cols]`), smoothed to `(1 − smoothing)·target + smoothing/cols`. With `fromLogits`
 * x holds logits; otherwise probabilities, normalised by their row sum and clipped to
 * `[1e-7, 1 − 1e-7]` (Keras).
 */
export interface CrossEntropyTarget {
  labels: Int32Array | null;
  targets: FloatArray | null;
  smoothing: number;
  fromLogits: boolean;
}

/** The fused entries of `Backend`. */
export interface FusedKernels {
  /**
   * One Adam/AdamW step in place: w ← w − decay·w; m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
   * with `vHat`, v̂ ← max(v̂, v) replaces v below; w ← w − lrT·m/(√v + ε). In the parameter's
   * own precision (float32 arithmetic for float32 arrays).
   */
  adamUpdate(param: FloatArray, grad: FloatArray, m: FloatArray, v: FloatArray, vHat: FloatArray | null, h: AdamHyper): void;
  /**
   * One SGD step in place: g ← g + λ·w; without `velocity` w ← w − lr·g; with it v ← μ·v − lr·g
   * and w ← w + v (Nesterov: w ← w + μ·v − lr·g).
   */
  sgdUpdate(param: FloatArray, grad: FloatArray, velocity: FloatArray | null, h: SgdHyper): void;
  /** `out` = softmax (or, with `log`, logSoftmax) of each row of `x`. */
  softmax(x: FloatArray, rows: number, cols: number, log: boolean, out: FloatArray): void;
  /**
   * The input gradient from the forward output `y` and its gradient `g`:
   * softmax `dx = y·(g − Σ g·y)`, logSoftmax `dx = g − eʸ·Σ g` (sums per row).
   */
  softmaxBackward(y: FloatArray, g: FloatArray, rows: number, cols: number, log: boolean, dx: FloatArray): void;
  /** `loss[r] = −Σ_c t_c·log q_c` with q the softmax of the logits or the clipped probabilities. */
  crossEntropy(x: FloatArray, rows: number, cols: number, t: CrossEntropyTarget, loss: FloatArray): void;
  /** `dx = ∂(Σ_r g[r]·loss[r])/∂x` (from logits: `g·(softmax(x)·Σt − t)`). */
  crossEntropyBackward(x: FloatArray, rows: number, cols: number, t: CrossEntropyTarget, g: FloatArray, dx: FloatArray): void;
  /** `out[r, c] = act(y[r, c] + bias[c])` (no bias when null). */
  biasActivation(act: FusedActivation, y: FloatArray, bias: FloatArray | null, rows: number, cols: number, out: FloatArray): void;
  /**
   * `dz = g·act'(z)` with `z = y + bias` and `out = act(z)` (relu, sigmoid and tanh read `out`,
   * gelu reads `z`), and `dbias[c] = Σ_r dz[r, c]` when `dbias` is given.
   */
  biasActivationBackward(
    act: FusedActivation, y: FloatArray, bias: FloatArray | null, out: FloatArray, g: FloatArray,
    rows: number, cols: number, dz: FloatArray, dbias: FloatArray | null,
  ): void;
  /** Per row: `out = (x − μ)/√(σ² + eps)·gamma + beta` (biased variance; gamma, beta optional). */
  layerNorm(x: FloatArray, gamma: FloatArray | null, beta: FloatArray | null, rows: number, cols: number, eps: number, out: FloatArray): void;
  /**
   * Gradients of `Σ g·layerNorm(x)`: `dx = rstd·(ĝ − mean ĝ − x̂·mean(ĝ·x̂))` with `ĝ = g·gamma`,
   * `dgamma = Σ_r g·x̂`, `dbeta = Σ_r g`; each output is skipped when null.
   */
  layerNormBackward(
    x: FloatArray, gamma: FloatArray | null, g: FloatArray, rows: number, cols: number, eps: number,
    dx: FloatArray | null, dgamma: FloatArray | null, dbeta: FloatArray | null,
  ): void;
}
