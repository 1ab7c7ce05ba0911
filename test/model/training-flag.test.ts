// The training flag reaches the layers inside a subclassed Model (issue 11, item 1): fit,
// evaluate and predict set an ambient flag that layers applied without one inherit (Keras 3's
// call context), and train()/eval() set the mode of a hand-written loop (PyTorch).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { quiet } from './helpers.js';
const { Dense, Dropout } = nb.layers;

/** Passes its input on and records, per call, the fraction of exact zeros in it. */
class ZeroProbe extends nb.Layer {
  zeroFractions: number[] = [];
  call(x: nb.Tensor): nb.Tensor {
    const d = x.data();
    this.zeroFractions.push(Array.from(d).filter((v) => v === 0).length / d.length);
    return x;
  }
}

/**
 * The README's network with a Dropout between its layers, its `call` written as users write it:
 * `training` is not passed on. The first layer's output is strictly positive (ones weights,
 * positive inputs), so every zero the probe sees was made by the dropout.
 */
class NeuralNetwork extends nb.Model {
  dense1 = new Dense(32, { activation: 'relu', kernelInitializer: 'ones', biasInitializer: 'ones' });
  dropout = new Dropout(0.5);
  probe = new ZeroProbe();
  dense2 = new Dense(3, { activation: 'softmax' });
  call(inputs: nb.Tensor, training?: boolean): nb.Tensor {
    void training;
    return this.dense2.apply(this.probe.apply(this.dropout.apply(this.dense1.apply(inputs))));
  }
}

function data(n: number): { x: nb.Tensor; y: nb.Tensor } {
  const g = new nb.Generator(3);
  return { x: nb.rand([n, 4], { generator: g }), y: nb.randint(0, 3, [n], { generator: g }) };
}

test('a subclassed Model that does not pass training on drops units during fit, not during evaluate or predict', async () => {
  nb.manualSeed(0);
  const { x, y } = data(64);
  const model = new NeuralNetwork();
  model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0, stream: quiet });
  const duringFit = model.probe.zeroFractions.splice(0);
  assert.equal(duringFit.length, 2, 'two training batches');
  // 32 units × 32 samples at rate 0.5: the dropped fraction is 0.5 ± a few percent
  for (const f of duringFit) assert.ok(f > 0.35 && f < 0.65, `fraction dropped during fit: ${f}`);

  await model.evaluate(x, y, { batchSize: 32 });
  model.predict(x, { batchSize: 32 });
  const after = model.probe.zeroFractions.splice(0);
  assert.equal(after.length, 4, 'two evaluate batches and two predict batches');
  assert.deepEqual(after, [0, 0, 0, 0]);
});

test('model.train() makes a hand-written loop drop units, model.eval() stops it; an explicit flag wins over both', () => {
  const model = new NeuralNetwork();
  const x = nb.ones([8, 4]);
  assert.equal(model.training, false);
  model.apply(x);
  assert.deepEqual(model.probe.zeroFractions.splice(0), [0], 'a model applied with no flag runs in inference mode until train() (Keras default)');

  model.train();
  assert.equal(model.training, true);
  assert.equal(model.dropout.training, true, 'train() reaches the sublayers');
  nb.manualSeed(4);
  const y = model.apply(x);
  const f = model.probe.zeroFractions.splice(0)[0]!;
  assert.ok(f > 0.3 && f < 0.7, `fraction dropped after train(): ${f}`);
  // the units kept are scaled by 1/(1 − rate), exactly as an explicit training call does
  nb.manualSeed(4);
  assert.deepEqual([...y.data()], [...model.apply(x, true).data()]);
  const loss = nb.losses.sparseCategoricalCrossentropy(nb.zeros([8], { dtype: 'int32' }), y);
  loss.backward();
  assert.ok(model.dense1.kernel.grad, 'the loop trains through the dropped units');
  model.probe.zeroFractions.length = 0;

  assert.equal(model.apply(x, false) instanceof nb.Tensor, true);
  assert.deepEqual(model.probe.zeroFractions.splice(0), [0], 'explicit false wins over train()');

  assert.equal(model.eval(), model, 'eval() returns the model');
  model.apply(x);
  model.apply(x);
  assert.deepEqual(model.probe.zeroFractions.splice(0), [0, 0]);
  model.apply(x, true);
  assert.ok(model.probe.zeroFractions.splice(0)[0]! > 0.2, 'explicit true wins over eval()');
});

