import type { TypedArray } from '../../tensor/dtype.js';
import { ShapeError, ValueError } from '../../tensor/errors.js';
import { fmt } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { assertTensor } from '../../ops/scalar.js';

// Streaming metrics in the Keras style. They read plain typed arrays (`.data()`), record no
// autograd graph, and keep only sums in float64, so an epoch's result is exact over all of its
// batches: Σ w·score / Σ w over every value seen, never an average of batch averages.
//
// This file holds the base classes and the checks every metric shares; the metrics themselves
// live beside it, one family per file.

/**
 * A stateful metric: `update` once per batch, `result()` for the value so far, `reset()` between
 * epochs. `name` is the key it takes in the training logs (`accuracy`, `val_accuracy`…).
 *
 * `sampleWeight`, where given, has one weight per sample (shape `[N]` or `[N, 1]`), one per value,
 * or any leading part of the score shape; each weight covers the values below it. Weights must be
 * finite and non-negative.
 *
 * @example
 * const m = new BinaryAccuracy();
 * m.update(nb.tensor([[1], [0]]), nb.tensor([[0.8], [0.6]]));
 * m.result(); // 0.5
 */
export abstract class Metric {
  /** The key of this metric in the training logs. */
  readonly name: string;

  constructor(name: string) {
    this.name = checkName('Metric', name);
  }

  /** Adds one batch of targets and predictions. */
  abstract update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void;
  /** The value over everything seen since the last reset (0 before any data). */
  abstract result(): number;
  /** Forgets everything seen. */
  abstract reset(): void;
}

/** `name` when it is a non-empty string; `owner` names the class in the error. */
export function checkName(owner: string, name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) throw new ValueError(`${owner}: name must be a non-empty string, got ${JSON.stringify(name)}`);
  return name;
}

/** Throws unless `threshold` is a finite number. */
export function checkThreshold(metric: string, threshold: number): void {
  if (!Number.isFinite(threshold)) throw new ValueError(`${metric}: threshold must be a finite number, got ${threshold}`);
}

