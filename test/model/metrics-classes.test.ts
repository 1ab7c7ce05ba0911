import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { confusionMatrix, F1Score, FBetaScore, getMetric, MulticlassPrecision, MulticlassRecall, Precision, Recall } from '../../src/model/metrics.js';
import { mlp, quiet, toyData } from './helpers.js';

const i32 = (v: nb.NestedArray): nb.Tensor => nb.tensor(v, { dtype: 'int32' });
const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);
const closeAll = (a: number[], b: number[]): void => {
  assert.equal(a.length, b.length);
  a.forEach((v, i) => close(v, b[i]!));
};

// Hand-worked example, 3 classes:
//   true      0 0 1 1 1 2 2 0
//   argmax    0 1 1 1 0 2 1 0
// confusion [[2, 1, 0], [1, 2, 0], [0, 1, 1]]
// precision per class 2/3, 2/4, 1/1; recall 2/3, 2/3, 1/2; F1 = 2tp/(2tp+fp+fn) 4/6, 4/7, 2/3
const labels = [0, 0, 1, 1, 1, 2, 2, 0];
const argmaxes = [0, 1, 1, 1, 0, 2, 1, 0];
/** Softmax-like rows whose argmax is `argmaxes`, with `extra` always-zero classes after the 3. */
function scores(extra = 0): nb.Tensor {
  return nb.tensor(argmaxes.map((k) => Array.from({ length: 3 + extra }, (_, j) => (j === k ? 0.6 : j < 3 ? 0.2 : 0))));
}

test('MulticlassPrecision, MulticlassRecall, F1Score: per class and macro, against hand-computed values', () => {
  const p = new MulticlassPrecision();
  const r = new MulticlassRecall();
  const f = new F1Score();
  for (const m of [p, r, f]) m.update(i32(labels), scores());
  assert.deepEqual([p.name, r.name, f.name], ['macroPrecision', 'macroRecall', 'f1Score']);
  assert.deepEqual(f.confusion(), [[2, 1, 0], [1, 2, 0], [0, 1, 1]]);
  closeAll(p.perClass(), [2 / 3, 1 / 2, 1]);
  closeAll(r.perClass(), [2 / 3, 2 / 3, 1 / 2]);
  closeAll(f.perClass(), [2 / 3, 4 / 7, 2 / 3]);
  close(p.result(), 13 / 18);
  close(r.result(), 11 / 18);
  close(f.result(), 40 / 63);
});

test('average: weighted by support, micro (= accuracy here); classId gives one class', () => {
  const weighted = new F1Score({ average: 'weighted' });
  const micro = new F1Score({ average: 'micro' });
  const recallW = new MulticlassRecall({ average: 'weighted' });
  const one = new MulticlassPrecision({ classId: 1, name: 'precision_1' });
  for (const m of [weighted, micro, recallW, one]) m.update(i32(labels), scores());
  close(weighted.result(), (3 * (2 / 3) + 3 * (4 / 7) + 2 * (2 / 3)) / 8); // 53/84
  close(micro.result(), 5 / 8);
  close(recallW.result(), 5 / 8); // weighted recall is accuracy
  assert.equal(one.name, 'precision_1');
  close(one.result(), 1 / 2);
  assert.throws(() => new F1Score({ classId: 5 }).update(i32(labels), scores()), /f1Score: classId 5 is not a class of 3 \(valid: 0\.\.2\)/);
  assert.throws(() => new F1Score({ average: 'binary' as 'macro' }), /f1Score: average must be one of 'macro', 'micro', 'weighted', got "binary"/);
  assert.throws(() => new FBetaScore({ beta: 0 }), /fbetaScore: beta must be a positive number, got 0/);
});

test('macro leaves out classes never seen in targets nor predictions (as scikit-learn)', () => {
  const f = new F1Score();
  f.update(i32(labels), scores(2)); // 5 classes, 3 and 4 never occur
  closeAll(f.perClass(), [2 / 3, 4 / 7, 2 / 3, 0, 0]);
  close(f.result(), 40 / 63);
});

