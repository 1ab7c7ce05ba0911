import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { assertTensor } from '../../ops/scalar.js';
import { checkName, checkWeight, expandWeights, WeightedSum } from './metric.js';

/**
 * Running weighted mean of scalars or of every element of tensors: `Σ w·v / Σ w`. Model.fit feeds
 * it each batch's mean loss with the batch size as weight (as Keras 3 does), so the epoch loss is
 * the mean over samples even when the last batch is smaller. NaN values are kept (they show as nan).
 * Not a `Metric` (it sees values, not targets and predictions), but has the same
 * `name` / `result()` / `reset()`.
 *
 * @example
 * const loss = new Mean('loss');
 * loss.update(0.5, 32);
 * loss.update(nb.tensor(0.2), 8);
 * loss.result(); // (0.5·32 + 0.2·8) / 40 = 0.44
 */
export class Mean {
  /** The key of this value in the training logs. */
  readonly name: string;
  private readonly sum = new WeightedSum();

  constructor(name = 'mean') {
    this.name = checkName('Mean', name);
  }

  /** Adds a value (or every element of a tensor), each weighted by `sampleWeight` (default 1). */
  update(values: number | Tensor, sampleWeight: number | Tensor = 1): void {
    if (typeof values === 'number') {
      if (typeof sampleWeight !== 'number') throw new ValueError(`${this.name}: a number value takes a number weight, got a tensor`);
      checkWeight(this.name, sampleWeight);
      this.sum.add(values, sampleWeight);
      return;
    }
    assertTensor(this.name, values, 'values');
    const v = values.data();
    if (typeof sampleWeight === 'number') {
      checkWeight(this.name, sampleWeight);
      this.sum.addAll(v, null, sampleWeight);
    } else {
      this.sum.addAll(v, expandWeights(this.name, sampleWeight, values.shape));
    }
  }

  /** The weighted mean so far (0 before any value). */
  result(): number {
    return this.sum.mean();
  }

  /** Forgets every value seen. */
  reset(): void {
    this.sum.reset();
  }
}
