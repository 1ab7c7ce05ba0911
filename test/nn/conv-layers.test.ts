import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { layers, type Layer } from '../../src/nn/index.js';
import { conv2d } from '../../src/ops/conv.js';
import { runLayerTest } from './run-layer-test.js';

const input = (shape: number[], seed = 1) => nb.randn(shape, { generator: new nb.Generator(seed) });

test('Conv2D passes runLayerTest (same padding)', () => {
  runLayerTest({
    make: () => new layers.Conv2D(4, 3, { padding: 'same', activation: 'tanh', name: 'conv' }),
    input: input([2, 5, 5, 3]),
    outputShape: [2, 5, 5, 4],
    trainable: { kernel: [3, 3, 3, 4], bias: [4] },
  });
});

test('Conv2D passes runLayerTest (strides, dilation, groups, channelsFirst, regularized, no bias)', () => {
  runLayerTest({
    make: () => new layers.Conv2D(6, [3, 2], {
      strides: [2, 1], dilationRate: [1, 2], groups: 2, dataFormat: 'channelsFirst', useBias: false,
      kernelRegularizer: 'l2', kernelInitializer: 'heNormal', padding: [[1, 1], [0, 2]],
    }),
    input: input([2, 4, 6, 5]),
    outputShape: [2, 6, 3, 5],
    trainable: { kernel: [3, 2, 2, 6] },
  });
});

test('Conv1D passes runLayerTest (causal padding)', () => {
  runLayerTest({
    make: () => new layers.Conv1D(3, 3, { padding: 'causal', dilationRate: 2 }),
    input: input([2, 7, 2]),
    outputShape: [2, 7, 3],
    trainable: { kernel: [3, 2, 3], bias: [3] },
  });
});

test('DepthwiseConv2D passes runLayerTest', () => {
  runLayerTest({
    make: () => new layers.DepthwiseConv2D(3, { depthMultiplier: 2, strides: 2 }),
    input: input([2, 5, 5, 3]),
    outputShape: [2, 2, 2, 6],
    trainable: { kernel: [3, 3, 3, 2], bias: [6] },
  });
});

test('SeparableConv2D passes runLayerTest', () => {
  runLayerTest({
    make: () => new layers.SeparableConv2D(4, 3, { padding: 'same', depthMultiplier: 2, pointwiseRegularizer: 'l1' }),
    input: input([2, 4, 4, 3]),
    outputShape: [2, 4, 4, 4],
    trainable: { depthwiseKernel: [3, 3, 3, 2], pointwiseKernel: [1, 1, 6, 4], bias: [4] },
  });
});

test('Conv2DTranspose passes runLayerTest', () => {
  runLayerTest({
    make: () => new layers.Conv2DTranspose(4, 3, { strides: 2, padding: 'same' }),
    input: input([2, 3, 3, 2]),
    outputShape: [2, 6, 6, 4],
    trainable: { kernel: [3, 3, 4, 2], bias: [4] },
  });
  runLayerTest({
    make: () => new layers.Conv2DTranspose(2, [2, 3], { strides: 2, padding: 1, outputPadding: [1, 0], dataFormat: 'channelsFirst' }),
    input: input([1, 3, 3, 4]),
    outputShape: [1, 2, 5, 7],
    trainable: { kernel: [2, 3, 2, 3], bias: [2] },
  });
});

test('pooling, global pooling, padding and upsampling layers pass runLayerTest', () => {
  const cases: [() => Layer, number[], number[]][] = [
    [() => new layers.MaxPooling2D(2), [2, 5, 4, 3], [2, 2, 2, 3]],
    [() => new layers.MaxPooling2D([3, 2], { strides: 1, padding: 'same', dataFormat: 'channelsFirst' }), [2, 3, 5, 4], [2, 3, 5, 4]],
    [() => new layers.AveragePooling2D(2, { padding: 'same' }), [2, 5, 5, 2], [2, 3, 3, 2]],
    [() => new layers.MaxPooling1D(2), [2, 7, 3], [2, 3, 3]],
    [() => new layers.AveragePooling1D(3, { strides: 2, padding: 'same' }), [2, 7, 3], [2, 4, 3]],
    [() => new layers.GlobalAveragePooling2D(), [2, 3, 4, 5], [2, 5]],
    [() => new layers.GlobalAveragePooling2D({ keepDims: true, dataFormat: 'channelsFirst' }), [2, 5, 3, 4], [2, 5, 1, 1]],
    [() => new layers.GlobalMaxPooling2D(), [2, 3, 4, 5], [2, 5]],
    [() => new layers.GlobalAveragePooling1D(), [2, 6, 3], [2, 3]],
    [() => new layers.GlobalMaxPooling1D({ keepDims: true }), [2, 6, 3], [2, 1, 3]],
    [() => new layers.ZeroPadding2D([[1, 0], [2, 3]]), [2, 3, 3, 2], [2, 4, 8, 2]],
    [() => new layers.ZeroPadding2D([1, 2], { dataFormat: 'channelsFirst' }), [2, 2, 3, 3], [2, 2, 5, 7]],
    [() => new layers.UpSampling2D([2, 3]), [2, 2, 2, 3], [2, 4, 6, 3]],
  ];
  for (const [make, inShape, outShape] of cases) {
    runLayerTest({ make, input: input(inShape), outputShape: outShape, trainable: {} });
  }
});

