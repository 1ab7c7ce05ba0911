/**
 * The kernel of the CTC loss (Graves et al. 2006): the forward (α) and backward (β) recursions
 * over one batch, in log space, with the gradient with respect to the logits in the same call.
 * Arrays are dense and start at index 0; math runs in double and each stored value is rounded
 * once, so float32 and float64 inputs take the same path.
 */
import type { FloatArray } from './typed-array.js';

/** The sizes and options of one CTC call. */
export interface CtcGeometry {
  batch: number;
  /** Time steps of the logits tensor (each sequence uses its first `logitLengths[b]`). */
  time: number;
  classes: number;
  /** Columns of the padded labels (`[batch, maxLabel]`). */
  maxLabel: number;
  /** The blank class id, in [0, classes). */
  blank: number;
  /** Sequences that cannot align get loss 0 and gradient 0 instead of Infinity and NaN. */
  zeroInfinity: boolean;
}

/** The CTC kernel of `Backend`. */
export interface CtcKernels {
  /**
   * For each sequence b: `nll[b] = −log p(labels[b] | logits[b])`, the logits (`[batch, time,
   * classes]`, log-softmax taken inside) read for t < `logitLengths[b]` and the labels
   * (`[batch, maxLabel]`, ids checked by the caller, none the blank) for the first
   * `labelLengths[b]`. Infinity where no alignment exists. When `grad` is given it receives
   * `∂nll[b]/∂logits[b, t, c] = softmax − (posterior occupation of c at t)`, 0 for t ≥
   * `logitLengths[b]` (NaN rows where the loss is Infinity, as PyTorch, unless `zeroInfinity`).
   */
  ctcLoss(
    g: CtcGeometry, logits: FloatArray, labels: Int32Array, labelLengths: Int32Array, logitLengths: Int32Array,
    nll: FloatArray, grad: FloatArray | null,
  ): void;
}
