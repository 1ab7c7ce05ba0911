/**
 * The check behind fit's "these outputs are not probabilities" warning: a probability loss given
 * logits still returns a finite number and trains, but towards the wrong optimum (the values are
 * clipped into [ε, 1 − ε] and renormalised), so nothing fails: only looking at the values tells.
 */
import type { Tensor } from '../tensor/tensor.js';

/** Slack for float32 rounding: a softmax row of float32 values sums to 1 within ~1e-6 per class. */
const RANGE_TOLERANCE = 1e-4;
const SUM_TOLERANCE = 1e-3;

/**
 * Describes why `yPred` is not a tensor of probabilities (a phrase naming the first offending
 * value), or returns null: every value must lie in [0, 1] and, when `rowsSumToOne`, every row
 * along the last axis must sum to 1. Reads the values once (meant for a few batches, not every step).
 *
 * @example
 * describeNonProbabilities(nb.tensor([[2, -1]]), true) // 'a value is -1, outside [0, 1]'
 */
export function describeNonProbabilities(yPred: Tensor, rowsSumToOne: boolean): string | null {
  if (yPred.size === 0) return null;
  const values = yPred.data();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= -RANGE_TOLERANCE && v <= 1 + RANGE_TOLERANCE)) return `a value is ${v}, outside [0, 1]`;
  }
  if (!rowsSumToOne || yPred.ndim === 0) return null;
  const width = yPred.shape[yPred.ndim - 1]!;
  for (let start = 0; start < values.length; start += width) {
    let total = 0;
    for (let j = start; j < start + width; j++) total += values[j]!;
    if (Math.abs(total - 1) > SUM_TOLERANCE) return `a row sums to ${total.toPrecision(4)}, not 1`;
  }
  return null;
}
