/**
 * fit's warning for outputs that are not probabilities meeting a loss that expects them (a model
 * without a final softmax compiled with `'sparseCategoricalCrossentropy'`): such a run trains
 * without an error but learns the wrong thing.
 */
import { Loss } from '../nn/loss-objects.js';
import type { LossFn } from '../nn/loss-registry.js';
import { noGrad } from '../tensor/grad-mode.js';
import type { Tensor } from '../tensor/tensor.js';
import { warn } from '../tensor/warn.js';

/**
 * Warns when `loss` expects probabilities and `yPred` holds something else; returns whether it
 * warned. Custom loss functions are not judged: nabla cannot know what they expect.
 */
export function warnIfNotProbabilities(loss: LossFn, yPred: Tensor): boolean {
  if (!(loss instanceof Loss)) return false;
  const problem = noGrad(() => loss.checkPredictions(yPred));
  if (problem === null) return false;
  warn(problem);
  return true;
}
