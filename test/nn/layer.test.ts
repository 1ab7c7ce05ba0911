import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import {
  Layer, functionalCall, layerFromConfig, layers, registerActivation, registerLayer, resetLayerNames, serializeLayer,
  type Config, type LayerOptions,
} from '../../src/nn/index.js';
import { cloneStateDict } from './run-layer-test.js';

class Block extends Layer {
  dense1 = new layers.Dense(6, { activation: 'relu' });
  norm = new layers.LayerNormalization();
  call(x: nb.Tensor, training = false): nb.Tensor {
    return this.norm.apply(this.dense1.apply(x, training), training);
  }
}

class Net extends Layer {
  blocks = [new Block(), new Block()];
  head = new layers.Dense(2);
  call(x: nb.Tensor, training = false): nb.Tensor {
    let h = x;
    for (const b of this.blocks) h = b.apply(h, training);
    return this.head.apply(h, training);
  }
}

/** A custom layer with its own weight, kept in a property as many users write it. */
class Scale extends Layer {
  w: nb.Tensor | null = null;
  constructor(opts: LayerOptions = {}) {
    super(opts);
  }
  override build(inputShape: number[]): void {
    this.w = this.addWeight('w', [inputShape[inputShape.length - 1]!], 'ones', { regularizer: 'l1' });
  }
  call(x: nb.Tensor): nb.Tensor {
    return x.mul(this.w!);
  }
}
registerLayer(Scale);

test('names are generated per class: dense, dense_1, batch_normalization', () => {
  resetLayerNames();
  assert.equal(new layers.Dense(1).name, 'dense');
  assert.equal(new layers.Dense(1).name, 'dense_1');
  assert.equal(new layers.BatchNormalization().name, 'batch_normalization');
  assert.equal(new layers.LayerNormalization().name, 'layer_normalization');
  assert.equal(new layers.Dense(1, { name: 'mine' }).name, 'mine');
  assert.equal(new Net().name, 'net');
});

test('parameter names are property paths in a nested subclassed layer', () => {
  const net = new Net();
  assert.equal(net.built, false);
  const y = net.apply(nb.randn([3, 4]));
  assert.deepEqual(y.shape, [3, 2]);
  assert.deepEqual(net.namedParameters().map(([n]) => n), [
    'blocks.0.dense1.kernel', 'blocks.0.dense1.bias', 'blocks.0.norm.gamma', 'blocks.0.norm.beta',
    'blocks.1.dense1.kernel', 'blocks.1.dense1.bias', 'blocks.1.norm.gamma', 'blocks.1.norm.beta',
    'head.kernel', 'head.bias',
  ]);
  assert.deepEqual(Object.keys(net.stateDict()), net.namedWeights().map(([n]) => n));
  assert.deepEqual(net.namedLayers().map(([n]) => n), ['blocks.0', 'blocks.0.dense1', 'blocks.0.norm', 'blocks.1', 'blocks.1.dense1', 'blocks.1.norm', 'head']);
  assert.equal(net.countParams(), (4 * 6 + 6 + 12) + (6 * 6 + 6 + 12) + (6 * 2 + 2));
  // every sublayer was built by the parent's apply
  for (const [, l] of net.namedLayers()) assert.equal(l.built, true);
});

test('a layer shared under two properties is counted once', () => {
  class Shared extends Layer {
    a = new layers.Dense(3);
    b = this.a;
    call(x: nb.Tensor) {
      return this.b.apply(this.a.apply(x));
    }
  }
  const s = new Shared();
  s.apply(nb.randn([2, 3]));
  assert.deepEqual(s.namedWeights().map(([n]) => n), ['a.kernel', 'a.bias']);
  assert.equal(s.countParams(), 12);
});

test('freezing (trainable = false) removes weights from parameters() and stops their gradients', () => {
  const net = new Net();
  const x = nb.randn([3, 4]);
  net.apply(x);
  const block = net.blocks[0]!;
  block.trainable = false;
  assert.equal(block.dense1.trainable, false, 'sublayers are frozen too');
  assert.equal(net.parameters().length, 6);
  assert.equal(net.nonTrainableWeights.length, 4);
  assert.equal(net.weights.length, 10);
  assert.equal(block.dense1.kernel.requiresGrad, false);
  net.apply(x, true).sum().backward();
  assert.equal(block.dense1.kernel.grad, null);
  assert.ok(net.head.kernel.grad);
  block.trainable = true;
  assert.equal(net.parameters().length, 10);
  assert.equal(block.dense1.kernel.requiresGrad, true);
  // freezing the parent freezes everything; BatchNorm's moving stats stay non-trainable after unfreezing
  const bn = new layers.BatchNormalization();
  bn.apply(x, true);
  bn.trainable = false;
  assert.equal(bn.parameters().length, 0);
  bn.trainable = true;
  assert.equal(bn.parameters().length, 2);
  assert.equal(bn.movingMean.requiresGrad, false);
});

