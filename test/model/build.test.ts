// An optimizer made before the first forward pass (issue 11, item 2): an empty parameter list is
// an error; model.build(shape) really builds a subclassed model; nb.Input / inputShape build a
// Sequential at construction; the advice the errors give works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { toyData } from './helpers.js';
const { Dense, Dropout } = nb.layers;

class NeuralNetwork extends nb.Model {
  dense1 = new Dense(16, { activation: 'relu' });
  dropout = new Dropout(0.2);
  dense2 = new Dense(3, { activation: 'softmax' });
  call(inputs: nb.Tensor): nb.Tensor {
    return this.dense2.apply(this.dropout.apply(this.dense1.apply(inputs)));
  }
}

const shapes = (m: nb.Layer) => m.namedParameters().map(([n, t]) => `${n}:${t.shape.join('x')}`);

test('an optimizer given an empty parameter list (an unbuilt model) is an error that says how to build the model', () => {
  const model = new NeuralNetwork();
  assert.deepEqual(model.parameters(), []);
  for (const make of [
    () => new nb.optim.Adam(model.parameters(), { learningRate: 1e-3 }),
    () => new nb.optim.SGD(model.parameters()),
    () => new nb.optim.AdamW(model.parameters()),
    () => new nb.optim.RMSprop(model.parameters()),
    () => new nb.optim.Adagrad(model.parameters()),
    () => new nb.optim.Adam(new Map<string, nb.Tensor>()),
  ]) {
    assert.throws(make, {
      name: 'ValueError',
      message: /^(Adam|SGD|AdamW|RMSprop|Adagrad): the optimizer got an empty parameter list, so it would train nothing\. .*model\.build\(\[null, 784\]\).*model\.apply\(x\).*model\.compile\(\{ optimizer: new nb\.optim\.\w+\(\)/,
    });
  }
  // the optimizer without parameters (Keras style, registered by fit) stays allowed
  assert.equal(new nb.optim.Adam().built, false);
  assert.equal(new nb.optim.Adam({ learningRate: 0.1 }).built, false);
});

test('model.build([null, 784]) builds a subclassed model, so that the PyTorch-style loop trains', () => {
  nb.manualSeed(0);
  const model = new NeuralNetwork();
  model.build([null, 4]);
  assert.equal(model.built, true);
  assert.deepEqual(shapes(model), ['dense1.kernel:4x16', 'dense1.bias:16', 'dense2.kernel:16x3', 'dense2.bias:3']);
  assert.deepEqual(model.sampleInputShape, [4], 'the sample shape is recorded, as for save()');
  const { x, y } = toyData(128);
  const opt = new nb.optim.Adam(model.parameters(), { learningRate: 0.02 });
  const lossFn = nb.losses.sparseCategoricalCrossentropy;
  const first = nb.noGrad(() => lossFn(y, model.apply(x))).item();
  model.train();
  for (let i = 0; i < 50; i++) {
    const loss = lossFn(y, model.apply(x));
    loss.backward();
    opt.step();
    opt.zeroGrad();
  }
  model.eval();
  const last = nb.noGrad(() => lossFn(y, model.apply(x))).item();
  assert.ok(last < 0.6 * first, `50 steps lower the loss: ${first} -> ${last}`);

  const other = new NeuralNetwork();
  other.build([1, 4]);
  assert.deepEqual(shapes(other), shapes(model), 'a concrete batch size works too');
});

test('build follows the advice of the loadStateDict error, and rejects shapes it cannot build', () => {
  const trained = new NeuralNetwork();
  trained.build([null, 4]);
  const fresh = new NeuralNetwork();
  assert.throws(() => fresh.loadStateDict(trained.stateDict()), /model\.build\(\[null, 784\]\)/);
  fresh.build([null, 4]);
  fresh.loadStateDict(trained.stateDict());
  const x = nb.ones([2, 4]);
  assert.deepEqual([...fresh.apply(x).data()], [...trained.apply(x).data()]);

  assert.throws(() => new NeuralNetwork().build([null, null]), {
    name: 'ValueError',
    message: /^NeuralNetwork 'neural_network(_\d+)?': build\(\[null, null\]\): dimension 1 must be a non-negative integer: only the batch dimension \(the first\) may be null$/,
  });
  assert.throws(() => new NeuralNetwork().build(784 as unknown as number[]), /build expects the shape of a batch of inputs, batch dimension included, e.g\. build\(\[null, 784\]\)/);
  const broken = new nb.Sequential([new nb.layers.Conv2D(2, 3)]);
  assert.throws(() => broken.build([null, 4]), /^ValueError: Sequential 'sequential(_\d+)?': build\(\[1, 4\]\) makes the sublayers' weights by running the layer once on zeros of that shape, and that run failed: Conv2D/);
  assert.equal(broken.built, false, 'a failed build leaves the model unbuilt');
});

test('a model reading token ids is built on int32 zeros', () => {
  class Tokens extends nb.Model {
    emb = new nb.layers.Embedding(10, 4);
    out = new Dense(2);
    call(ids: nb.Tensor): nb.Tensor {
      return this.out.apply(this.emb.apply(ids));
    }
  }
  const m = new Tokens();
  m.build([null, 7]);
  assert.deepEqual(shapes(m), ['emb.embeddings:10x4', 'out.kernel:4x2', 'out.bias:2']);
});

test('nb.Input first in a Sequential builds the model at construction (Keras style)', () => {
  const model = new nb.Sequential([nb.Input([4]), new Dense(16, { activation: 'relu' }), new Dense(3)]);
  assert.equal(model.built, true);
  assert.equal(model.layers.length, 2, 'the InputLayer is not one of model.layers, as in Keras');
  assert.deepEqual(shapes(model), ['layers.0.kernel:4x16', 'layers.0.bias:16', 'layers.1.kernel:16x3', 'layers.1.bias:3']);
  const opt = new nb.optim.Adam(model.parameters());
  assert.equal(opt.namedParameters().length, 4);
  model.add(new Dense(5));
  assert.deepEqual(model.layers[2]!.weights.map((w) => w.shape), [[3, 5], [5]], 'add() builds the new layer at once');
  assert.throws(() => model.apply(nb.ones([2, 5])), {
    name: 'ValueError', message: /^Sequential 'sequential(_\d+)?': expected inputs of shape \[null, 4\] \(its inputShape \[4\] plus the batch dimension\), got \[2, 5\]$/,
  });
  // the input shape is part of the config: the rebuilt model is built at construction too
  const copy = nb.Sequential.fromConfig(model.getConfig());
  assert.equal(copy.built, true);
  assert.deepEqual(shapes(copy), shapes(model));
  assert.throws(() => new nb.Sequential([new Dense(2), nb.Input([4])]), /^ValueError: Sequential\.add: an InputLayer \(nb\.Input\) must come first, before any other layer, and only once; this model already has layers$/);
  // Keras' other spelling: add(nb.Input(...)) to an empty model
  const added = new nb.Sequential();
  added.add(nb.Input([4])).add(new Dense(2));
  assert.equal(added.built, true);
  assert.equal(added.layers.length, 1);
  assert.throws(() => added.add(nb.Input([4])), /this model already has layers/);
});

test('the inputShape option of a first layer builds a Sequential at construction and checks inputs', () => {
  const model = new nb.Sequential([new Dense(8, { inputShape: [4] }), new Dense(2)]);
  assert.equal(model.built, true);
  assert.equal(model.countParams(), 4 * 8 + 8 + 8 * 2 + 2);
  assert.deepEqual(model.layers[0]!.getConfig().inputShape, [4]);
  const dense = new Dense(3, { inputShape: [null, 6] });
  assert.deepEqual(dense.apply(nb.ones([2, 9, 6])).shape, [2, 9, 3], 'null matches any size');
  assert.throws(() => dense.apply(nb.ones([2, 9, 5])), /^ValueError: Dense 'dense(_\d+)?': expected inputs of shape \[null, null, 6\]/);
  assert.throws(() => new Dense(3, { inputShape: [-1] }), /^ValueError: Dense: inputShape \[-1\] has -1 at dimension 0; each entry is a size/);
  // a variable size cannot be built in advance: the model builds on its first call instead
  const lazy = new nb.Sequential([new Dense(3, { inputShape: [null, 6] })]);
  assert.equal(lazy.built, false);
});

test('fit still trains a model that was never built, with an optimizer given by name or as an object', async () => {
  const { x, y } = toyData(64);
  for (const optimizer of ['adam', new nb.optim.Adam({ learningRate: 0.01 })]) {
    const model = new NeuralNetwork();
    model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy' });
    const h = await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 });
    assert.ok(h.history.loss![2]! < h.history.loss![0]!);
    assert.equal(model.optimizer!.namedParameters().length, 4);
  }
});