/** Throws unless `w` is a finite, non-negative weight; `what` names the weights in the error. */
export function checkWeight(metric: string, w: number, what = 'weights'): void {
  if (!(w >= 0) || w === Infinity) throw new ValueError(`${metric}: ${what} must be finite and non-negative, got ${w}`);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Whether `a` equals `b`, or is `b` with a trailing 1 (labels `[N, 1]` against `[N]`). */
export function fitsShape(a: readonly number[], b: readonly number[]): boolean {
  return sameShape(a, b) || (a.length === b.length + 1 && a[a.length - 1] === 1 && sameShape(a.slice(0, -1), b));
}

export function checkPair(metric: string, yTrue: unknown, yPred: unknown): void {
  assertTensor(metric, yTrue, 'yTrue');
  assertTensor(metric, yPred, 'yPred');
}

/**
 * The shape two element-wise operands share: equal shapes, or equal once a trailing 1 is dropped
 * from the longer one (Keras' squeeze-or-expand: labels `[N]` against predictions `[N, 1]`).
 */
export function alignedShape(metric: string, yTrue: Tensor, yPred: Tensor): readonly number[] {
  const t = yTrue.shape;
  const p = yPred.shape;
  if (fitsShape(t, p)) return p;
  if (fitsShape(p, t)) return t;
  throw new ShapeError(`${metric}: yTrue ${fmt(t)} and yPred ${fmt(p)} must have the same shape (a trailing 1 on one side is allowed)`);
}

/**
 * One weight per score (`null` for "all ones"), expanding `sampleWeight` over the trailing axes of
 * `shape` it does not cover.
 */
export function expandWeights(metric: string, sampleWeight: Tensor | undefined, shape: readonly number[]): Float64Array | null {
  if (sampleWeight === undefined) return null;
  assertTensor(metric, sampleWeight, 'sampleWeight');
  const s = sampleWeight.shape.slice();
  while (s.length > 0 && s[s.length - 1] === 1) s.pop();
  if (s.length > shape.length || !sameShape(s, shape.slice(0, s.length))) {
    throw new ShapeError(`${metric}: sampleWeight ${fmt(sampleWeight.shape)} does not fit the scores ${fmt(shape)}; give one weight per sample ([${shape[0] ?? ''}]) or one per value (${fmt(shape)})`);
  }
  const w = sampleWeight.data();
  for (const v of w) checkWeight(metric, v, 'sample weights');
  const count = shape.reduce((n, d) => n * d, 1);
  const block = count === 0 ? 1 : count / w.length;
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = w[Math.floor(i / block)]!;
  return out;
}

/**
 * The elements of `t` in row-major order, for reading only: a view of its storage when it is
 * contiguous (no copy, as for every batch in `fit`), else a fresh copy (`t.data()`).
 *
 * @example
 * const labels = readElements(yTrue); // Int32Array view; do not write into it
 */
export function readElements(t: Tensor): TypedArray {
  return t.isContiguous ? t.storage.subarray(t.offset, t.offset + t.size) : t.data();
}

/** One checked element-wise batch: targets, predictions and one weight per value (`null`: all ones). */
export interface ElementwiseBatch {
  t: TypedArray;
  p: TypedArray;
  w: Float64Array | null;
}

/** Checks `yTrue`, `yPred` and `sampleWeight` of an element-wise metric and reads their values. */
export function elementwiseBatch(metric: string, yTrue: Tensor, yPred: Tensor, sampleWeight: Tensor | undefined): ElementwiseBatch {
  checkPair(metric, yTrue, yPred);
  const shape = alignedShape(metric, yTrue, yPred);
  const w = expandWeights(metric, sampleWeight, shape);
  return { t: yTrue.data(), p: yPred.data(), w };
}

/** Per-value scores of one batch and their shape (which `sampleWeight` must fit). */
export interface Scores {
  values: Float64Array;
  shape: readonly number[];
}

/** Scores an element-wise batch value by value (shapes as `alignedShape`). */
export function elementwiseScores(metric: string, yTrue: Tensor, yPred: Tensor, score: (t: number, p: number) => number): Scores {
  const shape = alignedShape(metric, yTrue, yPred);
  const t = readElements(yTrue);
  const p = readElements(yPred);
  const values = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) values[i] = score(t[i]!, p[i]!);
  return { values, shape };
}

/** Running `Σ w·v` and `Σ w` in float64, and their ratio (0 before any weight). */
export class WeightedSum {
  private total = 0;
  private count = 0;

  add(value: number, weight: number): void {
    this.total += weight * value;
    this.count += weight;
  }

  /** Adds every value, weighted by `weights[i]`, or by `scale` when `weights` is null. */
  addAll(values: ArrayLike<number>, weights: Float64Array | null, scale = 1): void {
    for (let i = 0; i < values.length; i++) this.add(values[i]!, weights === null ? scale : weights[i]!);
  }

  mean(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }

  reset(): void {
    this.total = 0;
    this.count = 0;
  }
}

/**
 * A metric that is the weighted mean of per-value scores: `Σ w·score / Σ w` over all batches.
 * Subclasses only say how one batch is scored. Keras' `MeanMetricWrapper`.
 *
 * @example
 * class WithinOne extends MeanMetric {
 *   constructor() { super('withinOne'); }
 *   protected scores(yTrue: Tensor, yPred: Tensor): Scores {
 *     const t = yTrue.data(), p = yPred.data();
 *     return { values: Float64Array.from(p, (v, i) => (Math.abs(v - t[i]!) <= 1 ? 1 : 0)), shape: yPred.shape };
 *   }
 * }
 */
export abstract class MeanMetric extends Metric {
  private readonly sum = new WeightedSum();

  /** Scores one batch; throws a ShapeError naming the metric when the shapes do not fit. */
  protected abstract scores(yTrue: Tensor, yPred: Tensor): Scores;

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    checkPair(this.name, yTrue, yPred);
    const { values, shape } = this.scores(yTrue, yPred);
    this.sum.addAll(values, expandWeights(this.name, sampleWeight, shape));
  }

  result(): number {
    return this.sum.mean();
  }

  reset(): void {
    this.sum.reset();
  }
}