test('an explicit flag inside call wins over the ambient one of fit', async () => {
  class KeepsDropoutOff extends NeuralNetwork {
    override call(inputs: nb.Tensor): nb.Tensor {
      return this.dense2.apply(this.probe.apply(this.dropout.apply(this.dense1.apply(inputs), false)));
    }
  }
  const model = new KeepsDropoutOff();
  const { x, y } = data(32);
  model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
  assert.deepEqual(model.probe.zeroFractions, [0]);
});

/** Runs `fn` with console.warn captured; returns what it warned. */
async function warnings(fn: () => unknown): Promise<string[]> {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => void seen.push(args.join(' '));
  try {
    await fn();
  } finally {
    console.warn = original;
  }
  return seen;
}

test('a sublayer put in a mode by itself keeps it, as in PyTorch, until the model\'s train(); fit and evaluate warn about it once', async () => {
  const model = new NeuralNetwork();
  const x = nb.ones([8, 4]);
  model.train();
  model.dropout.eval();
  assert.equal(model.dropout.ownTrainingMode, false);
  model.apply(x);
  model.apply(x, true);
  const { x: xs, y } = data(64);
  model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  const fitWarnings = await warnings(() => model.fit(xs, y, { epochs: 2, batchSize: 32, verbose: 0 }));
  assert.deepEqual(model.probe.zeroFractions.splice(0), [0, 0, 0, 0, 0, 0]);
  assert.equal(fitWarnings.length, 1, 'once, not per epoch');
  assert.match(fitWarnings[0]!, /^nabla: fit: Dropout 'dropout(_\d+)?' \(at 'dropout'\) runs in inference mode during fit, because eval\(\) was called on it; call model\.train\(\) before fit/);

  model.train();
  assert.equal(model.dropout.ownTrainingMode, null, 'the model\'s train() resets the sublayers');
  model.apply(x);
  assert.ok(model.probe.zeroFractions.splice(0)[0]! > 0.2, 'train() on the model puts the sublayer back in training mode');
  assert.deepEqual(await warnings(() => model.fit(xs, y, { epochs: 1, batchSize: 32, verbose: 0 })), []);

  model.eval();
  model.dropout.train();
  const evalWarnings = await warnings(async () => {
    await model.evaluate(xs, y);
    model.predict(xs);
  });
  assert.ok(model.probe.zeroFractions.every((f) => f > 0.2), 'the sublayer keeps training mode in evaluate and predict');
  assert.equal(evalWarnings.length, 2);
  assert.match(evalWarnings[0]!, /^nabla: evaluate: Dropout 'dropout(_\d+)?' \(at 'dropout'\) runs in training mode during evaluate \(dropout on\), because train\(\) was called on it; call model\.eval\(\) first$/);
  assert.match(evalWarnings[1]!, /^nabla: predict: /);
});

test('a custom trainStep that applies the model without a flag still trains with dropout', async () => {
  class Custom extends NeuralNetwork {
    override trainStep([x, y]: [nb.Tensor, nb.Tensor]): Record<string, number> {
      const loss = this.computeLoss(y, this.apply(x));
      loss.backward();
      this.optimizer!.build(this.namedParameters());
      this.optimizer!.step();
      this.optimizer!.zeroGrad();
      return { loss: loss.item() };
    }
  }
  const model = new Custom();
  const { x, y } = data(32);
  model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
  assert.ok(model.probe.zeroFractions[0]! > 0.2, `fraction dropped: ${model.probe.zeroFractions[0]}`);
});

/** Applies `layer` without a training flag, as a user's call does. */
class Wrapper extends nb.Model {
  constructor(readonly inner: nb.Layer) {
    super();
  }
  call(x: nb.Tensor): nb.Tensor {
    return this.inner.apply(x);
  }
}

/** Calls the layer's own entry point (`attend`, `callWithState`, `encode`) without a flag. */
class ViaMethod extends nb.Model {
  constructor(readonly inner: nb.Layer, readonly run: (x: nb.Tensor) => nb.Tensor) {
    super();
  }
  call(x: nb.Tensor): nb.Tensor {
    return this.run(x);
  }
}

