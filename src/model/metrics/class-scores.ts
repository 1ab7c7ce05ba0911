import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { accuracyKind } from './accuracy.js';
import { oneHotClasses, sparseClasses, argmaxRow, type TrueClasses } from './classes.js';
import { alignedShape, checkPair, expandWeights, readElements, Metric } from './metric.js';

// Precision, recall and F-scores of a classifier over its classes, from one streaming weighted
// confusion matrix. Unlike `Precision`/`Recall` (Keras' binary metrics, element by element at a
// threshold), the predicted class of a row is its argmax, so these fit softmax outputs with
// integer labels — what a text or image classifier compiled with
// sparseCategoricalCrossentropy produces.

/** How the per-class scores become one number (scikit-learn's `average`). */
export type ClassAverage = 'macro' | 'micro' | 'weighted';

/** Options of the class metrics (`MulticlassPrecision`, `MulticlassRecall`, `FBetaScore`, `F1Score`). */
export interface ClassMetricOptions {
  /**
   * `'macro'` (default): the unweighted mean over the classes that occur in the targets or the
   * predictions seen; `'weighted'`: the mean weighted by each class's (weighted) support;
   * `'micro'`: from the counts summed over classes (for single-label data it equals accuracy).
   */
  average?: ClassAverage;
  /** Report this class's score alone (per-class scores in the logs: one metric per class). */
  classId?: number;
  /** The key in the training logs. */
  name?: string;
}

const AVERAGES: readonly ClassAverage[] = ['macro', 'micro', 'weighted'];

/**
 * The streaming weighted confusion matrix behind the class metrics. The targets and predictions
 * are read as `'accuracy'` reads them (`accuracyKind`): integer labels against class scores
 * `[..., C]`, one-hot targets of the same shape, or binary targets against one probability per
 * sample (predicted class 1 when `yPred > 0.5`; a non-zero target is class 1).
 */
export abstract class ClassConfusionMetric extends Metric {
  readonly average: ClassAverage;
  readonly classId: number | null;
  /** `counts[t * c + p]`: weight of samples of true class t predicted as p. */
  private counts = new Float64Array(0);
  private c = 0;

  constructor(defaultName: string, opts: ClassMetricOptions) {
    super(opts.name ?? defaultName);
    const average = opts.average ?? 'macro';
    if (!AVERAGES.includes(average)) throw new ValueError(`${this.name}: average must be one of ${AVERAGES.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(average)}`);
    this.average = average;
    const id = opts.classId;
    if (id !== undefined && !(Number.isInteger(id) && id >= 0)) throw new ValueError(`${this.name}: classId must be a non-negative integer, got ${String(id)}`);
    this.classId = id ?? null;
  }

  /** The score of one class from its true positives, false positives and false negatives. */
  protected abstract score(tp: number, fp: number, fn: number): number;

