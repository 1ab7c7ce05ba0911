import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import {
  AUC, Accuracy, BinaryAccuracy, CategoricalAccuracy, Mean, MeanAbsoluteError, MeanSquaredError, Metric,
  METRIC_NAMES, Precision, Recall, F1Score, MulticlassPrecision, MulticlassRecall, SparseCategoricalAccuracy, SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy, accuracyKind, getMetric,
} from '../../src/model/metrics.js';

const f64 = (v: nb.NestedArray): nb.Tensor => nb.tensor(v, { dtype: 'float64' });
const i32 = (v: nb.NestedArray): nb.Tensor => nb.tensor(v, { dtype: 'int32' });
const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

/** Feeds `batches` one by one to a fresh metric and their concatenation to another; both must agree. */
function streamed(make: () => Metric, batches: [nb.Tensor, nb.Tensor][]): number {
  const byBatch = make();
  for (const [t, p] of batches) byBatch.update(t, p);
  const whole = make();
  whole.update(nb.concat(batches.map((b) => b[0]), 0), nb.concat(batches.map((b) => b[1]), 0));
  close(byBatch.result(), whole.result());
  return byBatch.result();
}

test('BinaryAccuracy: strictly above the threshold is 1; [N] labels fit [N, 1] predictions', () => {
  const yPred = f64([[0.9], [0.2], [0.4], [0.5]]);
  const m = new BinaryAccuracy();
  assert.equal(m.name, 'binaryAccuracy');
  m.update(f64([[1], [0], [1], [0]]), yPred);
  assert.equal(m.result(), 3 / 4); // 0.4 → 0 misses a 1; 0.5 is not > 0.5 → 0, right
  const low = new BinaryAccuracy(0.3);
  low.update(f64([1, 0, 1, 0]), yPred);
  assert.equal(low.result(), 3 / 4); // 0.9→1 ✓ 0.2→0 ✓ 0.4→1 ✓ 0.5→1 ✗
});

test('BinaryAccuracy streams exactly over unequal batches (not a mean of batch means), and resets', () => {
  const b1: [nb.Tensor, nb.Tensor] = [f64([[1], [0], [1]]), f64([[0.9], [0.1], [0.8]])]; // 3/3
  const b2: [nb.Tensor, nb.Tensor] = [f64([[1]]), f64([[0.2]])]; // 0/1
  assert.equal(streamed(() => new BinaryAccuracy(), [b1, b2]), 3 / 4); // mean of means would be 1/2
  const m = new BinaryAccuracy();
  assert.equal(m.result(), 0);
  m.update(...b2);
  m.reset();
  m.update(...b1);
  assert.equal(m.result(), 1);
});

test('sampleWeight: one per sample, [N, 1], or one per value; bad weights are errors', () => {
  const m = new BinaryAccuracy();
  // correct: [1, 0, 1, 1]
  m.update(f64([[1], [0], [1], [0]]), f64([[0.9], [0.9], [0.6], [0.1]]), f64([1, 2, 0, 1]));
  assert.equal(m.result(), 2 / 4); // (1·1 + 2·0 + 0·1 + 1·1) / (1+2+0+1)
  m.update(f64([[1]]), f64([[0.0]]), f64([[4]]));
  assert.equal(m.result(), 2 / 8);
  const mse = new MeanSquaredError();
  mse.update(f64([[0, 0], [0, 0]]), f64([[1, 2], [3, 4]]), f64([[1, 0], [0, 1]]));
  assert.equal(mse.result(), (1 + 16) / 2);
  assert.throws(() => m.update(f64([1, 0]), f64([1, 0]), f64([1, 2, 3])), /binaryAccuracy: sampleWeight \[3\] does not fit the scores \[2\]/);
  assert.throws(() => m.update(f64([1, 0]), f64([1, 0]), f64([1, -1])), /non-negative/);
});

test('CategoricalAccuracy compares argmaxes of one-hot targets and predictions', () => {
  const t = f64([[0, 1, 0], [1, 0, 0], [0, 0, 1]]);
  const p = f64([[0.2, 0.5, 0.3], [0.1, 0.6, 0.3], [0.3, 0.3, 0.4]]);
  const m = new CategoricalAccuracy();
  m.update(t, p);
  assert.equal(m.result(), 2 / 3);
  const r = streamed(() => new CategoricalAccuracy(), [[t, p], [f64([[0, 1, 0]]), f64([[0.9, 0.05, 0.05]])]]);
  assert.equal(r, 2 / 4);
  assert.throws(() => m.update(i32([1, 0, 2]), p), /categoricalAccuracy: yTrue \[3\] and yPred \[3,3\]/);
});

