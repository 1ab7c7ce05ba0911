import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { fromTorchStateDict, toTorchStateDict } from '../../src/io/index.js';

const g = new nb.Generator(17);

/** A random PyTorch-layout tensor, with its values as a flat list for the hand-computed forward pass. */
function param(shape: number[]): { t: nb.Tensor; v: number[] } {
  const t = nb.randn(shape, { generator: g });
  return { t, v: Array.from(t.data()) };
}

/** y = x·Wᵀ + b with W [out, in] row-major, as nn.Linear computes it. */
function linear(x: number[], w: number[], b: number[], out: number): number[] {
  const inDim = x.length;
  return Array.from({ length: out }, (_, o) => b[o]! + x.reduce((s, xi, i) => s + xi * w[o * inDim + i]!, 0));
}

function assertClose(actual: ArrayLike<number>, expected: number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i]! - expected[i]!) <= 1e-5 * (1 + Math.abs(expected[i]!)), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

test('nn.Sequential(Linear, ReLU, Linear) loads into a two-Dense Sequential, matched by layer order', () => {
  const model = new nb.Sequential([new nb.layers.Dense(5, { activation: 'relu' }), new nb.layers.Dense(3)]);
  model.apply(nb.zeros([1, 4]));
  const [w1, b1, w2, b2] = [param([5, 4]), param([5]), param([3, 5]), param([3])];
  const result = fromTorchStateDict(model, { '0.weight': w1.t, '0.bias': b1.t, '2.weight': w2.t, '2.bias': b2.t });
  assert.equal(result.matchedBy, 'order');
  assert.deepEqual(result.loaded, [['0.weight', 'layers.0.kernel'], ['0.bias', 'layers.0.bias'], ['2.weight', 'layers.1.kernel'], ['2.bias', 'layers.1.bias']]);
  assert.deepEqual(model.layers[0]!.getWeight('kernel').shape, [4, 5]);
  const x = [[0.5, -1, 2, 0.25], [-0.3, 0.8, 0.1, -2]];
  const out = model.predict(nb.tensor(x));
  const expected = x.flatMap((row) => linear(linear(row, w1.v, b1.v, 5).map((h) => Math.max(h, 0)), w2.v, b2.v, 3));
  assertClose(out.data(), expected, 'mlp output');

  // the other way: PyTorch names and layouts, the original tensors exactly
  const back = toTorchStateDict(model);
  assert.deepEqual(Object.keys(back), ['0.weight', '0.bias', '1.weight', '1.bias']);
  assert.deepEqual(back['0.weight']!.shape, [5, 4]);
  assert.deepEqual(Array.from(back['0.weight']!.data()), w1.v);
  assert.deepEqual(Array.from(back['1.weight']!.data()), w2.v);
  // and round trip by name
  const copy = new nb.Sequential([new nb.layers.Dense(5, { activation: 'relu' }), new nb.layers.Dense(3)]);
  copy.apply(nb.zeros([1, 4]));
  assert.equal(fromTorchStateDict(copy, back).matchedBy, 'name');
  assert.deepEqual(Array.from(copy.predict(nb.tensor(x)).data()), Array.from(out.data()));
});

class Net extends nb.Model {
  fc1 = new nb.layers.Dense(5);
  bn = new nb.layers.BatchNormalization({ epsilon: 1e-5 });
  fc2 = new nb.layers.Dense(2);
  call(x: nb.Tensor, training?: boolean): nb.Tensor {
    return this.fc2.apply(nb.relu(this.bn.apply(this.fc1.apply(x), training)));
  }
}

