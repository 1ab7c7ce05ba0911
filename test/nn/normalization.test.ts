import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { functionalCall, layers } from '../../src/nn/index.js';
import { runLayerTest } from './run-layer-test.js';

const close = (a: number, b: number, tol = 1e-5) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);
const g = (seed: number) => new nb.Generator(seed);

test('LayerNormalization passes runLayerTest', () => {
  runLayerTest({
    make: () => new layers.LayerNormalization({ name: 'ln' }),
    input: nb.randn([3, 4, 6], { generator: g(1) }),
    outputShape: [3, 4, 6],
    trainable: { gamma: [6], beta: [6] },
  });
});

test('LayerNormalization over two axes, without center', () => {
  runLayerTest({
    make: () => new layers.LayerNormalization({ axis: [1, 2], center: false, name: 'ln2' }),
    input: nb.randn([2, 3, 4], { generator: g(2) }),
    outputShape: [2, 3, 4],
    trainable: { gamma: [3, 4] },
  });
});

test('LayerNormalization normalises each sample (mean 0, variance v/(v+ε))', () => {
  const x = nb.randn([4, 16], { generator: g(3) }).mul(5).add(3);
  const ln = new layers.LayerNormalization();
  assert.equal(ln.epsilon, 1e-3);
  const y = ln.apply(x).toArray() as number[][];
  const rows = x.toArray() as number[][];
  rows.forEach((row, i) => {
    const m = row.reduce((a, b) => a + b, 0) / row.length;
    const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / row.length;
    const out = y[i]!;
    const om = out.reduce((a, b) => a + b, 0) / out.length;
    const ov = out.reduce((a, b) => a + (b - om) ** 2, 0) / out.length;
    close(om, 0, 1e-5);
    close(ov, v / (v + 1e-3), 1e-4);
    close(out[0]!, (row[0]! - m) / Math.sqrt(v + 1e-3), 1e-4);
  });
});

test('LayerNormalization rejects inputs whose feature size changed', () => {
  const ln = new layers.LayerNormalization({ name: 'ln_feat' });
  ln.apply(nb.zeros([2, 8]));
  assert.throws(() => ln.apply(nb.zeros([2, 5])), /LayerNormalization 'ln_feat': was built for feature dims \[8\] on axes \[1\], got input of shape \[2,5\]/);
});

test('gradcheck: LayerNormalization forward (input, gamma, beta) in float64', () => {
  const ln = new layers.LayerNormalization({ dtype: 'float64' });
  const x = nb.randn([3, 5], { dtype: 'float64', generator: g(4) });
  ln.apply(x);
  const gamma = nb.randn([5], { dtype: 'float64', generator: g(5) });
  const beta = nb.randn([5], { dtype: 'float64', generator: g(6) });
  const r = nb.testing.gradcheck((xi, gi, bi) => functionalCall(ln, { gamma: gi!, beta: bi! }, xi!, true), [x, gamma, beta]);
  assert.ok(r.ok);
});

test('BatchNormalization passes runLayerTest ([N, C] and [N, T, C])', () => {
  runLayerTest({
    make: () => new layers.BatchNormalization({ name: 'bn' }),
    input: nb.randn([6, 4], { generator: g(7) }),
    outputShape: [6, 4],
    trainable: { gamma: [4], beta: [4] },
    nonTrainable: { movingMean: [4], movingVariance: [4] },
  });
  runLayerTest({
    make: () => new layers.BatchNormalization({ name: 'bn3', scale: false }),
    input: nb.randn([2, 3, 4], { generator: g(8) }),
    outputShape: [2, 3, 4],
    trainable: { beta: [4] },
    nonTrainable: { movingMean: [4], movingVariance: [4] },
  });
});

