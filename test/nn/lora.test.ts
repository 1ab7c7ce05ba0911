// LoRA: wrappers on Dense and Conv2D, wrap/merge, adapter-only files, parameter counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import * as lora from '../../src/nn/lora/index.js';

const { Dense, Conv2D, Flatten, MaxPooling2D } = nb.layers;
const values = (t: nb.Tensor): number[] => Array.from(t.data());

function assertClose(a: nb.Tensor, b: nb.Tensor, tol: number, what = ''): void {
  assert.deepEqual(a.shape, b.shape, `${what} shape`);
  const x = a.data();
  const y = b.data();
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i]! - y[i]!) <= tol * Math.max(1, Math.abs(y[i]!)), `${what}[${i}]: ${x[i]} vs ${y[i]}`);
}

/** A small CNN with seeded weights: conv → relu → pool → conv → flatten → dense(relu) → dense. */
function cnn(seed = 1): nb.Sequential {
  const init = (k: number) => ({ kernelInitializer: nb.initializers.glorotUniform({ seed: seed * 10 + k }), biasInitializer: nb.initializers.randomNormal({ seed: seed * 10 + k + 5 }) });
  return new nb.Sequential([
    new Conv2D(4, 3, { padding: 'same', activation: 'relu', ...init(1) }),
    new MaxPooling2D(2),
    new Conv2D(6, 3, init(2)),
    new Flatten(),
    new Dense(12, { activation: 'relu', ...init(3) }),
    new Dense(3, init(4)),
  ]);
}

const x = nb.randn([5, 8, 8, 2], { generator: new nb.Generator(7) });
const y = nb.tensor([0, 1, 2, 1, 0], { dtype: 'int32' });

/** Sets every B to non-zero values so the adapters change the outputs. */
function perturbAdapters(model: nb.Layer, seed: number): void {
  const g = new nb.Generator(seed);
  for (const t of lora.loraParameters(model)) t.storage.set(nb.randn(t.shape, { generator: g }).mul(0.3).data());
}

