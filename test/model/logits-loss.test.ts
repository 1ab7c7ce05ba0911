// Logits and probability losses: a model ending in a plain Dense trains with fromLogits as well
// as its softmax twin, and fit warns when logits meet a loss that expects probabilities.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as nb from '../../src/index.js';
import { quiet, toyData, captureWarnings } from './helpers.js';

function net(classes: number, activation?: string): nb.Sequential {
  return new nb.Sequential([new nb.layers.Dense(32, { activation: 'relu' }), new nb.layers.Dense(classes, activation ? { activation } : {})]);
}

async function trainAndScore(model: nb.Sequential, loss: nb.CompileOptions['loss'], train: [nb.Tensor, nb.Tensor], held: [nb.Tensor, nb.Tensor], epochs: number): Promise<number> {
  model.compile({ optimizer: 'adam', loss, metrics: ['accuracy'] });
  await model.fit(train[0], train[1], { epochs, batchSize: 32, seed: 0, stream: quiet });
  return (await model.evaluate(held[0], held[1])).accuracy!;
}

/** console.warn replaced for one test; returns the messages it receives. */

test('a linear last layer with { name: sparseCategoricalCrossentropy, fromLogits: true } learns as well as the softmax version', async (t) => {
  captureWarnings(t);
  const { x, y } = toyData(1200, 1);
  const train: [nb.Tensor, nb.Tensor] = [x.slice('0:1000'), y.slice('0:1000')];
  const held: [nb.Tensor, nb.Tensor] = [x.slice('1000:1200'), y.slice('1000:1200')];
  nb.manualSeed(0);
  const withSoftmax = await trainAndScore(net(3, 'softmax'), 'sparseCategoricalCrossentropy', train, held, 5);
  nb.manualSeed(0);
  const withLogits = await trainAndScore(net(3), { name: 'sparseCategoricalCrossentropy', fromLogits: true }, train, held, 5);
  nb.manualSeed(0);
  const withObject = await trainAndScore(net(3), new nb.losses.SparseCategoricalCrossentropy({ fromLogits: true }), train, held, 5);
  assert.ok(withSoftmax > 0.85, `the softmax model reaches ${withSoftmax}`);
  // same seed, same weights, and the softmax loss works on its logits: the runs agree
  assert.ok(Math.abs(withLogits - withSoftmax) <= 0.02, `logits ${withLogits} vs softmax ${withSoftmax}`);
  assert.equal(withObject, withLogits);
});

const haveFashion = existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz');

test('on 3,000 Fashion-MNIST images the logits model matches the softmax model', { skip: haveFashion ? false : 'dataset-fashion-mnist is not installed' }, async (t) => {
  captureWarnings(t);
  const { train, test: testSet } = await nb.datasets.fashionMnist();
  const tr: [nb.Tensor, nb.Tensor] = [train.x.slice('0:3000'), train.y.slice('0:3000')];
  const held: [nb.Tensor, nb.Tensor] = [testSet.x.slice('0:1000'), testSet.y.slice('0:1000')];
  nb.manualSeed(0);
  const withSoftmax = await trainAndScore(net(10, 'softmax'), 'sparseCategoricalCrossentropy', tr, held, 3);
  nb.manualSeed(0);
  const withLogits = await trainAndScore(net(10), { name: 'sparseCategoricalCrossentropy', fromLogits: true }, tr, held, 3);
  assert.ok(withSoftmax > 0.7, `softmax model: ${withSoftmax}`);
  assert.ok(Math.abs(withLogits - withSoftmax) <= 0.02, `logits ${withLogits} vs softmax ${withSoftmax}`);
});

test('fit warns once when logits meet a loss that expects probabilities, naming the fix', async (t) => {
  const warnings = captureWarnings(t);
  const { x, y } = toyData(256);
  nb.manualSeed(0);
  const model = net(3);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  await model.fit(x, y, { epochs: 2, batchSize: 32, stream: quiet });
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0]!, /^nabla: sparseCategoricalCrossentropy expects probabilities but the model's outputs are not: (a value is -?[\d.e-]+, outside \[0, 1\]|a row sums to [\d.e-]+, not 1)\. If they are logits, compile with loss: \{ name: 'sparseCategoricalCrossentropy', fromLogits: true \}; otherwise end the model with activation 'softmax'/);
});

test('no warning for softmax outputs, for logits with fromLogits, or for losses that take any value', async (t) => {
  const warnings = captureWarnings(t);
  const { x, y } = toyData(128);
  const fits: [nb.Sequential, nb.CompileOptions['loss'], nb.Tensor][] = [
    [net(3, 'softmax'), 'sparseCategoricalCrossentropy', y],
    [net(3, 'softmax'), nb.losses.sparseCategoricalCrossentropy, y],
    [net(3), { name: 'sparseCategoricalCrossentropy', fromLogits: true }, y],
    [net(3), new nb.losses.CategoricalCrossentropy({ fromLogits: true }), nb.oneHot(y, 3).cast('float32')],
    [net(3, 'softmax'), 'categoricalCrossentropy', nb.oneHot(y, 3).cast('float32')],
    [net(1, 'sigmoid'), 'binaryCrossentropy', y.eq(0).cast('float32').reshape([-1, 1])],
    [net(1), { name: 'binaryCrossentropy', fromLogits: true }, y.eq(0).cast('float32').reshape([-1, 1])],
    [net(3), 'mse', nb.oneHot(y, 3).cast('float32')],
  ];
  for (const [model, loss, target] of fits) {
    nb.manualSeed(0);
    model.compile({ optimizer: 'adam', loss });
    await model.fit(x, target, { epochs: 1, batchSize: 32, stream: quiet });
  }
  assert.deepEqual(warnings, []);
});

test('the warning covers categorical and binary cross-entropy too (rows not summing to 1, values above 1)', async (t) => {
  const warnings = captureWarnings(t);
  const { x, y } = toyData(64);
  nb.manualSeed(0);
  // sigmoid outputs lie in [0, 1] but a row of three does not sum to 1
  const cat = net(3, 'sigmoid');
  cat.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  await cat.fit(x, nb.oneHot(y, 3).cast('float32'), { epochs: 1, batchSize: 64, stream: quiet });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /categoricalCrossentropy expects probabilities .*a row sums to [\d.]+, not 1/);
  // relu outputs are non-negative; scaled up they exceed 1
  const bin = new nb.Sequential([new nb.layers.Dense(1, { activation: 'relu', kernelInitializer: 'ones', biasInitializer: 'ones' })]);
  bin.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
  await bin.fit(x.abs(), y.eq(0).cast('float32').reshape([-1, 1]), { epochs: 1, batchSize: 64, stream: quiet });
  assert.equal(warnings.length, 2);
  assert.match(warnings[1]!, /binaryCrossentropy expects probabilities .*a value is [\d.]+, outside \[0, 1\].*end the model with activation 'sigmoid'/);
});
