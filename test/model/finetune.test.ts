// Fine-tuning tools: getLayer, freezing, replaceHead (Sequential, subclassed, ONNX), learning-rate
// multipliers, and `nabla finetune` end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as nb from '../../src/index.js';
import { Identity, replaceHead } from '../../src/models/replace-head.js';
import { freezeAllExcept } from '../../src/nn/freeze.js';
import { OnnxNodeLayer, type OnnxModel } from '../../src/io/onnx/index.js';
import { build, i, init, node, type GraphSpec } from '../io/onnx/helpers.js';
import { quiet, toyData } from './helpers.js';

const { Dense, Activation, Flatten } = nb.layers;
const values = (t: nb.Tensor): number[] => Array.from(t.data());
const snapshot = (m: nb.Layer): Record<string, number[]> => Object.fromEntries(m.namedWeights().map(([n, t]) => [n, values(t)]));

class Block extends nb.Layer {
  attn = new Dense(4, { name: 'attn_proj' });
  call(x: nb.Tensor): nb.Tensor {
    return this.attn.apply(x);
  }
}

class Net extends nb.Model {
  dense1 = new Dense(8, { activation: 'relu' });
  blocks = [new Block(), new Block()];
  dense3 = new Dense(3);
  call(x: nb.Tensor): nb.Tensor {
    let h = this.dense1.apply(x);
    for (const b of this.blocks) h = b.apply(h);
    return this.dense3.apply(h);
  }
}

test('getLayer finds sublayers by property path or layer name, with a clear error listing them', () => {
  const net = new Net();
  assert.equal(net.getLayer('dense3'), net.dense3);
  assert.equal(net.getLayer('blocks.1'), net.blocks[1]);
  assert.equal(net.getLayer('blocks.0.attn'), net.blocks[0]!.attn);
  const seq = new nb.Sequential([new Dense(4, { name: 'hidden' }), new Dense(2)]);
  assert.equal(seq.getLayer('layers.1'), seq.layers[1]);
  assert.equal(seq.getLayer('hidden'), seq.layers[0]);
  assert.throws(() => seq.getLayer('dense9'), /Sequential '.*': no layer named 'dense9' \(by property path or layer name\); its layers are layers\.0 \(Dense 'hidden'\), layers\.1 \(Dense '.*'\)/);
  assert.throws(() => net.getLayer('attn_proj'), /2 layers are named 'attn_proj' \(at blocks\.0\.attn, blocks\.1\.attn\); ask for one by its path/);
  assert.throws(() => net.getLayer(''), /getLayer expects a layer name or property path/);
});

test('a frozen layer gets no gradient, no optimizer slot, and keeps its weights bitwise through fit', async () => {
  const { x, y } = toyData(64, 1);
  const model = new nb.Sequential([new Dense(16, { activation: 'relu', name: 'body' }), new Dense(3, { name: 'head' })]);
  // frozen before it is built: the weights are made frozen
  model.getLayer('body').trainable = false;
  model.apply(x);
  const body = model.getLayer('body');
  assert.ok(body.weights.every((w) => !w.requiresGrad));
  assert.deepEqual(model.namedParameters().map(([n]) => n), ['layers.1.kernel', 'layers.1.bias']);
  const before = snapshot(body);
  const head = snapshot(model.getLayer('head'));
  model.compile({ optimizer: new nb.optim.Adam({ learningRate: 0.05 }), loss: (t, p) => nb.losses.sparseCategoricalCrossentropy(t, p, { fromLogits: true }) });
  await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 });
  assert.deepEqual(snapshot(body), before);
  assert.notDeepEqual(snapshot(model.getLayer('head')), head);
  assert.ok(body.weights.every((w) => w.grad === null));
  const state = model.optimizer!.getState();
  assert.deepEqual(Object.keys(state.slots), ['layers.1.kernel', 'layers.1.bias']);
  assert.deepEqual(model.optimizer!.namedParameters().map(([n]) => n), ['layers.1.kernel', 'layers.1.bias']);

  // a hand-written step: the frozen kernel is not even on the graph
  const loss = nb.losses.sparseCategoricalCrossentropy(y, model.apply(x, true), { fromLogits: true });
  loss.backward();
  assert.equal(body.weights[0]!.grad, null);
  assert.ok(model.getLayer('head').weights[0]!.grad !== null);
});

test('freezeAllExcept keeps the named layers and the way to them trainable, nothing else', () => {
  const net = new Net();
  net.apply(nb.zeros([1, 5]));
  freezeAllExcept(net, [net.blocks[1]!.attn]);
  assert.deepEqual(net.namedParameters().map(([n]) => n), ['blocks.1.attn.kernel', 'blocks.1.attn.bias']);
  assert.ok(net.dense1.weights.every((w) => !w.requiresGrad));
  assert.ok(net.blocks[1]!.attn.weights.every((w) => w.requiresGrad));
  assert.throws(() => freezeAllExcept(net, [new Dense(2)]), /is not a sublayer of/);
});