test('a module with fc1, bn, fc2 loads by name: BatchNorm running statistics, num_batches_tracked skipped', () => {
  const net = new Net();
  net.apply(nb.zeros([1, 3]));
  const [w1, b1, w2, b2] = [param([5, 3]), param([5]), param([2, 5]), param([2])];
  const [gamma, beta, mean] = [param([5]), param([5]), param([5])];
  const variance = { t: nb.tensor([0.5, 1, 2, 0.1, 3]), v: [0.5, 1, 2, 0.1, 3] };
  const state = {
    'fc1.weight': w1.t, 'fc1.bias': b1.t,
    'bn.weight': gamma.t, 'bn.bias': beta.t, 'bn.running_mean': mean.t, 'bn.running_var': variance.t,
    'bn.num_batches_tracked': nb.tensor(100, { dtype: 'int32' }),
    'fc2.weight': w2.t, 'fc2.bias': b2.t,
  };
  const result = fromTorchStateDict(net, state);
  assert.equal(result.matchedBy, 'name');
  assert.deepEqual(result.skipped, ['bn.num_batches_tracked']);
  const x = [1, -0.5, 2];
  const h = linear(x, w1.v, b1.v, 5).map((v, i) => gamma.v[i]! * (v - mean.v[i]!) / Math.sqrt(variance.v[i]! + 1e-5) + beta.v[i]!);
  const expected = linear(h.map((v) => Math.max(v, 0)), w2.v, b2.v, 2);
  assertClose(net.predict(nb.tensor([x])).data(), expected, 'net output');
  assert.deepEqual(Object.keys(toTorchStateDict(net)), ['fc1.weight', 'fc1.bias', 'bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var', 'fc2.weight', 'fc2.bias']);
});

class Embedder extends nb.Layer {
  emb = new nb.layers.Embedding(10, 4);
  norm = new nb.layers.LayerNormalization({ epsilon: 1e-5 });
  call(ids: nb.Tensor): nb.Tensor {
    return this.norm.apply(this.emb.apply(ids));
  }
}

test('Embedding and LayerNorm weights load as embeddings, gamma and beta', () => {
  const model = new Embedder();
  model.apply(nb.tensor([[0]], { dtype: 'int32' }));
  const [table, gamma, beta] = [param([10, 4]), param([4]), param([4])];
  fromTorchStateDict(model, { 'emb.weight': table.t, 'norm.weight': gamma.t, 'norm.bias': beta.t });
  const ids = [3, 7];
  const out = nb.noGrad(() => model.apply(nb.tensor([ids], { dtype: 'int32' })));
  const expected = ids.flatMap((id) => {
    const row = table.v.slice(id * 4, id * 4 + 4);
    const mu = row.reduce((a, b) => a + b, 0) / 4;
    const v = row.reduce((a, b) => a + (b - mu) ** 2, 0) / 4;
    return row.map((r, i) => gamma.v[i]! * (r - mu) / Math.sqrt(v + 1e-5) + beta.v[i]!);
  });
  assertClose(out.data(), expected, 'embedding + layer norm');
});

/**
 * A minimal channels-last 2-D convolution (valid padding, stride 1) with a `[kh, kw, in, out]`
 * kernel, written here so that the layout rule is tested independently of the library's conv layers.
 */
class Conv2D extends nb.Layer {
  constructor(readonly filters: number, readonly size: number) {
    super();
  }
  override build(inputShape: number[]): void {
    this.addWeight('kernel', [this.size, this.size, inputShape[3]!, this.filters], 'glorotUniform');
    this.addWeight('bias', [this.filters], 'zeros');
  }
  call(x: nb.Tensor): nb.Tensor {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const k = this.getWeight('kernel').data();
    const b = this.getWeight('bias').data();
    const xs = x.data();
    const [oh, ow, f, s] = [h - this.size + 1, w - this.size + 1, this.filters, this.size];
    const out = new Float32Array(n * oh * ow * f);
    for (let ni = 0; ni < n; ni++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) for (let o = 0; o < f; o++) {
      let acc = b[o]!;
      for (let di = 0; di < s; di++) for (let dj = 0; dj < s; dj++) for (let ci = 0; ci < c; ci++) {
        acc += xs[((ni * h + i + di) * w + j + dj) * c + ci]! * k[((di * s + dj) * c + ci) * f + o]!;
      }
      out[((ni * oh + i) * ow + j) * f + o] = acc;
    }
    return nb.tensor(out, { shape: [n, oh, ow, f] });
  }
}