test('a small CNN of these layers trains: loss goes down over a few SGD steps', () => {
  const model = new nb.Sequential([
    new layers.Conv2D(4, 3, { padding: 'same', activation: 'relu' }),
    new layers.MaxPooling2D(2),
    new layers.DepthwiseConv2D(3, { padding: 'same' }),
    new layers.GlobalAveragePooling2D(),
    new layers.Dense(2),
  ]);
  const x = input([8, 6, 6, 1], 3);
  const y = nb.tensor([0, 1, 0, 1, 0, 1, 0, 1], { dtype: 'int32' });
  model.apply(x); // builds the weights
  const opt = new nb.optim.SGD(model.parameters(), { learningRate: 0.5 });
  const lossOf = () => nb.losses.sparseCategoricalCrossentropy(y, model.apply(x), { fromLogits: true });
  const first = lossOf();
  for (let i = 0; i < 5; i++) {
    const loss = lossOf();
    loss.backward();
    opt.step();
    opt.zeroGrad();
  }
  assert.ok(lossOf().item() < first.item());
});

// Keras' conv_output_length / deconv_output_length / pooling output formulas, written out here
const convLen = (n: number, k: number, s: number, d: number, padding: string): number => {
  const dk = d * (k - 1) + 1;
  if (padding === 'valid') return Math.floor((n - dk) / s) + 1;
  return Math.ceil(n / s); // 'same' and 'causal'
};
const deconvLen = (n: number, k: number, s: number, d: number, padding: string): number => {
  const dk = d * (k - 1) + 1;
  return padding === 'valid' ? n * s + Math.max(dk - s, 0) : n * s;
};

test('output shapes follow Keras formulas over strides, dilation and padding', () => {
  for (const padding of ['valid', 'same'] as const) {
    for (const [n, k, s, d] of [[7, 3, 1, 1], [7, 3, 2, 1], [8, 3, 3, 1], [9, 2, 2, 2], [6, 1, 4, 1], [10, 4, 3, 2]] as const) {
      const conv = new layers.Conv2D(2, [k, 1], { strides: [s, 1], dilationRate: [d, 1], padding });
      const expectedConv = [1, convLen(n, k, s, d, padding), 3, 2];
      assert.deepEqual(conv.computeOutputShape([1, n, 3, 1]), expectedConv, `Conv2D ${padding} n=${n} k=${k} s=${s} d=${d}`);
      assert.deepEqual(conv.apply(nb.zeros([1, n, 3, 1])).shape, expectedConv);
      const c1 = new layers.Conv1D(2, k, { strides: s, dilationRate: d, padding: padding === 'same' ? 'causal' : padding });
      assert.deepEqual(c1.apply(nb.zeros([1, n, 1])).shape, [1, convLen(n, k, s, d, padding), 2]);
      const deconv = new layers.Conv2DTranspose(2, [k, 1], { strides: [s, 1], dilationRate: [d, 1], padding });
      const expectedDeconv = [1, deconvLen(n, k, s, d, padding), 3, 2];
      assert.deepEqual(deconv.computeOutputShape([1, n, 3, 1]), expectedDeconv, `Conv2DTranspose ${padding} n=${n} k=${k} s=${s} d=${d}`);
      assert.deepEqual(deconv.apply(nb.zeros([1, n, 3, 1])).shape, expectedDeconv);
      if (d === 1) {
        const pool = new layers.MaxPooling2D([k, 1], { strides: [s, 1], padding });
        const expectedPool = [1, padding === 'valid' ? Math.floor((n - k) / s) + 1 : Math.floor((n - 1) / s) + 1, 3, 1];
        assert.deepEqual(pool.computeOutputShape([1, n, 3, 1]), expectedPool);
        assert.deepEqual(new layers.AveragePooling2D([k, 1], { strides: [s, 1], padding }).apply(nb.zeros([1, n, 3, 1])).shape, expectedPool);
      }
    }
  }
});

