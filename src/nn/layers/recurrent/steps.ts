/**
 * Helpers shared by the recurrent layers: cutting a time-major tensor into its steps, and the
 * dropout masks that stay fixed over the steps of one sequence (as Keras' RNN cells do).
 */
import type { Tensor } from '../../../tensor/tensor.js';
import { bernoulli } from '../../../tensor/creation.js';
import type { Generator } from '../../../tensor/random.js';
import { mul } from '../../../ops/binary.js';
import { slice } from '../../../ops/movement.js';

/**
 * The `T` steps `[B, ...]` of a time-major `[T, B, ...]` tensor. A slice's gradient is a zero
 * tensor of its source's size with the slice written in, so cutting all `T` steps straight from
 * the sequence costs O(T²) in backward (GRU(16), batch 4, T = 2,000: 25 ms per step, against
 * about 3 this way, on a loaded machine). Halving the sequence recursively, and cutting steps
 * only from pieces of at most 8, costs O(T·log T).
 */
export function unstackSteps(x: Tensor): Tensor[] {
  const out: Tensor[] = [];
  const visit = (part: Tensor): void => {
    const n = part.shape[0]!;
    if (n <= 8) {
      for (let t = 0; t < n; t++) out.push(slice(part, [t]));
      return;
    }
    const half = Math.ceil(n / 2);
    visit(slice(part, [[0, half]]));
    visit(slice(part, [[half, n]]));
  };
  visit(x);
  return out;
}

/** An inverted-dropout mask of `shape`: 0 with probability `rate`, else `1/(1 − rate)`. */
export function dropoutMask(rate: number, shape: number[], dtype: 'float32' | 'float64', generator: Generator | undefined): Tensor {
  return mul(bernoulli(1 - rate, shape, { dtype, generator }), 1 / (1 - rate));
}