test('Conv2d weights become channels-last kernels, and a Linear after flatten gets its rows reordered', () => {
  const model = new nb.Sequential([new Conv2D(2, 2), new nb.layers.Flatten(), new nb.layers.Dense(3)]);
  const [cin, size] = [2, 3];
  model.apply(nb.zeros([1, size, size, cin]));
  const [cw, cb, lw, lb] = [param([2, cin, 2, 2]), param([2]), param([3, 8]), param([3])];
  const result = fromTorchStateDict(model, { '0.weight': cw.t, '0.bias': cb.t, '2.weight': lw.t, '2.bias': lb.t });
  assert.equal(result.matchedBy, 'name');
  assert.deepEqual(model.layers[0]!.getWeight('kernel').shape, [2, 2, cin, 2]);

  // the forward pass as PyTorch computes it, on NCHW data
  const xNchw = Array.from({ length: cin * size * size }, (_, i) => Math.sin(i + 1));
  const conv: number[] = []; // [out, 2, 2] in (c, h, w) order, what flatten gives in PyTorch
  for (let o = 0; o < 2; o++) for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
    let acc = cb.v[o]!;
    for (let c = 0; c < cin; c++) for (let di = 0; di < 2; di++) for (let dj = 0; dj < 2; dj++) {
      acc += xNchw[(c * size + i + di) * size + j + dj]! * cw.v[((o * cin + c) * 2 + di) * 2 + dj]!;
    }
    conv.push(acc);
  }
  const expected = linear(conv, lw.v, lb.v, 3);
  // the same image channels-last for nabla
  const xNhwc = new Float32Array(cin * size * size);
  for (let c = 0; c < cin; c++) for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) xNhwc[(i * size + j) * cin + c] = xNchw[(c * size + i) * size + j]!;
  assertClose(model.predict(nb.tensor(xNhwc, { shape: [1, size, size, cin] })).data(), expected, 'conv net output');

  const back = toTorchStateDict(model);
  assert.deepEqual(Array.from(back['0.weight']!.data()), cw.v);
  assert.deepEqual(Array.from(back['2.weight']!.data()), lw.v);
  // without the reordering the Linear weight is only transposed
  assert.notDeepEqual(Array.from(toTorchStateDict(model, { channelsFirstFlatten: false })['2.weight']!.data()), lw.v);
});

test('rename, strict: false, and clear errors for unmatched keys and shape mismatches', () => {
  const model = new nb.Sequential([new nb.layers.Dense(2), new nb.layers.Dense(1)]);
  model.apply(nb.zeros([1, 3]));
  const [w0, b0, w1, b1] = [param([2, 3]), param([2]), param([1, 2]), param([1])];
  const prefixed = { 'model.0.weight': w0.t, 'model.0.bias': b0.t, 'model.1.weight': w1.t, 'model.1.bias': b1.t, 'model.extra': param([1]).t };
  const r = fromTorchStateDict(model, prefixed, { rename: (k) => (k === 'model.extra' ? null : k.replace(/^model\./, '')) });
  assert.equal(r.matchedBy, 'name');
  assert.deepEqual(r.skipped, ['model.extra']);
  // a rename may name nabla keys directly
  fromTorchStateDict(model, { a: w0.t, b: b0.t, c: w1.t, d: b1.t }, { rename: (k) => ({ a: 'layers.0.kernel', b: 'layers.0.bias', c: 'layers.1.kernel', d: 'layers.1.bias' })[k] });
  assert.deepEqual(Array.from(toTorchStateDict(model)['1.weight']!.data()), w1.v);

  assert.throws(
    () => fromTorchStateDict(model, { '0.weight': w0.t, '0.bias': b0.t, 'head.weight': w1.t }),
    (e: Error) => e instanceof nb.ValueError &&
      /keys matching no weight: head\.weight/.test(e.message) &&
      /weights with no value: layers\.1\.kernel \(PyTorch name 1\.weight\), layers\.1\.bias \(PyTorch name 1\.bias\)/.test(e.message) &&
      /map the names with \{ rename/.test(e.message),
  );
  const partial = fromTorchStateDict(model, { '0.weight': w0.t, '0.bias': b0.t, 'head.weight': w1.t }, { strict: false });
  assert.deepEqual(partial.unexpectedKeys, ['head.weight']);
  assert.deepEqual(partial.missingKeys, ['layers.1.kernel', 'layers.1.bias']);
  assert.throws(
    () => fromTorchStateDict(model, { '0.weight': param([3, 2]).t, '0.bias': b0.t, '1.weight': w1.t, '1.bias': b1.t }),
    (e: Error) => e instanceof nb.ShapeError && /'0\.weight' has shape \[3,2\] but Dense '.*'s 'layers\.0\.kernel' needs \[2,3\] in PyTorch layout/.test(e.message),
  );
  const unbuilt = new nb.Sequential([new nb.layers.Dense(2)]);
  assert.throws(() => fromTorchStateDict(unbuilt, {}), /has no weights yet; build it first with model\.apply\(sampleInput\)/);
  assert.throws(() => toTorchStateDict(unbuilt), /has no weights yet/);
});
