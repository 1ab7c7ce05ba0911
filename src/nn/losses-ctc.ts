/**
 * Connectionist temporal classification (Graves et al. 2006): the loss of a labelling that is
 * shorter than the frames it is read from, summed over every alignment (`nb.losses.ctc`, and the
 * `CTC` loss object `compile` takes). The recursions run in log space in one backend kernel, which
 * also gives the gradient in closed form; autograd gets it through `customGrad`.
 */
import { customGrad } from '../autograd/custom-grad.js';
import { ValueError } from '../tensor/errors.js';
import { isGradEnabled } from '../tensor/grad-mode.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, mul } from '../ops/binary.js';
import { mean, sum } from '../ops/reduce.js';
import { reshape } from '../ops/movement.js';
import { ctcNegLogLikelihood } from '../ops/ctc.js';
import { ctcInputs, type CtcLengths } from './ctc-inputs.js';
import type { Reduction } from './losses.js';
import { Loss, type LossConfig, type LossOptions } from './loss-objects.js';

export type { CtcLengths } from './ctc-inputs.js';

/** Options of `ctc`. */
export interface CtcOptions {
  /**
   * Each sequence's number of labels (int32 tensor `[batch]` or numbers). Needed for 1-D
   * (concatenated) labels; for padded labels the default is each row up to its first negative
   * entry (pad with -1), or the whole row.
   */
  labelLengths?: CtcLengths;
  /** Each sequence's number of frames (default: every time step of the logits). */
  logitLengths?: CtcLengths;
  /** The blank class id (default 0); no label may use it. */
  blank?: number;
  /**
   * `'mean'` (default, PyTorch's): each sequence's loss divided by its label length (at least 1),
   * then averaged over the batch; `'sum'`; `'none'`: each sequence's −log p, `[batch]`.
   */
  reduction?: Reduction;
  /** Sequences that cannot align count 0 with a zero gradient instead of Infinity (PyTorch's `zero_infinity`). Default false. */
  zeroInfinity?: boolean;
}

/**
 * The CTC loss: `−log p(labels | logits)` summed over all alignments, on batch-major logits
 * `[batch, time, classes]` (unnormalised: log-softmax is taken inside). `labels` is int32,
 * `[batch, maxLabelLength]` padded, or 1-D (every sequence's labels one after another, PyTorch's
 * concatenated form) with `labelLengths`. Float32 or float64; the gradient flows to `logits` only.
 *
 * A labelling that no alignment can produce — more labels than frames, counting the blank a
 * repeated label needs between its copies (`[1, 1, 2]` needs 4 frames) — has probability 0: its
 * loss is `Infinity` and its gradient NaN, as PyTorch's; `zeroInfinity: true` makes both 0, so
 * that such sequences drop out of training. Bad ids (the blank, ≥ classes), negative lengths or
 * lengths beyond the tensors are errors. The gradient is first-order only (it is a constant to
 * a second differentiation).
 *
 * @example
 * // 2 sequences of 50 frames over 10 digits + blank (id 0); labels padded with -1
 * const labels = nb.tensor([[3, 3, 5], [7, -1, -1]], { dtype: 'int32' });
 * const loss = nb.losses.ctc(labels, logits, { logitLengths: [50, 42] });
 * loss.backward();
 */
export function ctc(labels: Tensor, logits: Tensor, opts: CtcOptions = {}): Tensor {
  const op = 'ctc';
  const reduction = opts.reduction ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') throw new ValueError(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`);
  const zeroInfinity = opts.zeroInfinity ?? false;
  if (typeof zeroInfinity !== 'boolean') throw new ValueError(`${op}: zeroInfinity must be true or false, got ${JSON.stringify(zeroInfinity)}`);
  const batch = ctcInputs(op, labels, logits, opts);
  const nllOf = customGrad((x: Tensor) => {
    const { nll, grad } = ctcNegLogLikelihood(x, batch, { blank: batch.blank, zeroInfinity, withGrad: isGradEnabled() && x.requiresGrad });
    // ∂loss/∂logits[b] = dy[b]·(softmax − occupation)[b]
    return { value: nll, grad: (dy: Tensor) => mul(reshape(dy, [batch.batch, 1, 1]), grad!) };
  });
  const nll = nllOf(logits);
  if (reduction === 'none') return nll;
  if (reduction === 'sum') return sum(nll);
  const lengths = Array.from(batch.labelLengths, (n) => Math.max(n, 1));
  return mean(div(nll, tensor(lengths, { dtype: logits.dtype })));
}

/** Options of the `CTC` loss object. */
export interface CtcLossOptions extends LossOptions {
  /** The blank class id (default 0). */
  blank?: number;
  /** Unalignable sequences count 0 instead of Infinity (default false). */
  zeroInfinity?: boolean;
}

/**
 * The CTC loss as an object, for `model.compile({ loss })`: `yTrue` holds the labels padded with
 * -1 (`[batch, maxLabelLength]` int32; each row ends at its first negative entry) and `yPred` the
 * logits `[batch, time, classes]`; every sequence uses all `time` frames. When sequences have
 * different numbers of frames, call `nb.losses.ctc` with `logitLengths` in a training step of
 * your own (override `trainStep`'s loss phase, or write the loop with `valueAndGrad`).
 *
 * @example
 * model.compile({ optimizer: 'adam', loss: new nb.losses.CTC({ blank: 0 }) }); // or loss: 'ctc'
 */
export class CTC extends Loss {
  readonly blank: number;
  readonly zeroInfinity: boolean;
  constructor(opts: CtcLossOptions = {}) {
    super('ctc', opts, ['blank', 'zeroInfinity']);
    const blank = opts.blank ?? 0;
    if (typeof blank !== 'number' || !Number.isInteger(blank) || blank < 0) throw new ValueError(`ctc: blank must be a class id (a whole number ≥ 0), got ${String(blank)}`);
    if (opts.zeroInfinity !== undefined && typeof opts.zeroInfinity !== 'boolean') throw new ValueError(`ctc: zeroInfinity must be true or false, got ${JSON.stringify(opts.zeroInfinity)}`);
    this.blank = blank;
    this.zeroInfinity = opts.zeroInfinity ?? false;
  }
  /** Rebuilds the loss from `getConfig()`. */
  static fromConfig(config: Partial<LossConfig>): CTC {
    const { name: _, ...opts } = config;
    return new CTC(opts);
  }
  protected compute(yTrue: Tensor, yPred: Tensor, reduction: Reduction): Tensor {
    return ctc(yTrue, yPred, { blank: this.blank, zeroInfinity: this.zeroInfinity, reduction });
  }
  protected options(): { blank: number; zeroInfinity: boolean } {
    return { blank: this.blank, zeroInfinity: this.zeroInfinity };
  }
}
