import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { layers } from '../../src/nn/index.js';

/**
 * Sequences of 10 random ±1 values; the label is the sign of the FIRST value. The answer must be
 * carried through 9 later steps of noise, so a layer whose state does not flow from step to step
 * stays at chance (50 %).
 */
function firstSignData(n: number, seed: number): { x: nb.Tensor; y: nb.Tensor } {
  const g = new nb.Generator(seed);
  const x = nb.sub(nb.mul(nb.bernoulli(0.5, [n, 10, 1], { generator: g }), 2), 1);
  const y = nb.cast(nb.gt(x.slice([null, 0, 0]), 0), 'int32');
  return { x, y };
}

test('an LSTM learns to remember the first step of a sequence (fit, held-out accuracy > 95 %)', async () => {
  nb.manualSeed(3);
  const train = firstSignData(512, 1);
  const val = firstSignData(256, 2);
  const model = new nb.Sequential([new layers.LSTM(8), new layers.Dense(2, { activation: 'softmax' })]);
  model.compile({ optimizer: new nb.optim.Adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(train.x, train.y, { epochs: 6, batchSize: 32, verbose: 0 });
  const { accuracy } = await model.evaluate(val.x, val.y, { batchSize: 128 });
  assert.ok(accuracy! > 0.95, `held-out accuracy ${accuracy}`);
});
