import { ShapeError, ValueError } from '../../tensor/errors.js';
import { fmt } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { argmaxRow, inTopK, oneHotClasses, rowScores, sparseClasses } from './classes.js';
import { checkPair, checkThreshold, elementwiseScores, MeanMetric, Metric, type Scores } from './metric.js';

/**
 * Fraction of values where `yPred > threshold` (as 1, else 0) equals `yTrue`. Shapes: equal, or
 * `[N]` against `[N, 1]`. Log key `binaryAccuracy`.
 *
 * @example
 * new BinaryAccuracy(0.5).update(nb.tensor([1, 0, 1]), nb.tensor([0.9, 0.2, 0.4])); // result 2/3
 */
export class BinaryAccuracy extends MeanMetric {
  constructor(readonly threshold = 0.5, name = 'binaryAccuracy') {
    super(name);
    checkThreshold(name, threshold);
  }

  protected scores(yTrue: Tensor, yPred: Tensor): Scores {
    return elementwiseScores(this.name, yTrue, yPred, (t, p) => (t === (p > this.threshold ? 1 : 0) ? 1 : 0));
  }
}

/**
 * Fraction of samples where `argmax(yPred)` equals `argmax(yTrue)` along the last axis (one-hot
 * targets). Shapes must be equal, `[..., C]`. Log key `categoricalAccuracy`.
 *
 * @example
 * new CategoricalAccuracy().update(nb.tensor([[0, 1], [1, 0]]), nb.tensor([[0.3, 0.7], [0.4, 0.6]])); // 0.5
 */
export class CategoricalAccuracy extends MeanMetric {
  constructor(name = 'categoricalAccuracy') {
    super(name);
  }

  protected scores(yTrue: Tensor, yPred: Tensor): Scores {
    const classes = oneHotClasses(this.name, yTrue, yPred, 'sparseCategoricalAccuracy');
    return rowScores(yPred, classes, (p, start, label) => argmaxRow(p, start, classes.c) === label);
  }
}

/**
 * Fraction of samples where `argmax(yPred)` along the last axis equals the integer label in
 * `yTrue`. Shapes: `yPred [..., C]`, `yTrue [...]` or `[..., 1]`. Log key `sparseCategoricalAccuracy`.
 *
 * @example
 * new SparseCategoricalAccuracy().update(nb.tensor([1, 0], { dtype: 'int32' }), nb.tensor([[0.3, 0.7], [0.4, 0.6]])); // 0.5
 */
export class SparseCategoricalAccuracy extends MeanMetric {
  constructor(name = 'sparseCategoricalAccuracy') {
    super(name);
  }

  protected scores(yTrue: Tensor, yPred: Tensor): Scores {
    const classes = sparseClasses(this.name, yTrue, yPred);
    return rowScores(yPred, classes, (p, start, label) => argmaxRow(p, start, classes.c) === label);
  }
}

function checkK(name: string, k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new ValueError(`${name}: k must be a positive integer, got ${k}`);
}

/**
 * Fraction of samples whose true class (argmax of one-hot `yTrue`) is among the `k` highest
 * predictions. Classes tied with the k-th score count as in the top k (as TensorFlow's `in_top_k`).
 * Log key `topKCategoricalAccuracy`.
 *
 * @example
 * new TopKCategoricalAccuracy(2).update(nb.tensor([[0, 0, 1]]), nb.tensor([[0.5, 0.2, 0.3]])); // 1
 */
export class TopKCategoricalAccuracy extends MeanMetric {
  constructor(readonly k = 5, name = 'topKCategoricalAccuracy') {
    super(name);
    checkK(name, k);
  }

  protected scores(yTrue: Tensor, yPred: Tensor): Scores {
    const classes = oneHotClasses(this.name, yTrue, yPred, 'sparseTopKCategoricalAccuracy');
    return rowScores(yPred, classes, (p, start, label) => inTopK(p, start, classes.c, label, this.k));
  }
}

/**
 * Top-k accuracy against integer labels (shapes as `SparseCategoricalAccuracy`). Log key
 * `sparseTopKCategoricalAccuracy`.
 *
 * @example
 * new SparseTopKCategoricalAccuracy(2).update(nb.tensor([2], { dtype: 'int32' }), nb.tensor([[0.5, 0.2, 0.3]])); // 1
 */
export class SparseTopKCategoricalAccuracy extends MeanMetric {
  constructor(readonly k = 5, name = 'sparseTopKCategoricalAccuracy') {
    super(name);
    checkK(name, k);
  }

  protected scores(yTrue: Tensor, yPred: Tensor): Scores {
    const classes = sparseClasses(this.name, yTrue, yPred);
    return rowScores(yPred, classes, (p, start, label) => inTopK(p, start, classes.c, label, this.k));
  }
}

/** Which accuracy Keras' `'accuracy'` means for these shapes. */
export type AccuracyKind = 'binary' | 'categorical' | 'sparse';

/**
 * Picks the accuracy for `'accuracy'` from the shapes, as Keras does: `yPred` with a last axis of 1
 * (or 1-D) → binary (threshold 0.5); `yTrue` with one axis fewer than `yPred`, or a trailing 1
 * against more than one class → sparse categorical; otherwise categorical.
 *
 * @example
 * accuracyKind(nb.zeros([8], { dtype: 'int32' }), nb.zeros([8, 10])); // 'sparse'
 */
export function accuracyKind(yTrue: Tensor, yPred: Tensor): AccuracyKind {
  checkPair('accuracy', yTrue, yPred);
  const t = yTrue.shape;
  const p = yPred.shape;
  if (p.length <= 1 || p[p.length - 1] === 1) return 'binary';
  if (t.length === p.length - 1 || (t.length === p.length && t[t.length - 1] === 1)) return 'sparse';
  if (t.length === p.length) return 'categorical';
  throw new ShapeError(`accuracy: cannot tell binary, categorical or sparse accuracy from yTrue ${fmt(t)} and yPred ${fmt(p)}; expected equal shapes, or labels with the class axis of yPred left out`);
}

/**
 * Keras' `'accuracy'`: binary, categorical or sparse categorical accuracy, chosen by
 * `accuracyKind` at the first update and kept from then on (also across `reset()`). Unlike Keras'
 * `keras.metrics.Accuracy` class (exact equality), this is what `metrics: ['accuracy']` does.
 * Log key `accuracy` unless named otherwise.
 *
 * @example
 * const acc = new Accuracy();
 * acc.update(nb.tensor([2, 0], { dtype: 'int32' }), nb.tensor([[0.1, 0.2, 0.7], [0.5, 0.4, 0.1]]));
 * acc.kind; // 'sparse'
 */
export class Accuracy extends Metric {
  private inner: MeanMetric | null = null;
  private resolved: AccuracyKind | null = null;

  constructor(name = 'accuracy') {
    super(name);
  }

  /** The accuracy chosen at the first update, or null before it. */
  get kind(): AccuracyKind | null {
    return this.resolved;
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    if (this.inner === null) {
      const kind = accuracyKind(yTrue, yPred);
      this.inner =
        kind === 'binary' ? new BinaryAccuracy(0.5, this.name)
          : kind === 'sparse' ? new SparseCategoricalAccuracy(this.name)
            : new CategoricalAccuracy(this.name);
      this.resolved = kind;
    }
    this.inner.update(yTrue, yPred, sampleWeight);
  }

  result(): number {
    return this.inner === null ? 0 : this.inner.result();
  }

  reset(): void {
    this.inner?.reset();
  }
}