test('replaceHead on a Sequential: the last weight-holding layer, weightless layers after it stay; freezeBody trains only the head', async () => {
  const { x, y } = toyData(48, 2);
  const model = new nb.Sequential([new Dense(16, { activation: 'relu' }), new Dense(5), new Activation('softmax')]);
  assert.throws(() => replaceHead(model, new Dense(3)), /has no layer holding weights yet: run it once .* or name the layer to replace with \{ at \}/);
  model.apply(x);
  const body = snapshot(model.layers[0]!);
  const old = model.layers[1]!;
  const head = new Dense(3, { name: 'new_head' });
  const r = replaceHead(model, head, { freezeBody: true });
  assert.deepEqual({ path: r.path, previous: r.previous, bias: r.bias }, { path: 'layers.1', previous: old, bias: null });
  assert.deepEqual(model.layers.map((l) => l.className), ['Dense', 'Dense', 'Activation']);
  assert.equal(model.layers[1], head);
  assert.deepEqual(model.apply(x).shape, [48, 3]);
  assert.deepEqual(model.namedParameters().map(([n]) => n), ['layers.1.kernel', 'layers.1.bias']);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
  assert.deepEqual(snapshot(model.layers[0]!), body);
  assert.throws(() => replaceHead(model, head), /is already part of/);
  // { at } by name or path
  const other = new Dense(4);
  assert.equal(replaceHead(model, other, { at: 'layers.0' }).path, 'layers.0');
  assert.equal(model.layers[0], other);
});

test('replaceHead on a subclassed model replaces the property its call() reads', () => {
  const net = new Net();
  net.apply(nb.zeros([2, 5]));
  const head = new Dense(7);
  const r = replaceHead(net, head);
  assert.equal(r.path, 'dense3');
  assert.equal(net.dense3, head);
  assert.deepEqual(net.apply(nb.zeros([2, 5])).shape, [2, 7]);
  replaceHead(net, new Flatten(), { at: 'blocks.0.attn' });
  assert.equal(net.blocks[0]!.attn.className, 'Flatten');
  assert.throws(() => replaceHead(net, new Dense(1), { at: 'nope' }), /no layer named 'nope'/);
});

/** x [N,4] → MatMul(W1) → Add(b1) → Relu → MatMul(W2) → [Relu →] Add(b2) → y, as CNTK-style exporters write linear layers. */
function matmulAddGraph(reluBeforeBias = false): OnnxModel {
  const g = new nb.Generator(4);
  const rnd = (n: number) => Array.from(nb.randn([n], { generator: g }).data());
  const last = reluBeforeBias
    ? [node('MatMul', ['r', 'W2'], ['m2'], {}, 'Times2'), node('Relu', ['m2'], ['r2'], {}, 'Relu2'), node('Add', ['r2', 'b2'], ['y'], {}, 'Plus2')]
    : [node('MatMul', ['r', 'W2'], ['m2'], {}, 'Times2'), node('Add', ['m2', 'b2'], ['y'], {}, 'Plus2')];
  const spec: GraphSpec = {
    nodes: [node('MatMul', ['x', 'W1'], ['m1'], {}, 'Times1'), node('Add', ['m1', 'b1'], ['h'], {}, 'Plus1'), node('Relu', ['h'], ['r'], {}, 'Relu1'), ...last],
    inputs: [['x', ['N', 4]]],
    outputs: ['y'],
    initializers: [init('W1', [4, 3], rnd(12)), init('b1', [1, 3], rnd(3)), init('W2', [3, 2], rnd(6)), init('b2', [1, 2], rnd(2))],
  };
  return build(spec);
}

