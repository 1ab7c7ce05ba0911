import type { TypedArray } from '../../tensor/dtype.js';
import { ShapeError, ValueError } from '../../tensor/errors.js';
import { fmt } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fitsShape, readElements, sameShape, type Scores } from './metric.js';

// The class side of classification metrics: predictions `yPred [..., C]` with the classes on the
// last axis, and the true class of each row read from one-hot or integer targets.

/** True classes of one batch, one per row of `yPred`, and the class count `c`. */
export interface TrueClasses {
  labels: ArrayLike<number>;
  c: number;
}

/** The class count of `yPred` (its last axis), which must be at least 1. */
function numClasses(metric: string, yTrue: Tensor, yPred: Tensor): number {
  const c = yPred.shape[yPred.ndim - 1];
  if (c === undefined || c === 0) {
    throw new ShapeError(`${metric}: yPred ${fmt(yPred.shape)} needs a non-empty class axis (last); yTrue is ${fmt(yTrue.shape)}`);
  }
  return c;
}

/** Index of the largest of `data[start .. start+n)`; the first one on ties. */
export function argmaxRow(data: TypedArray, start: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (data[start + j]! > data[start + best]!) best = j;
  return best;
}

/** Whether class `label` is among the `k` largest of a row: fewer than k classes score strictly higher (ties count in). */
export function inTopK(data: TypedArray, start: number, n: number, label: number, k: number): boolean {
  const target = data[start + label]!;
  let higher = 0;
  for (let j = 0; j < n; j++) if (data[start + j]! > target) higher++;
  return higher < k;
}

/**
 * Classes from one-hot targets: `yTrue` of the same shape as `yPred`, the argmax of each row.
 * `sparseName` is the metric the error suggests for integer labels.
 */
export function oneHotClasses(metric: string, yTrue: Tensor, yPred: Tensor, sparseName: string): TrueClasses {
  const c = numClasses(metric, yTrue, yPred);
  if (!sameShape(yTrue.shape, yPred.shape)) {
    throw new ShapeError(`${metric}: yTrue ${fmt(yTrue.shape)} and yPred ${fmt(yPred.shape)} must have the same shape (one-hot targets); for integer labels use ${sparseName}`);
  }
  const t = readElements(yTrue);
  const labels = new Int32Array(t.length / c);
  for (let r = 0; r < labels.length; r++) labels[r] = argmaxRow(t, r * c, c);
  return { labels, c };
}

/**
 * Classes from integer labels: `yTrue` of shape `yPred.shape[:-1]` (or that plus a trailing 1),
 * integer values in `[0, C)`.
 */
export function sparseClasses(metric: string, yTrue: Tensor, yPred: Tensor): TrueClasses {
  const c = numClasses(metric, yTrue, yPred);
  const lead = yPred.shape.slice(0, -1);
  const t = yTrue.shape;
  if (!fitsShape(t, lead)) throw new ShapeError(`${metric}: labels yTrue ${fmt(t)} do not match predictions yPred ${fmt(yPred.shape)}; expected labels of shape ${fmt(lead)}`);
  const labels = readElements(yTrue);
  for (const v of labels) {
    if (!Number.isInteger(v) || v < 0 || v >= c) throw new ValueError(`${metric}: label ${v} is not a class index for ${c} classes (valid: 0..${c - 1})`);
  }
  return { labels, c };
}

/**
 * One score per row of `yPred`: 1 where `hit` accepts the row (its predictions start at `start`)
 * and its true class, else 0. The shape is `yPred`'s without the class axis.
 */
export function rowScores(yPred: Tensor, { labels, c }: TrueClasses, hit: (p: TypedArray, start: number, label: number) => boolean): Scores {
  const p = readElements(yPred);
  const values = new Float64Array(labels.length);
  for (let r = 0; r < labels.length; r++) values[r] = hit(p, r * c, labels[r]!) ? 1 : 0;
  return { values, shape: yPred.shape.slice(0, -1) };
}