  update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    checkPair(this.name, yTrue, yPred);
    const { labels, predicted, c, shape } = this.read(yTrue, yPred);
    if (this.c === 0) {
      this.c = c;
      this.counts = new Float64Array(c * c);
    } else if (c !== this.c) {
      throw new ValueError(`${this.name}: this batch has ${c} classes but earlier ones had ${this.c}; call reset() before scoring another model`);
    }
    if (this.classId !== null && this.classId >= c) throw new ValueError(`${this.name}: classId ${this.classId} is not a class of ${c} (valid: 0..${c - 1})`);
    const w = expandWeights(this.name, sampleWeight, shape);
    for (let i = 0; i < labels.length; i++) this.counts[labels[i]! * c + predicted[i]!]! += w === null ? 1 : w[i]!;
  }

  private read(yTrue: Tensor, yPred: Tensor): { labels: ArrayLike<number>; predicted: Int32Array; c: number; shape: readonly number[] } {
    const kind = accuracyKind(yTrue, yPred);
    if (kind === 'binary') {
      const shape = alignedShape(this.name, yTrue, yPred);
      const t = readElements(yTrue);
      const p = readElements(yPred);
      return { labels: Int32Array.from(t, (v) => (v !== 0 ? 1 : 0)), predicted: Int32Array.from(p, (v) => (v > 0.5 ? 1 : 0)), c: 2, shape };
    }
    const classes: TrueClasses = kind === 'sparse' ? sparseClasses(this.name, yTrue, yPred) : oneHotClasses(this.name, yTrue, yPred, this.name);
    const p = readElements(yPred);
    const predicted = new Int32Array(classes.labels.length);
    for (let r = 0; r < predicted.length; r++) predicted[r] = argmaxRow(p, r * classes.c, classes.c);
    return { ...classes, predicted, shape: yPred.shape.slice(0, -1) };
  }

  /** The weighted confusion matrix so far, `m[true][predicted]` (empty before any update). */
  confusion(): number[][] {
    const c = this.c;
    return Array.from({ length: c }, (_, t) => Array.from(this.counts.subarray(t * c, (t + 1) * c)));
  }

  /** One score per class (0 where undefined: no predictions for precision, no samples for recall). */
  perClass(): number[] {
    return Array.from({ length: this.c }, (_, k) => {
      const { tp, fp, fn } = this.classCounts(k);
      return this.score(tp, fp, fn);
    });
  }

  result(): number {
    if (this.c === 0) return 0;
    if (this.classId !== null) return this.perClass()[this.classId]!;
    if (this.average === 'micro') {
      let tp = 0;
      let all = 0;
      for (let k = 0; k < this.c; k++) tp += this.counts[k * this.c + k]!;
      for (const v of this.counts) all += v;
      // summed over classes, FP and FN are both the off-diagonal weight
      return this.score(tp, all - tp, all - tp);
    }
    const scores = this.perClass();
    let total = 0;
    let weight = 0;
    for (let k = 0; k < this.c; k++) {
      const { tp, fp, fn } = this.classCounts(k);
      const support = tp + fn;
      // macro skips classes never seen in targets nor predictions, as scikit-learn's label set
      const w = this.average === 'weighted' ? support : support + fp > 0 ? 1 : 0;
      total += w * scores[k]!;
      weight += w;
    }
    return weight === 0 ? 0 : total / weight;
  }

  /** Forgets the counts and the class count (the next batch may have another number of classes). */
  reset(): void {
    this.c = 0;
    this.counts = new Float64Array(0);
  }

  private classCounts(k: number): { tp: number; fp: number; fn: number } {
    const c = this.c;
    let row = 0;
    let col = 0;
    for (let j = 0; j < c; j++) {
      row += this.counts[k * c + j]!;
      col += this.counts[j * c + k]!;
    }
    const tp = this.counts[k * c + k]!;
    return { tp, fp: col - tp, fn: row - tp };
  }
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/**
 * Precision over classes: per class `TP / (TP + FP)` with the argmax as the predicted class, then
 * averaged (`average`, default macro) or one class's (`classId`). Log key `macroPrecision`.
 *
 * @example
 * const m = new MulticlassPrecision();
 * m.update(nb.tensor([0, 1, 1], { dtype: 'int32' }), nb.tensor([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]]));
 * m.perClass(); // [0.5, 1]; m.result() 0.75
 */
export class MulticlassPrecision extends ClassConfusionMetric {
  constructor(opts: ClassMetricOptions = {}) {
    super('macroPrecision', opts);
  }

  protected score(tp: number, fp: number): number {
    return ratio(tp, tp + fp);
  }
}

/**
 * Recall over classes: per class `TP / (TP + FN)`, averaged (default macro) or one class's.
 * Log key `macroRecall`.
 *
 * @example
 * new MulticlassRecall({ classId: 1 }); // the recall of class 1 alone
 */
export class MulticlassRecall extends ClassConfusionMetric {
  constructor(opts: ClassMetricOptions = {}) {
    super('macroRecall', opts);
  }

  protected score(tp: number, _fp: number, fn: number): number {
    return ratio(tp, tp + fn);
  }
}

/** Options of `FBetaScore`. */
export interface FBetaOptions extends ClassMetricOptions {
  /** Weight of recall against precision (default 1: F1). */
  beta?: number;
}

/**
 * F-beta score over classes (Keras' `FBetaScore`, also taking integer labels): per class
 * `(1 + β²)·TP / ((1 + β²)·TP + β²·FN + FP)` — the weighted harmonic mean of precision and
 * recall, 0 when the class has neither samples nor predictions right — averaged (default macro,
 * where Keras' default is the vector of per-class scores: read it from `perClass()`).
 * Log key `fbetaScore`.
 *
 * @example
 * new FBetaScore({ beta: 2 }); // recall weighted twice as much
 */
export class FBetaScore extends ClassConfusionMetric {
  readonly beta: number;

  constructor(opts: FBetaOptions = {}, defaultName = 'fbetaScore') {
    super(defaultName, opts);
    const beta = opts.beta ?? 1;
    if (!(Number.isFinite(beta) && beta > 0)) throw new ValueError(`${this.name}: beta must be a positive number, got ${String(beta)}`);
    this.beta = beta;
  }

  protected score(tp: number, fp: number, fn: number): number {
    const b2 = this.beta * this.beta;
    return ratio((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp);
  }
}

/**
 * F1 score over classes: `2·TP / (2·TP + FP + FN)` per class (the harmonic mean of precision and
 * recall), macro-averaged by default. `metrics: ['f1']` in compile. Log key `f1Score`.
 *
 * @example
 * model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy', 'f1'] });
 */
export class F1Score extends FBetaScore {
  constructor(opts: ClassMetricOptions = {}) {
    super({ ...opts, beta: 1 }, 'f1Score');
  }
}