test('FBetaScore weighs recall by beta²; streaming over batches equals one batch; one-hot and binary inputs', () => {
  const f2 = new FBetaScore({ beta: 2 });
  f2.update(i32(labels), scores());
  // (1+4)tp / ((1+4)tp + 4fn + fp): class 0: 10/(10+4+1); class 1: 10/(10+4+2); class 2: 5/(5+4+0)
  close(f2.result(), (10 / 15 + 10 / 16 + 5 / 9) / 3);

  const byBatch = new F1Score();
  byBatch.update(i32(labels.slice(0, 3)), scores().slice([[0, 3]]));
  byBatch.update(i32(labels.slice(3)), scores().slice([[3, 8]]));
  close(byBatch.result(), 40 / 63);

  const oneHot = new F1Score();
  oneHot.update(nb.tensor(labels.map((k) => [0, 1, 2].map((j) => (j === k ? 1 : 0)))), scores());
  close(oneHot.result(), 40 / 63);

  // binary: one probability per sample, class 1 when > 0.5 → true [1,1,0,0], predicted [1,0,0,1]
  const bin = new MulticlassPrecision({ classId: 1 });
  bin.update(nb.tensor([1, 1, 0, 0]), nb.tensor([[0.9], [0.2], [0.5], [0.7]]));
  close(bin.result(), 1 / 2);
  assert.deepEqual(bin.confusion(), [[1, 1], [1, 1]]);
});

test('sampleWeight weighs each sample in the confusion counts; reset forgets them', () => {
  const r = new MulticlassRecall();
  // class 0: one right (w 3), one wrong (w 1) → 3/4; class 1: right (w 1) → 1
  r.update(i32([0, 0, 1]), nb.tensor([[0.9, 0.1], [0.1, 0.9], [0.2, 0.8]]), nb.tensor([3, 1, 1]));
  closeAll(r.perClass(), [3 / 4, 1]);
  assert.throws(() => r.update(i32([0, 1]), nb.zeros([2, 3])), /macroRecall: this batch has 3 classes but earlier ones had 2; call reset\(\) before scoring another model/);
  r.reset();
  assert.equal(r.result(), 0);
  r.update(i32([2]), nb.tensor([[0, 0, 1]]));
  assert.deepEqual(r.confusion(), [[0, 0, 0], [0, 0, 0], [0, 0, 1]]);
});

test('the binary Precision/Recall refuse integer labels against class scores and name the class metrics', () => {
  assert.throws(() => new Precision().update(i32(labels), scores()), { name: 'ShapeError', message: /precision: integer labels \[8\] against 3 class scores \[8,3\].*'macroPrecision' \(MulticlassPrecision\) or 'f1'/ });
  assert.throws(() => new Recall().update(i32(labels), scores()), /'macroRecall' \(MulticlassRecall\)/);
});

test('by name: f1, macro_f1, f1_score, macroPrecision, macro_recall', () => {
  assert.ok(getMetric('f1') instanceof F1Score);
  assert.equal(getMetric('f1').name, 'f1');
  assert.ok(getMetric('macro_f1') instanceof F1Score);
  assert.ok(getMetric('f1_score') instanceof F1Score);
  assert.ok(getMetric('macroPrecision') instanceof MulticlassPrecision);
  assert.ok(getMetric('macro_recall') instanceof MulticlassRecall);
});

test('compile({ metrics }) logs them in fit and evaluate; evaluate equals the metric on predict', async () => {
  const { x, y } = toyData(64, 3);
  const model = mlp();
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy', 'f1', 'macroPrecision', new MulticlassRecall({ classId: 2, name: 'recall_2' })] });
  const h = await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, stream: quiet });
  for (const key of ['f1', 'macroPrecision', 'recall_2']) assert.equal(h.history[key]?.length, 1, key);
  const logs = await model.evaluate(x, y, { batchSize: 16, verbose: 0 });
  const f = new F1Score();
  f.update(y, model.predict(x));
  close(logs.f1!, f.result(), 1e-9);
});

test('confusionMatrix: labels or class scores, rows are true classes; numClasses fixes the size', () => {
  assert.deepEqual(confusionMatrix(labels, scores()), [[2, 1, 0], [1, 2, 0], [0, 1, 1]]);
  assert.deepEqual(nb.metrics.confusionMatrix(i32([0, 1]), [1, 1], { numClasses: 3 }), [[0, 1, 0], [0, 1, 0], [0, 0, 0]]);
  assert.throws(() => confusionMatrix([0, 3], [0, 1], { numClasses: 3 }), /confusionMatrix: label 3 found, but there are only 3 classes/);
  assert.throws(() => confusionMatrix([0], [0], { numClasses: 0 }), /confusionMatrix: numClasses must be a positive integer, got 0/);
  assert.throws(() => confusionMatrix([0, 1], [0]), { name: 'ShapeError', message: /confusionMatrix: yTrue has 2 samples but yPred has 1/ });
});
