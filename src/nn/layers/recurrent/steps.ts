/**
 * The dropout masks of the recurrent layers, fixed over the steps of one sequence (as Keras' RNN
 * cells do). The steps themselves run in one op, `recurrentScan` (ops/recurrent.ts).
 */
import type { Tensor } from '../../../tensor/tensor.js';
import { bernoulli } from '../../../tensor/creation.js';
import type { Generator } from '../../../tensor/random.js';
import { mul } from '../../../ops/binary.js';

/** An inverted-dropout mask of `shape`: 0 with probability `rate`, else `1/(1 − rate)`. */
export function dropoutMask(rate: number, shape: number[], dtype: 'float32' | 'float64', generator: Generator | undefined): Tensor {
  return mul(bernoulli(1 - rate, shape, { dtype, generator }), 1 / (1 - rate));
}
