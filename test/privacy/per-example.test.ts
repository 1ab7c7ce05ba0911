import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { GradSampler } from '../../src/privacy/per-example.js';

const { layers } = nb;
const f64 = { dtype: 'float64' as const };

/** Squared error of each example, summed: every example's loss is its own. */
function lossSum(out: nb.Tensor, y: nb.Tensor): nb.Tensor {
  return nb.sum(nb.mul(nb.sub(out, y), nb.sub(out, y)));
}

/** The reference: each example's gradient by a batch-1 pass through the whole model. */
function loopGradients(model: nb.Layer, x: nb.Tensor, y: nb.Tensor): nb.Tensor[][] {
  const params = model.namedParameters().map(([, t]) => t);
  const out: nb.Tensor[][] = [];
  for (let i = 0; i < x.shape[0]!; i++) {
    const xi = nb.slice(x, [[i, i + 1]]), yi = nb.slice(y, [[i, i + 1]]);
    out.push(nb.gradients(lossSum(model.apply(xi, true), yi), params, { allowUnused: true }));
  }
  return out;
}

function norm(gs: nb.Tensor[]): number {
  return Math.sqrt(gs.reduce((a, g) => a + nb.sum(nb.mul(g, g)).item(), 0));
}

/** Checks norms and the clipped sum, at a clipping norm that clips some examples and not others. */
function check(name: string, model: nb.Layer, x: nb.Tensor, y: nb.Tensor): void {
  model.apply(x, true);   // build
  const ref = loopGradients(model, x, y);
  const refNorms = ref.map(norm);
  const c = [...refNorms].sort((a, b) => a - b)[Math.floor(refNorms.length / 2)]!;   // the median: half clipped
  const sampler = new GradSampler(model);
  sampler.run(() => lossSum(model.apply(x, true), y).backward());
  const { sums, norms, batch } = sampler.clippedSum(c);
  sampler.remove();
  assert.equal(batch, x.shape[0]);
  refNorms.forEach((n, i) => assert.ok(Math.abs(norms[i]! - n) <= 1e-9 * Math.max(1, n), `${name}: norm of example ${i}: ${norms[i]} vs ${n}`));
  model.namedParameters().forEach(([path, t], k) => {
    let want: nb.Tensor = nb.zerosLike(t);
    ref.forEach((g, i) => { want = nb.add(want, nb.mul(g[k]!, Math.min(1, c / (refNorms[i]! + 1e-6)))); });
    const got = sums.get(t)!;
    assert.deepEqual(got.shape, t.shape, `${name}: ${path} shape`);
    const w = want.data(), gv = got.data();
    for (let j = 0; j < w.length; j++) assert.ok(Math.abs(gv[j]! - w[j]!) <= 1e-9 * Math.max(1, Math.abs(w[j]!)), `${name}: ${path}[${j}] ${gv[j]} vs ${w[j]}`);
  });
}

test('Dense (2-D inputs, tanh and linear): per-example norms and clipped sum equal a batch-1 loop (float64)', () => {
  nb.manualSeed(1);
  const model = new nb.Sequential([new layers.Dense(5, { activation: 'tanh', ...f64 }), new layers.Dense(3, f64)]);
  check('dense', model, nb.randn([6, 4], f64), nb.randn([6, 3], f64));
});

test('Dense on sequences: both the materialised and the ghost norm', () => {
  nb.manualSeed(2);
  // T = 3: T² < in·out, the ghost norm; T = 12 with 2×2 weights: materialised
  check('dense-ghost', new nb.Sequential([new layers.Dense(4, { activation: 'relu', ...f64 }), new layers.Dense(2, f64)]), nb.randn([5, 3, 6], f64), nb.randn([5, 3, 2], f64));
  check('dense-pe', new nb.Sequential([new layers.Dense(2, { activation: 'sigmoid', ...f64 }), new layers.Dense(2, f64)]), nb.randn([4, 12, 2], f64), nb.randn([4, 12, 2], f64));
});

test('Conv2D (stride, same padding, relu) and Conv1D (dilation, no bias)', () => {
  nb.manualSeed(3);
  const conv2 = new nb.Sequential([
    new layers.Conv2D(3, 3, { strides: 2, padding: 'same', activation: 'relu', ...f64 }),
    new layers.Conv2D(2, [2, 3], { activation: 'tanh', ...f64 }), new layers.Flatten(), new layers.Dense(2, f64),
  ]);
  check('conv2d', conv2, nb.randn([4, 7, 8, 2], f64), nb.randn([4, 2], f64));
  const conv1 = new nb.Sequential([new layers.Conv1D(4, 3, { dilationRate: 2, useBias: false, ...f64 }), new layers.GlobalAveragePooling1D(), new layers.Dense(2, f64)]);
  check('conv1d', conv1, nb.randn([5, 11, 3], f64), nb.randn([5, 2], f64));
});