test('Conv2D computes conv2d(x, kernel) + bias with its own weights', () => {
  const layer = new layers.Conv2D(3, 2, { strides: 2, padding: 'same' });
  const x = input([2, 5, 5, 2], 4);
  const y = layer.apply(x);
  nb.noGrad(() => {
    const ref = conv2d(x, layer.kernel, { strides: 2, padding: 'same', bias: layer.bias });
    assert.deepEqual(Array.from(y.data()), Array.from(ref.data()));
  });
});

test('conv layers validate their options and inputs', () => {
  assert.throws(() => new layers.Conv2D(-1, 3), /Conv2D: filters must be a positive integer, got -1/);
  assert.throws(() => new layers.Conv2D(4, 0), /Conv2D: kernelSize must be a positive integer or 2 of them, got 0/);
  assert.throws(() => new layers.Conv2D(4, [3, 3, 3]), /Conv2D: kernelSize must be a positive integer or 2 of them, got \[3,3,3\]/);
  assert.throws(() => new layers.Conv2D(4, 3, { strides: 0 }), /Conv2D: strides must be a positive integer or 2 of them, got 0/);
  assert.throws(() => new layers.Conv2D(4, 3, { padding: 'causal' }), /Conv2D: 'causal' padding is only for 1-D convolutions/);
  assert.throws(() => new layers.Conv2D(5, 3, { groups: 2 }), /Conv2D: groups must be a positive integer dividing filters \(5\), got 2/);
  assert.throws(() => new layers.Conv2D(4, 3, { dataFormat: 'NCHW' as never }), /Conv2D: dataFormat must be 'channelsLast' or 'channelsFirst'/);
  assert.throws(() => new layers.Conv1D(4, 3, { padding: 'full' as never }), /Conv1D: padding must be 'valid', 'same', a non-negative integer/);
  assert.throws(() => new layers.Conv2DTranspose(4, 3, { outputPadding: -1 }), /Conv2DTranspose: outputPadding must be a non-negative integer/);
  assert.throws(() => new layers.DepthwiseConv2D(3, { depthMultiplier: 0 }), /DepthwiseConv2D: depthMultiplier must be a positive integer, got 0/);
  assert.throws(() => new layers.MaxPooling2D(2, { padding: 'causal' }), /MaxPooling2D: 'causal' padding is only for 1-D/);
  assert.throws(() => new layers.ZeroPadding2D(-1), /ZeroPadding2D: padding must be a non-negative integer, \[ph, pw\] or \[\[top, bottom\], \[left, right\]\], got -1/);
  assert.throws(() => new layers.UpSampling2D(2, { interpolation: 'bicubic' as never }), /UpSampling2D: interpolation must be 'nearest' or 'bilinear', got "bicubic"/);
  const conv = new layers.Conv2D(4, 3, { name: 'c' });
  assert.throws(() => conv.apply(nb.zeros([2, 8, 8])), /Conv2D 'c': expected a 4-D input \[batch, height, width, channels\], got shape \[2,8,8\]/);
  conv.apply(nb.zeros([1, 8, 8, 3]));
  assert.throws(() => conv.apply(nb.zeros([1, 8, 8, 1])), /conv2d: input has 1 channels but the kernel expects 3 \(kernel shape \[3,3,3,4\]\)/);
  assert.throws(() => new layers.Conv2D(4, 3, { groups: 2 }).apply(nb.zeros([1, 5, 5, 3])), /Conv2D '\w+': groups \(2\) must divide the 3 input channels/);
  assert.throws(() => new layers.MaxPooling2D(3).apply(nb.zeros([1, 2, 2, 1])), /maxPool2d: the 3×3 pool window is larger than the padded input 2×2/);
});

test('conv layers cast integer inputs to their float dtype', () => {
  const y = new layers.Conv2D(2, 1).apply(nb.ones([1, 2, 2, 1], { dtype: 'int32' }));
  assert.equal(y.dtype, 'float32');
});
