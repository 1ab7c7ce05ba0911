// The reference program, as written, on a 2,000-example subset of Fashion-MNIST
// (examples/fashion-mlp.ts is the full run), and the same network trained by a hand-written loop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as nb from '../../src/index.js';
const { Dense } = nb.layers;

class NeuralNetwork extends nb.Model {
  dense1 = new Dense(256, { activation: 'relu' });
  dense2 = new Dense(128, { activation: 'relu' });
  dense3 = new Dense(10, { activation: 'softmax' });
  call(inputs: nb.Tensor, training?: boolean): nb.Tensor {
    const x = this.dense1.apply(inputs);
    return this.dense3.apply(this.dense2.apply(x));
  }
}

const haveFashion = existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz');

test('the reference program trains the seed network with fit() on 2,000 Fashion-MNIST examples', { skip: haveFashion ? false : 'dataset-fashion-mnist is not installed' }, async () => {
  nb.manualSeed(1);
  const model = new NeuralNetwork();
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const { train, test } = await nb.datasets.fashionMnist();
  const x = train.x.slice('0:2000');
  const y = train.y.slice('0:2000');
  const lines: string[] = [];
  const history = await model.fit(x, y, { epochs: 3, batchSize: 128, validationSplit: 0.1, stream: { write: (s: string) => lines.push(s), isTTY: false } });
  const result = await model.evaluate(test.x.slice('0:1000'), test.y.slice('0:1000'));
  assert.deepEqual(Object.keys(result).sort(), ['accuracy', 'loss']);
  assert.equal(history.history.loss!.length, 3);
  assert.ok(history.history.loss![2]! < history.history.loss![0]!, 'training loss falls');
  assert.ok(result.accuracy! > 0.6, `test accuracy ${result.accuracy} after 3 short epochs`);
  assert.equal(lines.length, 3, 'one progress line per epoch when output is not a terminal');
  assert.match(lines[2]!, /^Epoch 3\/3 - 15\/15 - .* - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}\n$/);
  assert.deepEqual(model.namedParameters().map(([n]) => n), ['dense1.kernel', 'dense1.bias', 'dense2.kernel', 'dense2.bias', 'dense3.kernel', 'dense3.bias']);
});

test('the same network trains with a hand-written loop: backward, step, zeroGrad', async () => {
  nb.manualSeed(2);
  const { train } = await nb.datasets.mnistDigits();
  const x = train.x.slice('0:512');
  const y = train.y.slice('0:512');
  const model = new NeuralNetwork();
  const lossFn = nb.losses.sparseCategoricalCrossentropy;
  model.apply(x.slice('0:1'));
  const opt = new nb.optim.Adam(model.parameters(), { learningRate: 1e-3 });
  const first = lossFn(y, model.apply(x)).item();
  for (let epoch = 0; epoch < 5; epoch++) {
    for (let i = 0; i < 512; i += 64) {
      const xb = x.slice(`${i}:${i + 64}`);
      const yb = y.slice(`${i}:${i + 64}`);
      const loss = lossFn(yb, model.apply(xb, true));
      loss.backward();
      opt.step();
      opt.zeroGrad();
    }
  }
  const last = lossFn(y, model.apply(x)).item();
  assert.ok(last < first * 0.3, `loss ${first} → ${last}`);
  assert.equal(model.dense1.kernel!.grad, null, 'zeroGrad cleared the gradients');
});
