import { ShapeError, ValueError } from '../../tensor/errors.js';
import { Tensor } from '../../tensor/tensor.js';

// Confusion counts of class labels, for the metrics (confusionMatrix) and for plot.confusionMatrix,
// which draws them; `who` names the caller in errors.

/**
 * Class labels or class scores: a `Tensor` of labels `[n]` (or `[n, 1]`), a `Tensor` of
 * probabilities, logits or one-hot rows `[n, classes]` (the largest entry of each row is the
 * label), or labels as an `Int32Array` / array of numbers.
 */
export type LabelsLike = Tensor | Int32Array | readonly number[];

/**
 * Reads `y` as one class label per sample. `name` and `who` name it in errors.
 *
 * @example
 * toLabels(nb.tensor([[0.1, 0.9], [0.8, 0.2]]), 'yPred') // Int32Array [1, 0]
 */
export function toLabels(y: LabelsLike, name: string, who = 'confusionMatrix'): Int32Array {
  if (!(y instanceof Tensor)) return checkLabels(Array.from(y), name, who);
  const data = y.data();
  if (y.ndim === 2 && y.shape[1]! > 1) {
    const [n, k] = y.shape as [number, number];
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (data[i * k + j]! > data[i * k + best]!) best = j;
      labels[i] = best;
    }
    return labels;
  }
  if (y.ndim === 1 || (y.ndim === 2 && y.shape[1] === 1)) return checkLabels(Array.from(data, Number), name, who);
  throw new ShapeError(`${who}: ${name} must be labels [n] or class scores [n, classes], got shape [${y.shape.join(',')}]`);
}

function checkLabels(values: number[], name: string, who: string): Int32Array {
  values.forEach((v, i) => {
    if (Number.isInteger(v) && v >= 0) return;
    const hint = v > 0 && v < 1 ? '; for one sigmoid probability per sample, threshold it first (y.gt(0.5))' : '';
    throw new ValueError(`${who}: ${name}[${i}] = ${v} is not a class label (a non-negative integer)${hint}`);
  });
  return Int32Array.from(values);
}

/**
 * The confusion matrix: `counts[t][p]` is how many samples of true class `t` were predicted as
 * class `p` (rows are true classes, as in scikit-learn). It has `numClasses` rows (default: one
 * more than the largest label seen).
 *
 * @example
 * confusionCounts([0, 1, 1], [0, 1, 0]) // [[1, 0], [1, 1]]
 */
export function confusionCounts(yTrue: LabelsLike, yPred: LabelsLike, numClasses?: number, who = 'confusionMatrix'): number[][] {
  const t = toLabels(yTrue, 'yTrue', who);
  const p = toLabels(yPred, 'yPred', who);
  if (t.length !== p.length) throw new ShapeError(`${who}: yTrue has ${t.length} samples but yPred has ${p.length}`);
  if (t.length === 0) throw new ValueError(`${who}: no samples (yTrue and yPred are empty)`);
  let k = 0;
  for (let i = 0; i < t.length; i++) k = Math.max(k, t[i]! + 1, p[i]! + 1);
  if (numClasses !== undefined) {
    if (k > numClasses) throw new ValueError(`${who}: label ${k - 1} found, but there are only ${numClasses} classes (0…${numClasses - 1})`);
    k = numClasses;
  }
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < t.length; i++) counts[t[i]!]![p[i]!]! += 1;
  return counts;
}

/** Options of `confusionMatrix`. */
export interface ConfusionMatrixCountOptions {
  /** The number of classes (rows and columns); default one more than the largest label seen. */
  numClasses?: number;
}

/**
 * The confusion matrix of a classifier's predictions: `m[t][p]` is how many samples of true class
 * `t` were predicted as class `p` (rows are true classes, as scikit-learn's `confusion_matrix`).
 * `yTrue` and `yPred` are labels `[n]`, or class scores / one-hot rows `[n, classes]` (the
 * largest entry of each row is the label), so `model.predict(x)` can be given as it is.
 * `nb.plot.confusionMatrix` draws the same counts.
 *
 * @example
 * nb.metrics.confusionMatrix([0, 1, 1, 2], nb.tensor([[0.9, 0.1, 0], [0.2, 0.8, 0], [0.6, 0.4, 0], [0, 0, 1]]));
 * // [[1, 0, 0], [1, 1, 0], [0, 0, 1]]
 */
export function confusionMatrix(yTrue: LabelsLike, yPred: LabelsLike, opts: ConfusionMatrixCountOptions = {}): number[][] {
  if (opts.numClasses !== undefined && !(Number.isInteger(opts.numClasses) && opts.numClasses >= 1)) {
    throw new ValueError(`confusionMatrix: numClasses must be a positive integer, got ${String(opts.numClasses)}`);
  }
  return confusionCounts(yTrue, yPred, opts.numClasses);
}