test('replaceHead on an ONNX graph: a MatMul + bias Add pair is one unit (the Add becomes an Identity)', () => {
  const model = matmulAddGraph();
  assert.deepEqual(model.namedLayers().map(([n, l]) => `${n}:${l.className}`), ['Times1:OnnxMatMul', 'Plus1:OnnxAdd', 'Times2:OnnxMatMul', 'Plus2:OnnxAdd']);
  const x = nb.randn([6, 4], { generator: new nb.Generator(5) });
  const features = nb.relu(nb.add(nb.matmul(x, model.getLayer('Times1').weights[0]!), model.getLayer('Plus1').weights[0]!));
  const head = new Dense(5, { name: 'head' });
  const r = replaceHead(model, head, { freezeBody: true });
  assert.equal(r.path, 'Times2');
  assert.equal(r.bias?.path, 'Plus2');
  assert.ok(r.previous instanceof OnnxNodeLayer && r.bias.previous instanceof OnnxNodeLayer);
  assert.ok(model.getLayer('Plus2') instanceof Identity);
  const out = model.apply(x);
  assert.deepEqual(out.shape, [6, 5]);
  assert.deepEqual(values(out), values(head.apply(features)));
  assert.deepEqual(model.namedParameters().map(([n]) => n), ['Times2.kernel', 'Times2.bias']);
  // the probing run left no trace in the layers' recorded shapes
  assert.deepEqual(model.getLayer('Times1').lastOutputShape, [6, 3]);

  // naming the MatMul finds the same pair
  const again = matmulAddGraph();
  assert.equal(replaceHead(again, new Dense(2), { at: 'Times2' }).bias?.path, 'Plus2');

  // an Add that does not read the MatMul's output directly is replaced alone
  const indirect = matmulAddGraph(true);
  const r2 = replaceHead(indirect, new Dense(3));
  assert.deepEqual([r2.path, r2.bias], ['Plus2', null]);
  assert.ok(indirect.getLayer('Times2') instanceof OnnxNodeLayer);
  assert.deepEqual(indirect.apply(x).shape, [6, 3]);
});

test('replaceHead on a Gemm head replaces the one node', () => {
  const spec: GraphSpec = {
    nodes: [node('Gemm', ['x', 'fc.weight', 'fc.bias'], ['h'], { transB: i(1) }, '/fc/Gemm'), node('Relu', ['h'], ['r'], {}, 'relu'), node('Gemm', ['r', 'out.weight', 'out.bias'], ['y'], { transB: i(1) }, '/out/Gemm')],
    inputs: [['x', ['N', 2]]],
    outputs: ['y'],
    initializers: [init('fc.weight', [3, 2], [1, 2, 3, 4, 5, 6]), init('fc.bias', [3], [0, 0, 0]), init('out.weight', [1, 3], [1, 1, 1]), init('out.bias', [1], [0])],
  };
  const model = build(spec);
  const r = replaceHead(model, new Dense(4));
  assert.deepEqual([r.path, r.bias], ['out', null]);
  assert.deepEqual(model.apply(nb.ones([2, 2])).shape, [2, 4]);
});

// ../shared beside the repository, found from this file (repo/test/model)
const MNIST12 = fileURLToPath(new URL('../../../shared/models/mnist-12-onnx/mnist-12.onnx', import.meta.url));
const noMnist12 = existsSync(MNIST12) ? false : `${MNIST12} is not present`;

test('replaceHead on mnist-12: Times212 (MatMul [256,10]) + Plus214 (Add) become Dense(10) + Identity', { skip: noMnist12 }, () => {
  const model = nb.io.loadOnnx(MNIST12, { initializers: { Pooling160_Output_0_reshape0_shape: [-1, 256] } });
  const r = replaceHead(model, new Dense(10), { freezeBody: true });
  assert.deepEqual([r.path, r.bias?.path], ['Times212', 'Plus214']);
  const out = model.apply(nb.zeros([2, 1, 28, 28]));
  assert.deepEqual(out.shape, [2, 10]);
  assert.deepEqual(model.getLayer('Times212').lastInputShape, [2, 256]);
  assert.equal(model.trainableWeights.reduce((n, t) => n + t.size, 0), 2570);
  const summary = model.summary({ printFn: null });
  const [head, bias] = [model.getLayer('Times212').name, model.getLayer('Plus214').name];
  assert.match(summary, new RegExp(`│ ${head} \\(Dense\\) +│ \\(None, 10\\) +│ +2,570 │\n.*\n│ ${bias} \\(Identity\\) +│ \\(None, 10\\) +│ +0 │\n`));
  assert.match(summary, /Trainable params: 2,570 \(10\.3 kB\)\n Non-trainable params: 3,424 \(13\.7 kB\)\n/);
});

test('lrMultiplier: SGD steps equal hand-computed updates w ← w − lr·m·g', () => {
  const w1 = nb.tensor([1, 2], { dtype: 'float64', requiresGrad: true });
  const w2 = nb.tensor([3, -1], { dtype: 'float64', requiresGrad: true });
  const opt = new nb.optim.SGD([w1, w2], { learningRate: 0.1, paramGroups: [{ params: [w1], lrMultiplier: 0.25 }] });
  assert.equal(opt.lrMultiplierOf(w1), 0.25);
  assert.equal(opt.lrMultiplierOf(w2), 1);
  w1.grad = nb.tensor([0.5, -2], { dtype: 'float64' });
  w2.grad = nb.tensor([1, 4], { dtype: 'float64' });
  opt.step();
  assert.deepEqual(values(w1), [1 - 0.1 * 0.25 * 0.5, 2 + 0.1 * 0.25 * 2]);
  assert.deepEqual(values(w2), [3 - 0.1 * 1, -1 - 0.1 * 4]);
  // momentum: v ← μ·v − lr·m·g, w ← w + v
  const w = nb.tensor([1], { dtype: 'float64', requiresGrad: true });
  const mom = new nb.optim.SGD([w], { learningRate: 0.5, momentum: 0.9 });
  mom.setLrMultiplier([w], 0.1);
  w.grad = nb.tensor([2], { dtype: 'float64' });
  mom.step();
  mom.step();
  const v1 = -0.5 * 0.1 * 2;
  const v2 = 0.9 * v1 - 0.5 * 0.1 * 2;
  assert.deepEqual(values(w), [1 + v1 + v2]);
});

