/**
 * Pooling over the steps of a sequence that carries a mask of padded steps (an `Embedding` with
 * `maskZero`, `Masking`): the padded steps take no part, so a sentence padded to 40 tokens pools
 * the same as the sentence alone.
 */
import { cast, div, gt, maximum, mul, where } from '../../ops/binary.js';
import { max, sum } from '../../ops/reduce.js';
import { unsqueeze } from '../../ops/movement.js';
import type { DataFormat } from '../../ops/window.js';
import { ShapeError } from '../../tensor/errors.js';
import { fmt } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';

/** The bool mask `[N, L]` shaped to broadcast over `x` (`[N, L, 1]` channels-last, `[N, 1, L]` channels-first). */
function stepMask(who: string, x: Tensor, mask: Tensor, format: DataFormat): { m: Tensor; axis: number } {
  const axis = format === 'channelsLast' ? 1 : 2;
  if (x.ndim !== 3 || mask.ndim !== 2 || mask.shape[0] !== x.shape[0] || mask.shape[1] !== x.shape[axis]) {
    throw new ShapeError(`${who}: the mask ${fmt(mask.shape)} does not fit the steps of the input ${fmt(x.shape)}`);
  }
  return { m: unsqueeze(mask, format === 'channelsLast' ? 2 : 1), axis };
}

/**
 * The mean over the unmasked steps (Keras' masked `GlobalAveragePooling1D`): `Σ mask·x / Σ mask`.
 * A sequence with every step masked gives 0 (Keras gives NaN).
 */
export function maskedMean1d(who: string, x: Tensor, mask: Tensor, format: DataFormat, keepDims: boolean): Tensor {
  const { m, axis } = stepMask(who, x, mask, format);
  const weights = cast(m, x.dtype);
  const count = sum(weights, axis, keepDims);
  return div(sum(mul(x, weights), axis, keepDims), maximum(count, 1));
}

/**
 * The maximum over the unmasked steps: a padded step's value (the embedding of the padding id)
 * never wins. Keras' `GlobalMaxPooling1D` ignores the mask; this is the masked max pooling of the
 * text classifiers. A sequence with every step masked gives 0.
 */
export function maskedMax1d(who: string, x: Tensor, mask: Tensor, format: DataFormat, keepDims: boolean): Tensor {
  const { m, axis } = stepMask(who, x, mask, format);
  const pooled = max(where(m, x, -Infinity), axis, keepDims);
  const any = gt(sum(cast(m, x.dtype), axis, keepDims), 0);
  return where(any, pooled, 0);
}