test('a layer frozen before it is built creates frozen weights', () => {
  const d = new layers.Dense(2, { trainable: false });
  d.apply(nb.zeros([1, 3]));
  assert.equal(d.kernel.requiresGrad, false);
  assert.deepEqual(d.parameters(), []);
  assert.equal(d.getConfig().trainable, false);
});

test('loadStateDict copies values in place and reports clear errors', () => {
  const net = new Net();
  const x = nb.randn([2, 4]);
  net.apply(x);
  const other = new Net();
  other.apply(x);
  const kernelBefore = other.head.kernel;
  other.loadStateDict(cloneStateDict(net.stateDict()));
  assert.equal(other.head.kernel, kernelBefore, 'the weight tensors are kept (optimizers hold them)');
  assert.deepEqual(other.apply(x).toArray(), net.apply(x).toArray());

  const sd = cloneStateDict(net.stateDict());
  delete sd['head.bias'];
  assert.throws(() => other.loadStateDict(sd), /loadStateDict into Net 'net\w*': missing keys: head\.bias \(pass \{ strict: false \}/);
  const extra = { ...cloneStateDict(net.stateDict()), 'head.gamma': nb.zeros([2]) };
  assert.throws(() => other.loadStateDict(extra), /unexpected keys: head\.gamma/);
  assert.deepEqual(other.loadStateDict(sd, { strict: false }), { missingKeys: ['head.bias'], unexpectedKeys: [] });
  const bad = { ...cloneStateDict(net.stateDict()), 'head.kernel': nb.zeros([5, 2]) };
  assert.throws(() => other.loadStateDict(bad), /shape mismatch for 'head\.kernel': the layer has \[6,2\], the state dict has \[5,2\]/);
  // nothing was written by the failed load
  assert.deepEqual(other.apply(x).toArray(), net.apply(x).toArray());
});

test('loadStateDict into a layer that is not built says how to build it', () => {
  const net = new Net();
  net.apply(nb.randn([2, 4]));
  assert.throws(() => new Net().loadStateDict(net.stateDict()), /Net 'net\w*' is not built yet, so it has no weight for 'blocks\.0\.dense1\.kernel'.*call the model once on a sample batch \(model\.apply\(x\)\) or build it .*model\.build\(\[null, 784\]\)/);
  assert.throws(() => new layers.Dense(2).loadStateDict({ kernel: nb.zeros([3, 2]) }), /Dense 'dense\w*' is not built yet/);
  assert.throws(() => new layers.Dense(2).kernel, /no weight 'kernel'; it is not built yet: call apply\(sampleInput\) first/);
});

test('a custom layer keeping its weight in a property: config round trip, regularizer, functionalCall', () => {
  const s = new Scale({ name: 'scale' });
  const x = nb.tensor([[1, -2]]);
  assert.deepEqual(s.apply(x).toArray(), [[1, -2]]);
  assert.deepEqual(s.namedWeights().map(([n]) => n), ['w']);
  assert.equal(s.regularizationLoss()!.item(), Math.fround(0.01 * 2));
  const copy = layerFromConfig(JSON.parse(JSON.stringify(serializeLayer(s))));
  assert.ok(copy instanceof Scale);
  assert.deepEqual(copy.getConfig(), { name: 'scale', trainable: true, dtype: 'float32' });
  // functionalCall swaps the weight in the map and in the property, then restores it
  const w2 = nb.tensor([3, 4]);
  assert.deepEqual(functionalCall(s, { w: w2 }, x).toArray(), [[3, -8]]);
  assert.equal(s.w, s.getWeight('w'));
  assert.deepEqual(s.apply(x).toArray(), [[1, -2]]);
  assert.throws(() => functionalCall(s, { nope: w2 }, x), /no weight at 'nope' \(weights: w\)/);
});

test('the default computeOutputShape runs the layer on zeros', () => {
  const net = new Net();
  assert.deepEqual(net.computeOutputShape([5, 4]), [5, 2]);
});

test('regularizationLoss sums the penalties of every sublayer', () => {
  class Two extends Layer {
    a = new layers.Dense(2, { kernelRegularizer: 'l2', kernelInitializer: 'ones' });
    b = new layers.Dense(2, { kernelRegularizer: 'l1', kernelInitializer: 'ones' });
    call(x: nb.Tensor) {
      return this.b.apply(this.a.apply(x));
    }
  }
  const two = new Two();
  assert.equal(two.regularizationLoss(), null, 'no weights yet');
  two.apply(nb.zeros([1, 3]));
  const loss = two.regularizationLoss()!;
  assert.ok(Math.abs(loss.item() - (0.01 * 6 + 0.01 * 4)) < 1e-6);
  assert.equal(loss.requiresGrad, true);
});

test('summary lists sublayers by name and class, output shapes with a None batch, and parameter totals', () => {
  resetLayerNames();
  const net = new Net();
  const before = net.summary({ printFn: null });
  assert.match(before, /│ dense_2 \(Dense\) +│ \? +│ 0 \(unbuilt\) │/);
  net.apply(nb.randn([3, 4]));
  const s = net.summary({ printFn: null });
  assert.match(s, /^Layer: "net"\n/);
  assert.match(s, /│ block \(Block\) +│ \(None, 6\) +│ +42 │/);
  assert.match(s, /│ block_1 \(Block\) +│ \(None, 6\) +│ +54 │/);
  assert.match(s, /│ dense_2 \(Dense\) +│ \(None, 2\) +│ +14 │/);
  assert.match(s, /\n Total params: 110 \(440 B\)\n Trainable params: 110 \(440 B\)\n Non-trainable params: 0 \(0 B\)\n/);
  const bn = new layers.BatchNormalization({ name: 'bn' });
  bn.apply(nb.randn([4, 1000]), true);
  assert.match(bn.summary({ printFn: null }), /│ bn \(BatchNormalization\) │ \(None, 1000\) │   4,000 │/);
  assert.match(bn.summary({ printFn: null }), /Non-trainable params: 2,000 \(8\.0 kB\)/);
});

test('registry errors: unknown classes and custom activations that cannot be named', () => {
  assert.throws(
    () => layerFromConfig({ className: 'Dense2', config: {} }),
    /^ValueError: Unknown layer class 'Dense2'\. Valid: Dense, .*\. Did you mean 'Dense'\? Register custom layers with registerLayer\(MyLayer\)\.$/,
  );
  assert.ok(layerFromConfig({ className: 'dense', config: { units: 2 } }) instanceof layers.Dense, 'class names in any case, as every name registry');
  assert.throws(() => layerFromConfig({ className: 'constructor', config: {} }), /Unknown layer class 'constructor'\./);
  assert.throws(() => registerLayer(layers.Dense, '__proto__'), /'__proto__' cannot name a layer class/);
  const square = (t: nb.Tensor) => t.mul(t);
  const d = new layers.Dense(2, { activation: square });
  assert.throws(() => d.getConfig(), /cannot name its custom activation function; register it with registerActivation/);
  registerActivation('square', square);
  assert.equal(d.getConfig().activation, 'square');
  const copy = layerFromConfig(serializeLayer(d)) as layers.Dense;
  assert.equal(copy.activation, square);
});

test('fromConfig on a layer class with an options-object constructor', () => {
  const ln = new layers.LayerNormalization({ epsilon: 1e-5, axis: [1, 2] });
  const copy = layers.LayerNormalization.fromConfig(ln.getConfig() as Config);
  assert.deepEqual(copy.getConfig(), ln.getConfig());
});

test('apply rejects a non-tensor input with a clear error', () => {
  const d = new layers.Dense(2, { name: 'd' });
  assert.throws(() => d.apply([1, 2] as unknown as nb.Tensor), /Dense 'd': apply expects a Tensor, got object/);
  assert.throws(() => d.addWeight('a.b', [1], 'zeros'), /must not|without '\.'/);
});

test('a frozen layer adds no regularization penalty', () => {
  const d = new layers.Dense(2, { kernelRegularizer: 'l2', kernelInitializer: 'ones' });
  d.apply(nb.zeros([1, 2]));
  assert.ok(d.regularizationLoss());
  d.trainable = false;
  assert.equal(d.regularizationLoss(), null);
});

test('computeOutputShape does not change the shapes summary() shows', () => {
  const net = new Net();
  net.apply(nb.randn([3, 4]));
  net.computeOutputShape([7, 4]);
  assert.deepEqual(net.lastOutputShape, [3, 2]);
});