test('a wrapped model equals its base at start (B = 0) and trains only the adapters', async () => {
  const model = cnn();
  const before = model.predict(x);
  const counts = { total: model.countParams() };
  lora.wrap(model, { rank: 2, alpha: 4, seed: 3 });
  assert.deepEqual(model.layers.map((l) => l.className), ['LoRAConv2D', 'MaxPooling2D', 'LoRAConv2D', 'Flatten', 'LoRADense', 'LoRADense']);
  assert.deepEqual(values(model.predict(x)), values(before));
  // A: [3·3·2, 2], [3·3·4, 2], [24, 2], [12, 2]; B: [2, 4], [2, 6], [2, 12], [2, 3]
  const adapterCount = (18 + 36 + 24 + 12) * 2 + 2 * (4 + 6 + 12 + 3);
  assert.equal(lora.loraParameters(model).reduce((n, t) => n + t.size, 0), adapterCount);
  assert.deepEqual(model.parameters(), lora.loraParameters(model));
  assert.deepEqual(model.namedParameters().map(([n]) => n), [
    'layers.0.loraA', 'layers.0.loraB', 'layers.2.loraA', 'layers.2.loraB', 'layers.4.loraA', 'layers.4.loraB', 'layers.5.loraA', 'layers.5.loraB',
  ]);
  assert.equal(model.countParams(), counts.total + adapterCount);
  const summary = model.summary({ printFn: null });
  assert.match(summary, new RegExp(`│ ${model.layers[0]!.name} \\(LoRAConv2D\\) `));
  assert.match(summary, new RegExp(`Trainable params: ${adapterCount.toLocaleString('en-US')} \\(`));
  assert.match(summary, new RegExp(`Non-trainable params: ${counts.total.toLocaleString('en-US')} \\(`));

  const base = model.namedWeights().filter(([n]) => n.includes('.base.')).map(([n, t]) => [n, values(t)] as const);
  assert.equal(base.length, 8);
  model.compile({ optimizer: new nb.optim.Adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy' });
  const first = (await model.evaluate(x, y)).loss!;
  await model.fit(x, y, { epochs: 5, batchSize: 5, verbose: 0 });
  assert.ok((await model.evaluate(x, y)).loss! < first);
  for (const [n, v] of base) assert.deepEqual(values(model.stateDict()[n]!), v, `${n} changed`);
  assert.equal(model.optimizer!.namedParameters().length, 8);
  assert.ok(model.namedWeights().filter(([n]) => n.includes('.base.')).every(([, t]) => !t.requiresGrad && t.grad === null));
});

test('merge folds the adapters into plain layers with the same outputs (1e-5)', () => {
  const model = cnn(2);
  lora.wrap(model, { rank: 3, alpha: 6, seed: 1 });
  model.apply(x);
  perturbAdapters(model, 4);
  const wrapped = model.predict(x);
  assert.notDeepEqual(values(wrapped), values(cnn(2).predict(x)));
  const merged = lora.merge(model);
  assert.equal(merged, model);
  assert.deepEqual(model.layers.map((l) => l.className), ['Conv2D', 'MaxPooling2D', 'Conv2D', 'Flatten', 'Dense', 'Dense']);
  assertClose(model.predict(x), wrapped, 1e-5, 'merged vs wrapped');
  // trainability is back to what it was before wrap, names are plain again
  assert.equal(model.parameters().length, 8);
  assert.deepEqual(Object.keys(model.stateDict()), ['0', '2', '4', '5'].flatMap((i) => [`layers.${i}.kernel`, `layers.${i}.bias`]));
});

test('Dense: output = activation(x·W + b + (alpha/r)·x·A·B), dropout on the adapter input only in training', () => {
  const dense = new Dense(3, { activation: 'relu', kernelInitializer: nb.initializers.glorotUniform({ seed: 1 }) });
  dense.apply(nb.zeros([1, 4]));
  const layer = new lora.LoRADense(dense, { rank: 2, alpha: 3, seed: 5, dropout: 0.5 });
  assert.equal(layer.scale, 1.5);
  layer.loraB.storage.set([0.1, -0.2, 0.3, 0.4, 0.5, -0.6]);
  const xs = nb.randn([6, 4], { generator: new nb.Generator(2) });
  const expected = nb.relu(nb.add(nb.add(nb.matmul(xs, dense.kernel), dense.bias!), nb.mul(nb.matmul(nb.matmul(xs, layer.loraA), layer.loraB), 1.5)));
  assertClose(layer.apply(xs), expected, 1e-6, 'inference');
  const train = layer.apply(xs, true);
  assert.notDeepEqual(values(train), values(expected));
  // A's rows: uniform in ±1/√in
  assert.ok(values(layer.loraA).every((v) => Math.abs(v) <= 0.5));
  assert.throws(() => new lora.LoRADense(new Conv2D(2, 3) as unknown as nb.layers.Dense, { rank: 2 }), /LoRADense: the base must be a Dense layer, got Conv2D/);
  assert.throws(() => new lora.LoRADense(new Dense(2), { rank: 0 }), /LoRADense: rank must be a positive integer, got 0/);
  assert.throws(() => new lora.LoRADense(new Dense(2), { rank: 2, dropout: 1 }), /dropout must be a number in \[0, 1\)/);
});

test('Conv2D: the adapter is the kernel reshaped to [kh·kw·in/groups, filters]; dropout runs it as a second conv', () => {
  const conv = new Conv2D(4, [3, 2], { groups: 2, strides: 2, padding: 'same', kernelInitializer: nb.initializers.glorotUniform({ seed: 3 }) });
  const xs = nb.randn([2, 7, 6, 4], { generator: new nb.Generator(3) });
  const wrapped = new lora.LoRAConv2D(conv, { rank: 2, seed: 1, dropout: 0.2 });
  assert.equal(wrapped.built, false);
  const base = conv.apply(xs);
  assert.deepEqual(values(wrapped.apply(xs)), values(base));
  assert.deepEqual(wrapped.loraA.shape, [3 * 2 * 2, 2]);
  assert.deepEqual(wrapped.loraB.shape, [2, 4]);
  wrapped.loraB.storage.set(nb.randn([8], { generator: new nb.Generator(9) }).data());
  const delta = nb.reshape(nb.matmul(wrapped.loraA, wrapped.loraB), conv.kernel.shape);
  const opts = { strides: 2, padding: 'same' as const, groups: 2, bias: conv.bias };
  assertClose(wrapped.apply(xs), nb.conv2d(xs, nb.add(conv.kernel, delta), opts), 1e-5, 'merged kernel');
  // with dropout 0 the split form would equal the merged form; with dropout it differs only in training
  assert.notDeepEqual(values(wrapped.apply(xs, true)), values(wrapped.apply(xs)));
  assert.deepEqual(wrapped.apply(xs, true).shape, base.shape);
});

test('gradients reach A and B only; B = 0 means A gets no gradient at the first step', () => {
  const model = new nb.Sequential([new Dense(5, { activation: 'tanh' }), new Dense(2)]);
  model.apply(nb.zeros([1, 3]));
  lora.wrap(model, { rank: 2, seed: 0 });
  const xs = nb.randn([4, 3], { generator: new nb.Generator(1) });
  nb.sum(nb.mul(model.apply(xs, true), model.apply(xs, true))).backward();
  for (const [n, t] of model.namedWeights()) {
    if (n.includes('.base.')) assert.equal(t.grad, null, n);
    else assert.ok(t.grad !== null, n);
  }
  const a0 = model.getLayer('layers.0') as lora.LoRADense;
  assert.ok(values(a0.loraA.grad!).every((v) => v === 0));
  assert.ok(values(a0.loraB.grad!).some((v) => v !== 0));
});

test('targets: by name, path suffix or predicate; unknown targets and non-layers are clear errors', () => {
  class Net extends nb.Model {
    encoder = new nb.Sequential([new Dense(4, { name: 'q' }), new Dense(4, { name: 'v' })]);
    head = new Dense(2, { name: 'head' });
    call(t: nb.Tensor): nb.Tensor {
      return this.head.apply(this.encoder.apply(t));
    }
  }
  const a = lora.wrap(new Net(), { rank: 1, targets: ['q', 'encoder.layers.1'] });
  assert.deepEqual(lora.loraLayers(a).map(([p]) => p), ['encoder.layers.0', 'encoder.layers.1']);
  assert.equal(a.head.className, 'Dense');
  const b = lora.wrap(new Net(), { rank: 1, targets: (path) => path.startsWith('head') });
  assert.deepEqual(lora.loraLayers(b).map(([p]) => p), ['head']);
  assert.throws(() => lora.wrap(new Net(), { rank: 1, targets: ['k'] }), /lora\.wrap: no Dense or Conv2D layer matches 'k'; the layers that can be wrapped are encoder\.layers\.0 \(Dense\), encoder\.layers\.1 \(Dense\), head \(Dense\)/);
  assert.throws(() => lora.wrap(new nb.Sequential([new Flatten()]), { rank: 1 }), /no layer of Sequential .* was chosen; .* none/);
  assert.throws(() => lora.wrap(new Dense(3), { rank: 1 }), /is itself a layer to adapt; .* new nb\.lora\.LoRADense/);
  // a second wrap adds adapters elsewhere and keeps the first ones trainable
  lora.wrap(a, { rank: 1, targets: ['head'] });
  assert.equal(lora.loraLayers(a).length, 3);
  a.apply(nb.zeros([1, 3]));
  assert.equal(a.parameters().length, 6);
});

test('adapter-only files reload into a freshly wrapped model (or wrap a plain one) with identical outputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-lora-'));
  try {
    const file = join(dir, 'adapters.safetensors');
    const model = cnn(3);
    model.apply(x);
    lora.wrap(model, { rank: 2, alpha: 8, targets: ['layers.2', 'layers.5'], seed: 11 });
    perturbAdapters(model, 6);
    const expected = model.predict(x);
    lora.saveAdapters(model, file);
    const saved = nb.io.loadSafetensors(file);
    assert.deepEqual(Object.keys(saved.tensors).sort(), ['layers.2.loraA', 'layers.2.loraB', 'layers.5.loraA', 'layers.5.loraB']);
    assert.equal(saved.metadata['format'], 'nabla-lora');

    // a fresh copy of the same base, wrapped the same way (other seed: A differs until loaded)
    const fresh = cnn(3);
    fresh.apply(x);
    lora.wrap(fresh, { rank: 2, alpha: 8, targets: ['layers.2', 'layers.5'], seed: 99 });
    assert.notDeepEqual(values(fresh.predict(x)), values(expected));
    lora.loadAdapters(fresh, file);
    assert.deepEqual(values(fresh.predict(x)), values(expected));

    // a plain model is wrapped as the file says
    const plain = cnn(3);
    plain.apply(x);
    lora.loadAdapters(plain, file);
    assert.deepEqual(lora.loraLayers(plain).map(([p, l]) => `${p}:${l.rank}:${l.alpha}`), ['layers.2:2:8', 'layers.5:2:8']);
    assert.deepEqual(values(plain.predict(x)), values(expected));

    // mismatches are refused before anything is written
    const other = cnn(3);
    other.apply(x);
    lora.wrap(other, { rank: 2, alpha: 8, targets: ['layers.5'] });
    assert.throws(() => lora.loadAdapters(other, file), /do not match the model's \(unexpected layers\.2\.loraA, layers\.2\.loraB\)/);
    const rank3 = cnn(3);
    rank3.apply(x);
    lora.wrap(rank3, { rank: 3, alpha: 8, targets: ['layers.2', 'layers.5'] });
    assert.throws(() => lora.loadAdapters(rank3, file), /'layers\.2' was saved with rank 2, alpha 8, but the model's has rank 3, alpha 8/);
    const notAdapters = join(dir, 'w.safetensors');
    nb.io.saveSafetensors(notAdapters, { w: nb.ones([2]) });
    assert.throws(() => lora.loadAdapters(other, notAdapters), /is not an adapter file/);
    assert.throws(() => lora.saveAdapters(cnn(), file), /has no adapters to save; wrap it first/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a wrapped model saves and loads whole (model.json knows LoRADense and LoRAConv2D)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-lora-model-'));
  try {
    const model = cnn(4);
    lora.wrap(model, { rank: 2, seed: 2 });
    model.apply(x);
    perturbAdapters(model, 8);
    await model.save(dir);
    const loaded = nb.loadModel(dir) as nb.Sequential;
    assert.deepEqual(loaded.layers.map((l) => l.className), model.layers.map((l) => l.className));
    assert.deepEqual(values(loaded.predict(x)), values(model.predict(x)));
    assert.equal(loaded.parameters().length, 8);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
