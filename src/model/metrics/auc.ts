import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { elementwiseBatch, Metric } from './metric.js';

/**
 * Area under the ROC curve, computed as Keras does: weighted confusion counts at `numThresholds`
 * thresholds `t₀ = −1e-7, tᵢ = i/(n−1), t_{n−1} = 1 + 1e-7` (a value is positive at tᵢ when
 * `yPred > tᵢ`), the points `(FPRᵢ, TPRᵢ)`, and the trapezoidal rule between neighbouring points:
 * `Σᵢ (FPRᵢ − FPRᵢ₊₁)·(TPRᵢ + TPRᵢ₊₁)/2` (linear interpolation of TPR in FPR; Keras'
 * `summation_method='interpolation'`). When no two predictions of different classes fall between
 * the same pair of thresholds, this equals the exact AUC. `yPred` must be probabilities in [0, 1];
 * `yTrue` is positive where non-zero; all axes are flattened. With no positives or no negatives the
 * rate that cannot be computed is taken as 0. Log key `auc`.
 *
 * @example
 * new AUC().update(nb.tensor([0, 1, 0, 1]), nb.tensor([0.1, 0.3, 0.6, 0.8])); // 0.75
 */
export class AUC extends Metric {
  /** Sorted thresholds; a value lands in bucket m when `thresholds[m] < p <= thresholds[m+1]`. */
  readonly thresholds: Float64Array;
  private readonly positives: Float64Array;
  private readonly negatives: Float64Array;

  constructor(readonly numThresholds = 200, name = 'auc') {
    super(name);
    if (!Number.isInteger(numThresholds) || numThresholds < 2) {
      throw new ValueError(`${name}: numThresholds must be an integer greater than 1, got ${numThresholds}`);
    }
    const n = numThresholds;
    this.thresholds = Float64Array.from({ length: n }, (_, i) => (i === 0 ? -1e-7 : i === n - 1 ? 1 + 1e-7 : i / (n - 1)));
    this.positives = new Float64Array(n);
    this.negatives = new Float64Array(n);
  }

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const { t, p, w } = elementwiseBatch(this.name, yTrue, yPred, sampleWeight);
    const th = this.thresholds;
    for (let i = 0; i < p.length; i++) {
      const v = p[i]!;
      if (!(v >= 0 && v <= 1)) {
        throw new ValueError(`${this.name}: predictions must be probabilities in [0, 1], got ${v}; apply sigmoid to logits first`);
      }
      // Largest m with th[m] < v; th[0] < 0 <= v, so m >= 0.
      let lo = 0;
      let hi = th.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (th[mid]! < v) lo = mid;
        else hi = mid - 1;
      }
      const wi = w === null ? 1 : w[i]!;
      if (t[i] !== 0) this.positives[lo]! += wi;
      else this.negatives[lo]! += wi;
    }
  }

  result(): number {
    const n = this.numThresholds;
    const totalPos = this.positives.reduce((a, b) => a + b, 0);
    const totalNeg = this.negatives.reduce((a, b) => a + b, 0);
    // TP at threshold i = weight of positives in buckets >= i (predicted above tᵢ); walk from the top.
    let tp = 0;
    let fp = 0;
    let prevTpr = 0;
    let prevFpr = 0;
    let area = 0;
    for (let i = n - 1; i >= 0; i--) {
      tp += this.positives[i]!;
      fp += this.negatives[i]!;
      const tpr = totalPos === 0 ? 0 : tp / totalPos;
      const fpr = totalNeg === 0 ? 0 : fp / totalNeg;
      if (i < n - 1) area += (fpr - prevFpr) * (tpr + prevTpr) / 2;
      prevTpr = tpr;
      prevFpr = fpr;
    }
    return area;
  }

  reset(): void {
    this.positives.fill(0);
    this.negatives.fill(0);
  }
}