test('every layer that behaves differently in training inherits the flag: dropouts, normalization, augmentation, recurrent and attention dropout, wrappers', () => {
  const L = nb.layers;
  const image = nb.rand([2, 6, 6, 3], { generator: new nb.Generator(1) }).add(1);
  const seq = nb.rand([2, 5, 4], { generator: new nb.Generator(2) }).add(1);
  const mha = () => new L.MultiHeadAttention({ numHeads: 2, keyDim: 4, dropout: 0.5 });
  const cases: [string, () => nb.Layer, nb.Tensor][] = [
    ['Dropout', () => new L.Dropout(0.5), image],
    ['SpatialDropout2D', () => new L.SpatialDropout2D(0.5), image],
    ['SpatialDropout1D', () => new L.SpatialDropout1D(0.5), seq],
    ['BatchNormalization', () => new L.BatchNormalization(), image],
    ['RandomFlip', () => new L.RandomFlip('horizontal_and_vertical'), image],
    ['RandomCrop', () => new L.RandomCrop(4, 4), image],
    ['RandomRotation', () => new L.RandomRotation(0.3), image],
    ['RandomContrast', () => new L.RandomContrast(0.5), image],
    ['LSTM dropout', () => new L.LSTM(3, { dropout: 0.5, returnSequences: true }), seq],
    ['GRU recurrentDropout', () => new L.GRU(3, { recurrentDropout: 0.5, returnSequences: true }), seq],
    ['MultiHeadAttention', mha, seq],
    ['TransformerEncoderBlock', () => new L.TransformerEncoderBlock({ numHeads: 2, ffDim: 8, dropout: 0.5 }), seq],
    ['TransformerDecoderBlock', () => new L.TransformerDecoderBlock({ numHeads: 2, ffDim: 8, dropout: 0.5 }), seq],
    ['TimeDistributed(Dropout)', () => new L.TimeDistributed(new L.Dropout(0.5)), seq],
    ['Bidirectional(LSTM dropout)', () => new L.Bidirectional(new L.LSTM(3, { dropout: 0.5, returnSequences: true })), seq],
    ['Sequential', () => new nb.Sequential([new L.Dense(4), new L.Dropout(0.5)]), seq],
  ];
  for (const [name, make, x] of cases) {
    const layer = make();
    const model = new Wrapper(layer);
    const same = (a: nb.Tensor, b: nb.Tensor) => a.shape.join() === b.shape.join() && a.data().every((v, i) => v === b.data()[i]);
    nb.manualSeed(11);
    const inferred = nb.noGrad(() => model.apply(x));
    const inference = nb.noGrad(() => layer.apply(x, false));
    assert.ok(same(inferred, inference), `${name}: no flag at top level is inference`);
    model.train();
    nb.manualSeed(11);
    const inherited = nb.noGrad(() => model.apply(x));
    nb.manualSeed(11);
    const explicit = nb.noGrad(() => layer.apply(x, true));
    assert.ok(same(inherited, explicit), `${name}: inside train(), the layer runs as apply(x, true)`);
    assert.ok(!same(inherited, inference), `${name}: and that differs from inference`);
  }
  // the entry points that run a layer without apply resolve the flag the same way
  const methods: [string, nb.Layer, (l: nb.Layer, x: nb.Tensor) => nb.Tensor][] = [
    ['attend', mha(), (l, x) => (l as InstanceType<typeof L.MultiHeadAttention>).attend(x, x)],
    ['callWithState', new L.LSTM(3, { dropout: 0.5 }), (l, x) => (l as InstanceType<typeof L.LSTM>).callWithState(x).output],
    ['encode', new L.TransformerEncoderBlock({ numHeads: 2, ffDim: 8, dropout: 0.5 }), (l, x) => (l as InstanceType<typeof L.TransformerEncoderBlock>).encode(x)],
  ];
  for (const [name, layer, run] of methods) {
    const model = new ViaMethod(layer, (x) => run(layer, x));
    nb.noGrad(() => layer.apply(seq));
    model.train();
    nb.manualSeed(12);
    const a = nb.noGrad(() => model.apply(seq)).data();
    nb.manualSeed(12);
    const b = nb.noGrad(() => layer.apply(seq, true)).data();
    const c = nb.noGrad(() => layer.apply(seq, false)).data();
    assert.deepEqual([...a], [...b], `${name} inherits training`);
    assert.notDeepEqual([...a], [...c], `${name}: training differs from inference`);
  }
});

test('apply rejects a training argument that is not a boolean', () => {
  const d = new Dense(2);
  assert.throws(() => d.apply(nb.ones([1, 2]), { training: true } as unknown as boolean), {
    name: 'ValueError', message: /^Dense 'dense(_\d+)?': apply's training argument must be true, false or left out \(inherit\), got object$/,
  });
});