test('SparseCategoricalAccuracy takes [N] or [N, 1] integer labels, and rejects bad ones', () => {
  const p = f64([[0.2, 0.5, 0.3], [0.1, 0.6, 0.3], [0.3, 0.3, 0.4]]);
  const m = new SparseCategoricalAccuracy();
  m.update(i32([1, 0, 2]), p);
  assert.equal(m.result(), 2 / 3);
  m.update(f64([[1], [1], [1]]), p); // float labels holding integers are fine; right: rows 0, 1
  assert.equal(m.result(), 4 / 6);
  assert.equal(streamed(() => new SparseCategoricalAccuracy(), [[i32([1, 0, 2]), p], [i32([0]), f64([[0.9, 0.05, 0.05]])]]), 3 / 4);
  assert.throws(() => m.update(i32([3, 0, 1]), p), /sparseCategoricalAccuracy: label 3 is not a class index for 3 classes/);
  assert.throws(() => m.update(f64([0.5, 0, 1]), p), /label 0.5/);
  assert.throws(() => m.update(i32([1, 0]), p), /sparseCategoricalAccuracy: labels yTrue \[2\] do not match predictions yPred \[3,3\]/);
});

test('TopKCategoricalAccuracy and its sparse variant count ties with the k-th score as in the top k', () => {
  const p = f64([[0.5, 0.2, 0.3], [0.5, 0.2, 0.3], [0.4, 0.3, 0.3], [0.1, 0.1, 0.8]]);
  const labels = [2, 1, 2, 0]; // ranks of the label: 2nd, 3rd, tied 2nd, tied 2nd
  const oneHot = f64(labels.map((l) => [0, 1, 2].map((c) => (c === l ? 1 : 0))));
  const top2 = new TopKCategoricalAccuracy(2);
  top2.update(oneHot, p);
  assert.equal(top2.result(), 3 / 4);
  const top1 = new SparseTopKCategoricalAccuracy(1);
  top1.update(i32(labels), p);
  assert.equal(top1.result(), 0);
  const sparse2 = new SparseTopKCategoricalAccuracy(2);
  sparse2.update(i32(labels), p);
  assert.equal(sparse2.result(), 3 / 4);
  assert.equal(new TopKCategoricalAccuracy().k, 5);
  assert.throws(() => new TopKCategoricalAccuracy(0), /k must be a positive integer/);
});

test('MeanSquaredError and MeanAbsoluteError over every value, streamed', () => {
  const b1: [nb.Tensor, nb.Tensor] = [f64([[0, 1], [2, 3]]), f64([[1, 1], [0, 3]])]; // d = 1, 0, -2, 0
  const b2: [nb.Tensor, nb.Tensor] = [f64([[1, 1]]), f64([[4, 1]])]; // d = 3, 0
  assert.equal(streamed(() => new MeanSquaredError(), [b1, b2]), (1 + 4 + 9) / 6);
  assert.equal(streamed(() => new MeanAbsoluteError(), [b1, b2]), (1 + 2 + 3) / 6);
  const mse = new MeanSquaredError();
  assert.equal(mse.name, 'mse');
  mse.update(f64([1, 2]), f64([[1], [4]]));
  assert.equal(mse.result(), 2);
  assert.throws(() => mse.update(f64([1, 2, 3]), f64([[1, 2]])), /mse: yTrue \[3\] and yPred \[1,2\] must have the same shape/);
  assert.throws(() => mse.update([1, 2] as unknown as nb.Tensor, f64([1, 2])), /mse: expected yTrue to be a Tensor/);
});

test('Precision and Recall from thresholded predictions, weighted, 0 when undefined', () => {
  const t = f64([1, 1, 1, 0, 0, 0]);
  const p = f64([0.9, 0.7, 0.2, 0.8, 0.1, 0.5]); // TP 2, FN 1, FP 1 (0.5 is not > 0.5), TN 2
  const pr = new Precision();
  const rc = new Recall();
  pr.update(t, p);
  rc.update(t, p);
  assert.equal(pr.result(), 2 / 3);
  assert.equal(rc.result(), 2 / 3);
  const pr4 = new Precision(0.4);
  pr4.update(t, p); // now 0.5 is a false positive too
  assert.equal(pr4.result(), 2 / 4);
  const wp = new Precision();
  wp.update(t, p, f64([1, 3, 1, 2, 1, 1])); // TP 1+3, FP 2
  assert.equal(wp.result(), 4 / 6);
  const wr = new Recall();
  wr.update(t, p, f64([1, 3, 4, 1, 1, 1])); // TP 4, FN 4
  assert.equal(wr.result(), 1 / 2);
  const none = new Precision();
  none.update(f64([1, 0]), f64([0.1, 0.2]));
  assert.equal(none.result(), 0);
  const noPos = new Recall();
  noPos.update(f64([0, 0]), f64([0.9, 0.2]));
  assert.equal(noPos.result(), 0);
  assert.equal(streamed(() => new Recall(), [[t, p], [f64([1]), f64([0.6])]]), 3 / 4);
  pr.reset();
  assert.equal(pr.result(), 0);
});