test('BatchNormalization: batch statistics in training, moving ones (updated with momentum) in inference', () => {
  const bn = new layers.BatchNormalization({ momentum: 0.9 });
  const x = nb.tensor([[1, 2], [3, 6]]);
  // batch mean [2, 4], biased variance [1, 4]
  const y = bn.apply(x, true).toArray() as number[][];
  const eps = 1e-3;
  close(y[0]![0]!, -1 / Math.sqrt(1 + eps));
  close(y[0]![1]!, -2 / Math.sqrt(4 + eps));
  close(y[1]![1]!, 2 / Math.sqrt(4 + eps));
  // moving = 0.9·moving + 0.1·batch, from zeros / ones
  const mm = bn.movingMean.toArray() as number[];
  const mv = bn.movingVariance.toArray() as number[];
  close(mm[0]!, 0.2);
  close(mm[1]!, 0.4);
  close(mv[0]!, 0.9 + 0.1);
  close(mv[1]!, 0.9 + 0.4);
  // a second step moves them again
  bn.apply(x, true);
  close((bn.movingMean.toArray() as number[])[0]!, 0.9 * 0.2 + 0.2);
  // inference uses the moving statistics and does not change them
  const meanNow = bn.movingMean.toArray() as number[];
  const varNow = bn.movingVariance.toArray() as number[];
  const z = bn.apply(x).toArray() as number[][];
  close(z[1]![0]!, (3 - meanNow[0]!) / Math.sqrt(varNow[0]! + eps), 1e-5);
  close(z[0]![1]!, (2 - meanNow[1]!) / Math.sqrt(varNow[1]! + eps), 1e-5);
  assert.deepEqual(bn.movingMean.toArray(), meanNow);
});

test('BatchNormalization moving statistics are non-trainable and outside autograd', () => {
  const bn = new layers.BatchNormalization();
  assert.equal(bn.momentum, 0.99);
  assert.equal(bn.epsilon, 1e-3);
  const x = nb.randn([5, 3], { generator: g(9) });
  const out = bn.apply(x, true);
  assert.deepEqual(bn.parameters(), [bn.gamma, bn.beta]);
  assert.deepEqual(bn.nonTrainableWeights, [bn.movingMean, bn.movingVariance]);
  assert.equal(bn.movingMean.requiresGrad, false);
  assert.equal(bn.movingMean.isLeaf, true);
  out.sum().backward();
  assert.equal(bn.movingMean.grad, null);
  assert.ok(bn.gamma!.grad);
});

test('a frozen BatchNormalization uses its moving statistics even when training (as Keras)', () => {
  const bn = new layers.BatchNormalization();
  const x = nb.randn([4, 2], { generator: g(10) }).mul(3).add(1);
  bn.apply(x, true);
  const before = bn.movingMean.toArray();
  bn.trainable = false;
  assert.deepEqual(bn.apply(x, true).toArray(), bn.apply(x, false).toArray());
  assert.deepEqual(bn.movingMean.toArray(), before);
});

test('gradcheck: BatchNormalization training-mode forward (input, gamma, beta) in float64', () => {
  for (const shape of [[6, 3], [2, 3, 3]]) {
    const bn = new layers.BatchNormalization({ dtype: 'float64' });
    const x = nb.randn(shape, { dtype: 'float64', generator: g(11) });
    bn.apply(x, true);
    const gamma = nb.randn([3], { dtype: 'float64', generator: g(12) });
    const beta = nb.randn([3], { dtype: 'float64', generator: g(13) });
    const r = nb.testing.gradcheck((xi, gi, bi) => functionalCall(bn, { gamma: gi!, beta: bi! }, xi!, true), [x, gamma, beta]);
    assert.ok(r.ok);
  }
});

test('BatchNormalization validates its options', () => {
  assert.throws(() => new layers.BatchNormalization({ momentum: 1.5 }), /BatchNormalization: momentum must be a number in \[0, 1\], got 1.5/);
  assert.throws(() => new layers.BatchNormalization({ axis: 3 }).apply(nb.zeros([2, 2])), /axis 3 is out of range/);
});
