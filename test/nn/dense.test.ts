import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { layers, regularizers } from '../../src/nn/index.js';
import { runLayerTest } from './run-layer-test.js';

const close = (a: number, b: number, tol = 1e-5) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('Dense passes runLayerTest (2-D input)', () => {
  runLayerTest({
    make: () => new layers.Dense(3, { activation: 'tanh', name: 'fc' }),
    input: nb.randn([4, 5], { generator: new nb.Generator(1) }),
    outputShape: [4, 3],
    trainable: { kernel: [5, 3], bias: [3] },
  });
});

test('Dense passes runLayerTest (3-D input, no bias, regularized)', () => {
  runLayerTest({
    make: () => new layers.Dense(2, { useBias: false, kernelInitializer: 'heNormal', kernelRegularizer: 'l2', name: 'proj' }),
    input: nb.randn([2, 3, 4], { generator: new nb.Generator(2) }),
    outputShape: [2, 3, 2],
    trainable: { kernel: [4, 2] },
  });
});

test('Dense computes x·W + b (checked by hand)', () => {
  const dense = new layers.Dense(2, { activation: 'relu' });
  const x = nb.tensor([[1, 2, 3], [-1, 0, 1]]);
  dense.apply(x);
  assert.deepEqual(dense.kernel.shape, [3, 2]);
  dense.loadStateDict({ kernel: nb.tensor([[1, -1], [2, 0], [0, 1]]), bias: nb.tensor([0.5, -4]) });
  // row 0: [1+4+0+0.5, -1+0+3-4] = [5.5, -2] → relu → [5.5, 0]
  // row 1: [-1+0+0+0.5, 1+0+1-4] = [-0.5, -2] → [0, 0]
  assert.deepEqual(dense.apply(x).toArray(), [[5.5, 0], [0, 0]]);
});

test('Dense on N-D input applies to the last axis, row by row', () => {
  const dense = new layers.Dense(3);
  const x = nb.randn([2, 4, 5], { generator: new nb.Generator(3) });
  const y = dense.apply(x);
  const w = dense.kernel.toArray() as number[][];
  const b = (dense.bias as nb.Tensor).toArray() as number[];
  const xs = x.toArray() as number[][][];
  const ys = y.toArray() as number[][][];
  for (let i = 0; i < 2; i++) {
    for (let t = 0; t < 4; t++) {
      for (let j = 0; j < 3; j++) {
        let s = b[j]!;
        for (let k = 0; k < 5; k++) s += xs[i]![t]![k]! * w[k]![j]!;
        close(ys[i]![t]![j]!, s);
      }
    }
  }
});

test('Dense validates units and the input width', () => {
  assert.throws(() => new layers.Dense(-1), /Dense: units must be a positive integer, got -1/);
  assert.throws(() => new layers.Dense(2.5), /Dense: units must be a positive integer, got 2.5/);
  const dense = new layers.Dense(10, { name: 'dense' });
  dense.apply(nb.zeros([2, 784]));
  assert.throws(() => dense.apply(nb.zeros([2, 100])), /Dense 'dense': expected input with last dimension 784, got 100/);
});

test('Dense unknown activation or initializer names are clear errors', () => {
  assert.throws(() => new layers.Dense(2, { activation: 'rleu' }), /Unknown activation 'rleu'\. Valid: relu, leakyRelu, elu, gelu, sigmoid, tanh, softmax/);
  assert.throws(() => new layers.Dense(2, { kernelInitializer: 'glorotUnifrom' }), /Unknown initializer 'glorotUnifrom'\. Valid: glorotUniform, /);
  assert.throws(() => new layers.Dense(2, { kernelRegularizer: 'l3' }), /Unknown regularizer 'l3'\. Valid: l1, l2, l1l2/);
});

test('Dense casts int32 inputs to its float dtype', () => {
  const dense = new layers.Dense(2);
  const y = dense.apply(nb.tensor([[1, 2]], { dtype: 'int32' }));
  assert.equal(y.dtype, 'float32');
});

test('Dense regularizers add their penalty to regularizationLoss', () => {
  const dense = new layers.Dense(2, { kernelRegularizer: regularizers.l2(0.1), biasRegularizer: regularizers.l1(0.5) });
  assert.equal(new layers.Dense(2).regularizationLoss(), null);
  dense.apply(nb.zeros([1, 2]));
  dense.loadStateDict({ kernel: nb.tensor([[1, 2], [3, -1]]), bias: nb.tensor([-2, 1]) });
  const penalty = dense.regularizationLoss()!;
  close(penalty.item(), 0.1 * (1 + 4 + 9 + 1) + 0.5 * 3);
  penalty.backward();
  // d(0.1·Σw²)/dw = 0.2·w ; d(0.5·Σ|b|)/db = 0.5·sign(b)
  Array.from(dense.kernel.grad!.data()).forEach((g, i) => close(g, [0.2, 0.4, 0.6, -0.2][i]!));
  assert.deepEqual(dense.bias!.grad!.toArray(), [-0.5, 0.5]);
});