test('AUC: perfect ranking 1, reversed 0, and exact AUC when classes never share a bucket', () => {
  const perfect = new AUC();
  perfect.update(f64([1, 1, 0, 0]), f64([0.9, 0.8, 0.2, 0.1]));
  close(perfect.result(), 1);
  const reversed = new AUC();
  reversed.update(f64([0, 0, 1, 1]), f64([0.9, 0.8, 0.2, 0.1]));
  close(reversed.result(), 0);
  // Ranked .8(P) .6(N) .3(P) .1(N): ROC (0,0)→(0,½)→(½,½)→(½,1)→(1,1), area ½·½ + ½·1 = 3/4.
  const mixed = new AUC();
  mixed.update(f64([0, 1, 0, 1]), f64([0.1, 0.3, 0.6, 0.8]));
  close(mixed.result(), 0.75);
  assert.equal(mixed.name, 'auc');
});

test('AUC with coarse thresholds follows the trapezoidal rule computed by hand', () => {
  // numThresholds 5: t = [−1e-7, .25, .5, .75, 1+1e-7]; positives .8 .6 .3, negatives .7 .2.
  // TP at each t: 3 3 2 1 0 → TPR 1 1 ⅔ ⅓ 0;  FP: 2 1 1 0 0 → FPR 1 ½ ½ 0 0.
  // Σ (FPRᵢ − FPRᵢ₊₁)(TPRᵢ + TPRᵢ₊₁)/2 = ½·2/2 + 0 + ½·1/2 + 0 = 0.75 (the exact AUC is 4/6).
  const t = f64([1, 1, 1, 0, 0]);
  const p = f64([0.8, 0.6, 0.3, 0.7, 0.2]);
  const auc = new AUC(5);
  auc.update(t, p);
  close(auc.result(), 0.75);
  // Weight 2 on the positive at .3 → TP 4 4 2 1 0 → TPR 1 1 ½ ¼ 0: ½·2/2 + 0 + ½·¾/2 = 0.6875.
  const w = new AUC(5);
  w.update(t, p, f64([1, 1, 2, 1, 1]));
  close(w.result(), 0.6875);
  // numThresholds 3: t = [−1e-7, .5, 1+1e-7]; TPR 1 ⅔ 0, FPR 1 ½ 0 → ½·(5/3)/2 + ½·(2/3)/2 = 7/12.
  const coarse = new AUC(3);
  coarse.update(t, p);
  close(coarse.result(), 7 / 12);
  close(streamed(() => new AUC(5), [[t.slice([[0, 2]]), p.slice([[0, 2]])], [t.slice([[2, 5]]), p.slice([[2, 5]])]]), 0.75);
});

test('AUC rejects probabilities outside [0, 1] and a bad threshold count; resets', () => {
  const auc = new AUC();
  assert.throws(() => auc.update(f64([1, 0]), f64([1.5, 0])), /auc: predictions must be probabilities in \[0, 1\], got 1.5/);
  assert.throws(() => new AUC(1), /numThresholds must be an integer greater than 1/);
  auc.update(f64([1, 0]), f64([0.9, 0.1]));
  auc.reset();
  assert.equal(auc.result(), 0);
});