test('lrMultiplier: a model at ×0.5 under Adam moves exactly as Adam at lr/2; schedules are scaled too', async () => {
  const run = async (mult: boolean): Promise<Record<string, number[]>> => {
    const { x, y } = toyData(32, 3);
    const model = new nb.Sequential([new Dense(8, { activation: 'tanh', kernelInitializer: nb.initializers.glorotUniform({ seed: 1 }) }), new Dense(3, { kernelInitializer: nb.initializers.glorotUniform({ seed: 2 }) })]);
    model.apply(x);
    const lr = (step: number) => 0.01 / (1 + step);
    // halving is exact in floating point, so the two runs agree bitwise
    const optimizer = mult ? new nb.optim.Adam({ learningRate: lr, paramGroups: [{ params: model, lrMultiplier: 0.5 }] }) : new nb.optim.Adam({ learningRate: (s) => lr(s) / 2 });
    model.compile({ optimizer, loss: (t, p) => nb.losses.sparseCategoricalCrossentropy(t, p, { fromLogits: true }) });
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, seed: 1, stream: quiet });
    return snapshot(model);
  };
  const scaled = await run(true);
  assert.deepEqual(scaled, await run(false));
});

test('lrMultiplier errors are clear', () => {
  const w = nb.tensor([1], { requiresGrad: true });
  assert.throws(() => new nb.optim.Adam({ paramGroups: [{ params: [w], lrMultiplier: -1 }] }), /Adam: paramGroups\[0\]: lrMultiplier must be a finite number >= 0, got -1/);
  assert.throws(() => new nb.optim.SGD({ paramGroups: [{ params: [w], lrMultiplier: 1 }, { params: [w], lrMultiplier: 2 }] }), /is in two paramGroups \(the second is paramGroups\[1\]\)/);
  assert.throws(() => new nb.optim.SGD().setLrMultiplier(new Dense(3), 0.5), /SGD\.setLrMultiplier: Dense '.*' has no weights yet; run the model once/);
  assert.throws(() => new nb.optim.SGD({ paramGroups: 'x' } as unknown as nb.optim.SGDOptions), /paramGroups must be an array/);
});

// the repository root, where the child process runs
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FASHION = process.env['NABLA_DATA'] ? `${process.env['NABLA_DATA']}/fashion-mnist` : '/usr/share/datasets/fashion-mnist';
const noFinetuneData = noMnist12 || (existsSync(FASHION) ? false : `${FASHION} is not present`);

test('nabla finetune runs end to end on a tiny configuration', { skip: noFinetuneData }, () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'finetune', '--train-size', '64', '--test-size', '50', '--epochs', '1', ...args], { encoding: 'utf8', cwd: ROOT });
  const r = run();
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /nabla finetune: .*mnist-12\.onnx → Fashion-MNIST, 64 training images, 1 epochs, batch 32, adam lr 0\.001, frozen body, seed 0/);
  assert.match(r.stdout, /new head at 'Times212' \(the bias Add 'Plus214' folded into it\)/);
  assert.match(r.stdout, /fine-tuned \(pretrained body, new head\): 2,570 of 5,994 weights train/);
  assert.match(r.stdout, /from scratch \(same network, weights drawn afresh\): 5,994 of 5,994 weights train/);
  assert.match(r.stdout, /test accuracy on the first 50 Fashion-MNIST test images:\n {2}fine-tuned: +\d+\.\d\d% {2}\(training [\d.]+ s\)\n {2}from scratch: +\d+\.\d\d%/);
  assert.match(r.stdout, /wall time: [\d.]+ s/);
  const d = run('--body-lr-multiplier', '0.1', '--seed', '2');
  assert.equal(d.status, 0, d.stderr);
  assert.match(d.stdout, /body trained at lr × 0\.1, seed 2/);
  assert.match(d.stdout, /fine-tuned \(pretrained body, new head\): 5,994 of 5,994 weights train/);
  const bad = run('--model', 'missing.onnx');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /loadOnnx: no file at 'missing\.onnx'/);
});
