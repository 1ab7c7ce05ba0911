// An imported model is a real nabla Model: named weights, training, freezing, replacing layers,
// BatchNormalization statistics, state dicts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../../src/index.js';
import { OnnxNodeLayer, type OnnxModel } from '../../../src/io/onnx/index.js';
import { build, f, i, init, node, type GraphSpec } from './helpers.js';

/** x [N,4] → Gemm(fc1, transB) → Relu → Gemm(head, transB) → y [N,2], weights named as PyTorch exports them. */
function mlp(): OnnxModel {
  const g = new nb.Generator(3);
  const rnd = (n: number) => Array.from(nb.randn([n], { generator: g }).data());
  const spec: GraphSpec = {
    nodes: [
      node('Gemm', ['x', 'fc1.weight', 'fc1.bias'], ['h'], { transB: i(1) }, '/fc1/Gemm'),
      node('Relu', ['h'], ['r'], {}, '/act/Relu'),
      node('Gemm', ['r', 'head.weight', 'head.bias'], ['y'], { transB: i(1) }, '/head/Gemm'),
    ],
    inputs: [['x', ['N', 4]]],
    outputs: ['y'],
    initializers: [init('fc1.weight', [3, 4], rnd(12)), init('fc1.bias', [3], rnd(3)), init('head.weight', [2, 3], rnd(6)), init('head.bias', [2], rnd(2))],
  };
  return build(spec);
}

const snapshot = (t: nb.Tensor): number[] => Array.from(t.data());

test('weights are named after their initializers (PyTorch prefixes become layers)', () => {
  const m = mlp();
  assert.deepEqual(m.namedParameters().map(([n, t]) => `${n} ${t.shape.join('x')}`), ['fc1.weight 3x4', 'fc1.bias 3', 'head.weight 2x3', 'head.bias 2']);
  assert.deepEqual(Object.keys(m.stateDict()), ['fc1.weight', 'fc1.bias', 'head.weight', 'head.bias']);
  assert.deepEqual(m.weightPaths, { 'fc1.weight': 'fc1.weight', 'fc1.bias': 'fc1.bias', 'head.weight': 'head.weight', 'head.bias': 'head.bias' });
  const fc1 = m.getLayerByNode('/fc1/Gemm');
  assert.ok(fc1 instanceof OnnxNodeLayer);
  assert.equal(fc1.name, 'fc1');
  assert.equal(fc1.opType, 'Gemm');
  assert.equal(m.getLayerByNode('/act/Relu'), null);
  assert.deepEqual(m.namedLayers().map(([n, l]) => `${n}:${l.className}`), ['fc1:OnnxGemm', 'head:OnnxGemm']);
  m.apply(nb.zeros([5, 4]));
  assert.match(m.summary({ printFn: null }), /│ fc1 \(OnnxGemm\) +│ \(None, 3\) +│ +15 │/);
});

test('one SGD step lowers the loss; a frozen layer keeps its weights, gets no gradient', () => {
  const m = mlp();
  const x = nb.randn([16, 4], { generator: new nb.Generator(5) });
  const target = nb.randn([16, 2], { generator: new nb.Generator(6) });
  const lossOf = () => nb.losses.meanSquaredError(target, m.apply(x, true));
  const fc1 = m.getLayerByNode('/fc1/Gemm')!;
  fc1.trainable = false;
  assert.deepEqual(m.namedParameters().map(([n]) => n), ['head.weight', 'head.bias']);
  const frozen = snapshot(fc1.weights[0]!);
  const head = snapshot(m.getLayerByNode('/head/Gemm')!.weights[0]!);
  const opt = new nb.optim.SGD(m.parameters(), { learningRate: 0.1 });
  const before = lossOf();
  before.backward();
  assert.equal(fc1.weights[0]!.grad, null);
  opt.step();
  opt.zeroGrad();
  const after = nb.noGrad(lossOf).item();
  assert.ok(after < before.item(), `loss ${before.item()} → ${after}`);
  assert.deepEqual(snapshot(fc1.weights[0]!), frozen);
  assert.notDeepEqual(snapshot(m.getLayerByNode('/head/Gemm')!.weights[0]!), head);
});

