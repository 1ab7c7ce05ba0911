import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { mlp, quiet, toyData } from './helpers.js';

test('fit learns a toy problem; evaluate and predict agree with a direct forward pass', async () => {
  nb.manualSeed(0);
  const { x, y } = toyData(600);
  const model = mlp();
  model.compile({ optimizer: new nb.optim.Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const h = await model.fit(x, y, { epochs: 15, batchSize: 32, verbose: 0 });
  assert.ok(h.history.accuracy!.at(-1)! > 0.9, `accuracy ${h.history.accuracy!.at(-1)}`);
  const ev = await model.evaluate(x, y, { batchSize: 64 });
  const probs = model.predict(x, { batchSize: 50 });
  assert.deepEqual(probs.shape, [600, 3]);
  const direct = nb.noGrad(() => model.apply(x));
  // equal up to float rounding: a kernel may sum in a different order for a different batch size
  const pd = probs.data();
  direct.data().forEach((v, i) => assert.ok(Math.abs(v - pd[i]!) < 1e-6, `element ${i}: ${pd[i]} vs ${v}`));
  const expectedLoss = nb.losses.sparseCategoricalCrossentropy(y, direct).item();
  assert.ok(Math.abs(ev.loss! - expectedLoss) < 1e-5, `${ev.loss} vs ${expectedLoss}`);
  const acc = nb.mean(nb.eq(nb.argmax(direct, 1), y)).item();
  assert.ok(Math.abs(ev.accuracy! - acc) < 1e-6);
});

test('fit accepts a DataLoader and validationData; logs val_ metrics', async () => {
  nb.manualSeed(1);
  const { x, y } = toyData(200, 1);
  const model = mlp();
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const loader = new nb.DataLoader([x, y], { batchSize: 50, shuffle: true, seed: 3 });
  const h = await model.fit(loader, { epochs: 2, validationData: [x.slice('0:40'), y.slice('0:40')], verbose: 0 });
  assert.deepEqual(Object.keys(h.history).sort(), ['accuracy', 'loss', 'val_accuracy', 'val_loss']);
  assert.deepEqual(h.epoch, [0, 1]);
});

test('classWeight scales each sample\'s loss by its class weight', async () => {
  const x = nb.tensor([[1, 0], [0, 1]]);
  const y = nb.tensor([0, 1], { dtype: 'int32' });
  const model = new nb.Sequential([new nb.layers.Dense(2, { activation: 'softmax', kernelInitializer: 'zeros' })]);
  model.compile({ optimizer: new nb.optim.SGD({ learningRate: 0 }), loss: 'sparseCategoricalCrossentropy' });
  const plain = await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0, shuffle: false });
  const weighted = await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0, shuffle: false, classWeight: { 0: 1, 1: 3 } });
  // every sample has loss ln 2 with zero weights: plain mean ln2; weighted mean (1·ln2 + 3·ln2)/2 = 2 ln2
  assert.ok(Math.abs(plain.history.loss![0]! - Math.LN2) < 1e-6);
  assert.ok(Math.abs(weighted.history.loss![0]! - 2 * Math.LN2) < 1e-6);
});

test('a NaN loss stops fit with a message naming the epoch and batch', async () => {
  const { x, y } = toyData(64);
  const model = mlp();
  model.compile({ optimizer: new nb.optim.SGD({ learningRate: 1e30 }), loss: 'sparseCategoricalCrossentropy' });
  await assert.rejects(
    model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 }),
    /fit: the loss became (NaN|Infinity) at epoch \d+, batch \d+; training stopped \(TerminateOnNaN\)/,
  );
});

test('bad input gets clear errors', async () => {
  const { x, y } = toyData(32);
  const model = mlp();
  await assert.rejects(model.fit(x, y, { verbose: 0 }), /fit: the model must be compiled first/);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  await model.fit(x, y, { epochs: 1, verbose: 0 });
  await assert.rejects(model.fit(nb.randn([32, 5]), y, { verbose: 0 }), /expected input with last dimension 4, got 5/);
  await assert.rejects(model.fit(x, nb.tensor(new Array(32).fill(7), { dtype: 'int32' }), { verbose: 0 }), /label 7 is out of range for 3 classes/);
  await assert.rejects(model.fit(x, y.slice('0:10'), { verbose: 0 }), /fit: x \[32,4\] and y \[10\] must have the same number of samples/);
  await assert.rejects(model.fit(x, y.cast('float32'), { verbose: 0 }), /yTrue must hold integer class labels \(int32\), got float32/);
  assert.throws(() => model.compile({ optimizer: 'adamm', loss: 'mse' }), /Unknown optimizer 'adamm'/i);
  assert.throws(() => model.compile({ optimizer: 'adam', loss: 'cross' }), /Unknown loss 'cross'\. Valid: /);
  assert.throws(() => new nb.layers.Dense(3, { activation: 'rleu' }), /Unknown activation 'rleu'/);
});

test('a custom trainStep override is used by fit', async () => {
  let calls = 0;
  class Counting extends nb.Sequential {
    override trainStep(batch: [nb.Tensor, nb.Tensor]) {
      calls++;
      return super.trainStep(batch);
    }
  }
  const { x, y } = toyData(40);
  const model = new Counting([new nb.layers.Dense(3)]);
  model.compile({ optimizer: 'sgd', loss: nb.losses.sparseCategoricalCrossentropy.bind(null) as never });
  await model.fit(x, y, { epochs: 2, batchSize: 10, verbose: 0, stream: quiet });
  assert.equal(calls, 8);
});
