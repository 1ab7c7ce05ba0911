import { ShapeError } from '../../tensor/errors.js';
import { fmt } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkPair, checkThreshold, elementwiseBatch, Metric } from './metric.js';

/**
 * Weighted confusion counts of binary predictions at one threshold: a value is predicted positive
 * when `yPred > threshold`, and is truly positive when `yTrue` is non-zero (as Keras casts to bool).
 */
abstract class ThresholdConfusion extends Metric {
  protected tp = 0;
  protected fp = 0;
  protected fn = 0;

  constructor(readonly threshold: number, name: string) {
    super(name);
    checkThreshold(name, threshold);
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    this.refuseClassLabels(yTrue, yPred);
    const { t, p, w } = elementwiseBatch(this.name, yTrue, yPred, sampleWeight);
    for (let i = 0; i < p.length; i++) {
      const wi = w === null ? 1 : w[i]!;
      const predicted = p[i]! > this.threshold;
      if (t[i] !== 0) {
        if (predicted) this.tp += wi;
        else this.fn += wi;
      } else if (predicted) this.fp += wi;
    }
  }

  /** Integer labels against class scores are a multi-class task: point to the metrics made for it. */
  private refuseClassLabels(yTrue: Tensor, yPred: Tensor): void {
    checkPair(this.name, yTrue, yPred);
    const c = yPred.shape[yPred.ndim - 1] ?? 1;
    if (c > 1 && yTrue.ndim === yPred.ndim - 1) {
      const multi = this instanceof Precision ? "'macroPrecision' (MulticlassPrecision)" : "'macroRecall' (MulticlassRecall)";
      throw new ShapeError(`${this.name}: integer labels ${fmt(yTrue.shape)} against ${c} class scores ${fmt(yPred.shape)}: '${this.name}' is Keras' binary metric (each value thresholded); for classes use ${multi} or 'f1'`);
    }
  }

  reset(): void {
    this.tp = 0;
    this.fp = 0;
    this.fn = 0;
  }
}

/**
 * Precision of binary predictions: `TP / (TP + FP)` with a value predicted positive when
 * `yPred > threshold`; 0 when nothing was predicted positive. Log key `precision`.
 *
 * @example
 * new Precision().update(nb.tensor([1, 0, 1]), nb.tensor([0.9, 0.8, 0.1])); // 1 / 2
 */
export class Precision extends ThresholdConfusion {
  constructor(threshold = 0.5, name = 'precision') {
    super(threshold, name);
  }

  result(): number {
    const d = this.tp + this.fp;
    return d === 0 ? 0 : this.tp / d;
  }
}

/**
 * Recall of binary predictions: `TP / (TP + FN)` with a value predicted positive when
 * `yPred > threshold`; 0 when there were no positives. Log key `recall`.
 *
 * @example
 * new Recall().update(nb.tensor([1, 0, 1]), nb.tensor([0.9, 0.8, 0.1])); // 1 / 2
 */
export class Recall extends ThresholdConfusion {
  constructor(threshold = 0.5, name = 'recall') {
    super(threshold, name);
  }

  result(): number {
    const d = this.tp + this.fn;
    return d === 0 ? 0 : this.tp / d;
  }
}