test('compile/fit trains the imported model, and a replaced head trains with it', async () => {
  const m = mlp();
  m.getLayerByNode('/fc1/Gemm')!.trainable = false;
  m.replaceLayer('head', new nb.layers.Dense(5, { name: 'new_head' }));
  const x = nb.randn([32, 4], { generator: new nb.Generator(7) });
  const y = nb.randint(0, 5, [32], { generator: new nb.Generator(8) });
  assert.deepEqual(m.apply(x).shape, [32, 5]);
  assert.deepEqual(m.namedParameters().map(([n]) => n), ['head.kernel', 'head.bias']);
  const fc1 = snapshot(m.getLayerByNode('/fc1/Gemm')!.weights[0]!);
  m.compile({ optimizer: new nb.optim.Adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy' });
  const first = (await m.evaluate(x, y)).loss!;
  await m.fit(x, y, { epochs: 5, batchSize: 8, verbose: 0, seed: 1 });
  const last = (await m.evaluate(x, y)).loss!;
  assert.ok(last < first, `loss ${first} → ${last}`);
  assert.deepEqual(snapshot(m.getLayerByNode('/fc1/Gemm')!.weights[0]!), fc1);
  assert.equal(m.getLayerByNode('/head/Gemm')!.name, 'new_head');
});

test('a node layer applies on its own; assigning a property replaces it too', () => {
  const m = mlp();
  const fc1 = m.getLayerByNode('/fc1/Gemm')!;
  const x = nb.randn([2, 4], { generator: new nb.Generator(9) });
  const w = fc1.weights;
  const expected = nb.add(nb.matmul(x, nb.transpose(w[0]!)), w[1]!);
  assert.deepEqual(snapshot(fc1.apply(x)), snapshot(expected));
  (m as unknown as Record<string, nb.Layer>).fc1 = new nb.layers.Dense(3, { kernelInitializer: 'ones', biasInitializer: 'zeros' });
  const out = nb.noGrad(() => m.apply(nb.ones([1, 4])));
  const head = m.getLayerByNode('/head/Gemm')!.weights;
  const manual = nb.add(nb.matmul(nb.full([1, 3], 4), nb.transpose(head[0]!)), head[1]!);
  assert.deepEqual(snapshot(out), snapshot(manual));
});

test('state dicts round-trip; loaded weights change the outputs', () => {
  const a = mlp();
  const b = mlp();
  for (const [, t] of b.namedWeights()) nb.noGrad(() => t.storage.fill(0.5));
  const x = nb.ones([1, 4]);
  assert.notDeepEqual(snapshot(a.apply(x)), snapshot(b.apply(x)));
  b.loadStateDict(a.stateDict());
  assert.deepEqual(snapshot(a.apply(x)), snapshot(b.apply(x)));
});

test('saveWeights/loadWeights round-trip; save() explains why it cannot write a model.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-onnx-w-'));
  try {
    const a = mlp();
    for (const [, t] of a.namedWeights()) nb.noGrad(() => t.storage.fill(0.25));
    await a.saveWeights(join(dir, 'w.safetensors'));
    const b = mlp();
    await b.loadWeights(join(dir, 'w.safetensors'));
    assert.deepEqual(snapshot(b.apply(nb.ones([1, 4]))), snapshot(a.apply(nb.ones([1, 4]))));
    await assert.rejects(a.save(join(dir, 'model')), /cannot write an imported ONNX graph as model\.json; use saveWeights/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('BatchNormalization: batch statistics and running-average updates in training; frozen or inference uses the stored ones', () => {
  const spec: GraphSpec = {
    nodes: [node('BatchNormalization', ['x', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var'], ['y'], { epsilon: f(0), momentum: f(0.5) }, 'bn')],
    inputs: [['x', ['N', 2]]],
    outputs: ['y'],
    initializers: [init('bn.weight', [2], [1, 1]), init('bn.bias', [2], [0, 0]), init('bn.running_mean', [2], [0, 0]), init('bn.running_var', [2], [1, 1])],
  };
  const m = build(spec);
  assert.deepEqual(m.namedParameters().map(([n]) => n), ['bn.weight', 'bn.bias']);
  assert.deepEqual(m.namedWeights().map(([n]) => n), ['bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var']);
  const x = nb.tensor([[1, 10], [3, 30]]);
  assert.deepEqual(snapshot(m.apply(x)), [1, 10, 3, 30]);
  // training: normalised by the batch (mean [2, 20], variance [1, 100]) and the running stats move halfway
  assert.deepEqual(snapshot(m.apply(x, true)), [-1, -1, 1, 1]);
  const sd = m.stateDict();
  assert.deepEqual(snapshot(sd['bn.running_mean']!), [1, 10]);
  assert.deepEqual(snapshot(sd['bn.running_var']!), [1, 50.5]);
  m.trainable = false;
  m.apply(x, true);
  assert.deepEqual(snapshot(m.stateDict()['bn.running_mean']!), [1, 10]);
});
