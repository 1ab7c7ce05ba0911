import type { Tensor } from '../../tensor/tensor.js';
import { elementwiseScores, MeanMetric, type Scores } from './metric.js';

/**
 * Mean of `(yPred − yTrue)²` over every value seen. Shapes: equal, or `[N]` against `[N, 1]`.
 * Log key `mse`.
 *
 * @example
 * new MeanSquaredError().update(nb.tensor([0, 1]), nb.tensor([1, 3])); // (1 + 4) / 2 = 2.5
 */
export class MeanSquaredError extends MeanMetric {
  constructor(name = 'mse') {
    super(name);
  }

  protected scores(yTrue: Tensor, yPred: Tensor): Scores {
    return elementwiseScores(this.name, yTrue, yPred, (t, p) => (p - t) ** 2);
  }
}

/**
 * Mean of `|yPred − yTrue|` over every value seen. Shapes as `MeanSquaredError`. Log key `mae`.
 *
 * @example
 * new MeanAbsoluteError().update(nb.tensor([0, 1]), nb.tensor([1, 3])); // (1 + 2) / 2 = 1.5
 */
export class MeanAbsoluteError extends MeanMetric {
  constructor(name = 'mae') {
    super(name);
  }

  protected scores(yTrue: Tensor, yPred: Tensor): Scores {
    return elementwiseScores(this.name, yTrue, yPred, (t, p) => Math.abs(p - t));
  }
}
