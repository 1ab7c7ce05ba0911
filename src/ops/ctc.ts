/**
 * The CTC negative log-likelihood and its gradient, straight from the backend's kernel. No
 * autograd here: nn/losses-ctc.ts checks the inputs and attaches the gradient with `customGrad`
 * (the recursion is never differentiated op by op: its closed-form gradient is exact and cheap).
 */
import { backend } from '../backend/index.js';
import type { FloatArray } from '../backend/typed-array.js';
import type { Tensor } from '../tensor/tensor.js';
import { denseData, empty, uninitialized } from './primitives/alloc.js';

/** The labels and lengths of a CTC batch, checked: padded labels `[batch, maxLabel]`, ids valid, none the blank. */
export interface CtcTargets {
  labels: Int32Array;
  maxLabel: number;
  labelLengths: Int32Array;
  logitLengths: Int32Array;
}

/**
 * `−log p(labels | logits)` per sequence (`[batch]`, the logits' dtype) for logits `[batch, time,
 * classes]` (log-softmax taken inside), and with `withGrad` its gradient with respect to the
 * logits (`[batch, time, classes]`, zero beyond each logit length).
 */
export function ctcNegLogLikelihood(
  logits: Tensor, targets: CtcTargets, opts: { blank: number; zeroInfinity: boolean; withGrad: boolean },
): { nll: Tensor; grad: Tensor | null } {
  const [batch, time, classes] = logits.shape as [number, number, number];
  const nll = empty(logits.dtype, [batch]);
  const grad = opts.withGrad ? uninitialized(logits.dtype, [batch, time, classes]) : null;
  backend().ctcLoss(
    { batch, time, classes, maxLabel: targets.maxLabel, blank: opts.blank, zeroInfinity: opts.zeroInfinity },
    denseData(logits) as FloatArray, targets.labels, targets.labelLengths, targets.logitLengths,
    nll.storage as FloatArray, grad === null ? null : (grad.storage as FloatArray),
  );
  return { nll, grad };
}