test('Embedding (repeated ids in an example), LayerNorm, GroupNorm, RMSNorm (own rules), LSTM, GRU, attention (the per-layer loop)', () => {
  nb.manualSeed(4);
  const ids = nb.tensor([[1, 2, 2, 0, 5], [3, 3, 3, 1, 0], [7, 6, 5, 4, 3], [2, 0, 0, 0, 0]], { dtype: 'int32' });
  const emb = new nb.Sequential([new layers.Embedding(8, 4, f64), new layers.LayerNormalization(f64), new layers.GlobalAveragePooling1D(), new layers.Dense(2, f64)]);
  check('embedding+layernorm', emb, ids, nb.randn([4, 2], f64));
  const rnn = new nb.Sequential([new layers.Embedding(8, 3, { maskZero: true, ...f64 }), new layers.LSTM(4, { returnSequences: true, ...f64 }), new layers.GRU(3, f64), new layers.Dense(2, f64)]);
  check('lstm+gru (masked)', rnn, ids, nb.randn([4, 2], f64));
  const norms = new nb.Sequential([
    new layers.Conv2D(4, 3, { padding: 'same', ...f64 }), new layers.GroupNormalization({ groups: 2, ...f64 }),
    new layers.Flatten(), new layers.Dense(6, f64), new layers.RMSNormalization(f64), new layers.Dense(2, f64),
  ]);
  check('groupnorm+rmsnorm', norms, nb.randn([3, 4, 4, 2], f64), nb.randn([3, 2], f64));
  const ln2 = new nb.Sequential([new layers.Dense(4, f64), new layers.LayerNormalization({ axis: [1, 2], ...f64 }), new layers.LayerNormalization({ axis: 1, center: false, ...f64 }), new layers.Flatten(), new layers.Dense(2, f64)]);
  check('layernorm over two axes and a middle axis', ln2, nb.randn([3, 5, 6], f64), nb.randn([3, 2], f64));
  const attn = new nb.Sequential([new layers.Dense(8, f64), new layers.MultiHeadAttention({ numHeads: 2, keyDim: 4, ...f64 }), new layers.GlobalAveragePooling1D(), new layers.Dense(2, f64)]);
  check('attention', attn, nb.randn([3, 5, 6], f64), nb.randn([3, 2], f64));
});

test('a layer applied twice (shared weights) sums its two contributions before the norm', () => {
  nb.manualSeed(5);
  class Twice extends nb.Layer {
    readonly d = new layers.Dense(3, { activation: 'tanh', ...f64 });
    readonly out = new layers.Dense(2, f64);
    call(x: nb.Tensor): nb.Tensor { return this.out.apply(this.d.apply(nb.add(this.d.apply(x), x))); }
  }
  check('shared', new Twice(), nb.randn([4, 3], f64), nb.randn([4, 2], f64));
});

test('BatchNormalization is refused with the alternative; a unit with dropout inside is refused', () => {
  const bn = new nb.Sequential([new layers.Dense(3), new layers.BatchNormalization({ name: 'bn' }), new layers.Dense(2)]);
  assert.throws(() => new GradSampler(bn), /BatchNormalization 'bn' mixes the examples of a batch .* use GroupNormalization \(or LayerNormalization\) instead/);
  const lstm = new nb.Sequential([new layers.LSTM(3, { dropout: 0.2, name: 'rnn' }), new layers.Dense(2)]);
  const s = new GradSampler(lstm);
  assert.throws(() => s.run(() => lstm.apply(nb.randn([2, 4, 3]), true)), /LSTM 'rnn' has dropout inside it, .* set its dropout to 0 and put a Dropout layer after it instead/);
  s.remove();
});

test('remove() restores the layers: the model trains and predicts as before', () => {
  nb.manualSeed(6);
  const model = new nb.Sequential([new layers.Dense(3, { activation: 'relu', ...f64 }), new layers.Dense(2, f64)]);
  const x = nb.randn([4, 5], f64);
  const before = model.apply(x).data();
  const s = new GradSampler(model);
  s.run(() => lossSum(model.apply(x, true), nb.zeros([4, 2], f64)).backward());
  s.remove();
  assert.deepEqual(model.apply(x).data(), before);
  assert.equal(Object.prototype.hasOwnProperty.call(model.getLayer(model.layers[0]!.name), 'call'), false);
});

test('while recording, a Dense given the wrong input width still raises its own error (no recursion)', () => {
  const model = new nb.Sequential([new layers.Dense(2, { name: 'd' })]);
  model.apply(nb.randn([2, 3]));
  const s = new GradSampler(model);
  assert.throws(() => s.run(() => model.apply(nb.randn([2, 5]), true)), /Dense 'd': expected input with last dimension 3, got 5/);
  s.remove();
});