test("Accuracy resolves Keras' 'accuracy' to binary, sparse or categorical from the shapes", () => {
  const bin = new Accuracy();
  assert.equal(bin.kind, null);
  bin.update(f64([[1], [0]]), f64([[0.7], [0.6]]));
  assert.equal(bin.kind, 'binary');
  assert.equal(bin.result(), 1 / 2);
  const p = f64([[0.2, 0.5, 0.3], [0.1, 0.6, 0.3]]);
  const sparse = new Accuracy();
  sparse.update(i32([1, 2]), p);
  assert.equal(sparse.kind, 'sparse');
  assert.equal(sparse.result(), 1 / 2);
  const cat = new Accuracy();
  cat.update(f64([[0, 1, 0], [0, 1, 0]]), p);
  assert.equal(cat.kind, 'categorical');
  assert.equal(cat.result(), 1);
  cat.reset();
  assert.equal(cat.result(), 0);
  assert.equal(cat.kind, 'categorical');
  assert.equal(cat.name, 'accuracy');
  assert.equal(accuracyKind(f64([1, 0]), f64([0.3, 0.9])), 'binary');
  assert.equal(accuracyKind(i32([[1], [2]]), p), 'sparse');
  assert.throws(() => accuracyKind(f64([[[1]]]), p), /accuracy: cannot tell .* from yTrue \[1,1,1\] and yPred \[2,3\]/);
});

test('Mean is a weighted running mean of numbers or tensor elements', () => {
  const loss = new Mean('loss');
  loss.update(0.5, 32);
  loss.update(f64(0.2), 8);
  close(loss.result(), (0.5 * 32 + 0.2 * 8) / 40);
  const m = new Mean();
  assert.equal(m.name, 'mean');
  assert.equal(m.result(), 0);
  m.update(f64([1, 2, 3]));
  m.update(f64([10, 20]), f64([1, 0]));
  assert.equal(m.result(), 16 / 4);
  m.update(NaN);
  assert.ok(Number.isNaN(m.result()));
  m.reset();
  assert.equal(m.result(), 0);
  assert.throws(() => m.update(1, -2), /mean: weights must be finite and non-negative/);
});

test('getMetric: Keras names and aliases log under the name given; unknown names list the valid ones', () => {
  const cases: [string, new (...a: never[]) => Metric][] = [
    ['accuracy', Accuracy], ['acc', Accuracy], ['binaryAccuracy', BinaryAccuracy],
    ['categoricalAccuracy', CategoricalAccuracy], ['sparseCategoricalAccuracy', SparseCategoricalAccuracy],
    ['topKCategoricalAccuracy', TopKCategoricalAccuracy], ['sparseTopKCategoricalAccuracy', SparseTopKCategoricalAccuracy],
    ['mse', MeanSquaredError], ['meanSquaredError', MeanSquaredError], ['mae', MeanAbsoluteError],
    ['meanAbsoluteError', MeanAbsoluteError], ['precision', Precision], ['recall', Recall], ['auc', AUC],
    ['f1Score', F1Score], ['f1', F1Score], ['macroF1', F1Score], ['macroPrecision', MulticlassPrecision], ['macroRecall', MulticlassRecall],
  ];
  for (const [name, cls] of cases) {
    const m = getMetric(name);
    assert.ok(m instanceof cls, name);
    assert.equal(m.name, name);
  }
  assert.notEqual(getMetric('auc'), getMetric('auc')); // fresh state each time
  const mine = new AUC(50);
  assert.equal(getMetric(mine), mine);
  assert.deepEqual([...METRIC_NAMES].sort(), cases.map((c) => c[0]).sort());
  assert.throws(() => getMetric('kappa'), {
    name: 'ValueError',
    message: "Unknown metric 'kappa'. Valid: accuracy (acc), binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, topKCategoricalAccuracy, " +
      'sparseTopKCategoricalAccuracy, meanSquaredError (mse), meanAbsoluteError (mae), precision, recall, auc, f1Score (f1, macroF1), ' +
      'macroPrecision, macroRecall. Or pass a Metric instance.',
  });
  assert.throws(() => getMetric('toString'), /^ValueError: Unknown metric 'toString'\./);
  assert.throws(() => getMetric('constructor'), /Unknown metric 'constructor'\./);
  assert.throws(() => getMetric(null as never), /getMetric: expected a metric name or a Metric instance, got null/);
});

test('getMetric: the one case rule of every name registry (snake_case and any case), with a suggestion for a typo', () => {
  const m = getMetric('sparse_categorical_accuracy');
  assert.ok(m instanceof SparseCategoricalAccuracy);
  assert.equal(m.name, 'sparse_categorical_accuracy'); // logs under the name it was asked for, as Keras does
  assert.ok(getMetric('ACC') instanceof Accuracy);
  assert.ok(getMetric('BinaryAccuracy') instanceof BinaryAccuracy);
  assert.throws(() => getMetric('precison'), /Unknown metric 'precison'\. Valid: .*\. Did you mean 'precision'\? Or pass a Metric instance\.$/);
});
