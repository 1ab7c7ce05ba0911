/**
 * MultiHeadAttention: runLayerTest, an independent plain-loop reference for given weights (with
 * causal and padding masks, grouped-query heads), GQA against MHA with repeated key/value heads,
 * cached incremental decoding against one full causal pass, attention scores, float64 gradcheck,
 * and bad input by message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { functionalCall, getMask, layers } from '../../src/nn/index.js';
import { asTensor, maxDiff, mhaRef } from './attention-ref.js';
import { runLayerTest } from './run-layer-test.js';

const g = (seed: number) => new nb.Generator(seed);

test('MultiHeadAttention passes runLayerTest', () => {
  runLayerTest({
    make: () => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 3, name: 'mha' }),
    input: nb.randn([2, 4, 6], { generator: g(1) }),
    outputShape: [2, 4, 6],
    trainable: {
      'queryDense.kernel': [6, 6], 'queryDense.bias': [6], 'keyDense.kernel': [6, 6], 'keyDense.bias': [6],
      'valueDense.kernel': [6, 6], 'valueDense.bias': [6], 'outputDense.kernel': [6, 6], 'outputDense.bias': [6],
    },
  });
});

test('grouped-query MultiHeadAttention (causal, valueDim, outputShape, no bias) passes runLayerTest', () => {
  runLayerTest({
    make: () => new layers.MultiHeadAttention({ numHeads: 4, numKeyValueHeads: 2, keyDim: 2, valueDim: 3, outputShape: 5, useBias: false, causal: true, name: 'gqa' }),
    input: nb.randn([2, 5, 6], { generator: g(2) }),
    outputShape: [2, 5, 5],
    trainable: { 'queryDense.kernel': [6, 8], 'keyDense.kernel': [6, 4], 'valueDense.kernel': [6, 6], 'outputDense.kernel': [12, 5] },
  });
});

test('MultiHeadAttention matches a plain-loop reference (self, causal, cross with a padding mask, GQA)', () => {
  const x = nb.randn([2, 4, 6], { generator: g(3), dtype: 'float64' });
  const enc = nb.randn([2, 5, 7], { generator: g(4), dtype: 'float64' });
  const mha = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 3, valueDim: 2, dtype: 'float64', biasInitializer: 'randomNormal' });
  assert.ok(maxDiff(mha.apply(x), asTensor(mhaRef(mha, x, x, false))) < 1e-12);
  assert.ok(maxDiff(mha.attend(x, x, { useCausalMask: true }), asTensor(mhaRef(mha, x, x, true))) < 1e-12);
  // cross-attention; sample 1 may not look at its last two (padding) positions
  const allowed = [0, 1].map((b) => [0, 1, 2, 3].map(() => [0, 1, 2, 3, 4].map((j) => b === 0 || j < 3)));
  const mask = nb.tensor(allowed.map((r) => r.map((c) => c.map(Number))), { dtype: 'bool' });
  const cross = new layers.MultiHeadAttention({ numHeads: 4, numKeyValueHeads: 2, keyDim: 2, dtype: 'float64', biasInitializer: 'randomNormal' });
  const out = cross.attend(x, enc, { attentionMask: mask });
  assert.deepEqual(out.shape, [2, 4, 6]);
  assert.ok(maxDiff(out, asTensor(mhaRef(cross, x, enc, false, allowed))) < 1e-12);
});

test('grouped-query attention equals multi-head attention with the key/value heads repeated', () => {
  const x = nb.randn([2, 5, 8], { generator: g(5), dtype: 'float64' });
  const gqa = new layers.MultiHeadAttention({ numHeads: 4, numKeyValueHeads: 2, keyDim: 3, dtype: 'float64', biasInitializer: 'randomNormal' });
  const mha = new layers.MultiHeadAttention({ numHeads: 4, keyDim: 3, dtype: 'float64' });
  gqa.apply(x);
  mha.apply(x);
  const sd = gqa.stateDict();
  // column block h of the MHA projection = column block ⌊h/2⌋ of the GQA one
  const repeat = (t: Tensor) => {
    const cols = t.ndim === 1 ? t.reshape([1, -1]) : t;
    const blocks = [0, 1, 2, 3].map((h) => cols.slice([null, [Math.floor(h / 2) * 3, Math.floor(h / 2) * 3 + 3]]));
    const r = nb.concat(blocks, 1);
    return t.ndim === 1 ? r.reshape([-1]) : r;
  };
  const expanded: Record<string, Tensor> = { ...sd };
  for (const n of ['keyDense.kernel', 'keyDense.bias', 'valueDense.kernel', 'valueDense.bias']) expanded[n] = repeat(sd[n]!);
  mha.loadStateDict(expanded);
  for (const causal of [false, true]) {
    assert.ok(maxDiff(gqa.attend(x, x, { useCausalMask: causal }), mha.attend(x, x, { useCausalMask: causal })) < 1e-12);
  }
});

test('cached incremental attention gives the same outputs as one full causal pass', () => {
  for (const numKeyValueHeads of [4, 2]) {
    const x = nb.randn([2, 7, 8], { generator: g(6) });
    const mha = new layers.MultiHeadAttention({ numHeads: 4, numKeyValueHeads, keyDim: 4 });
    const full = mha.attend(x, x, { useCausalMask: true });
    const cache = mha.createCache();
    const parts = [mha.attend(x.slice([null, [0, 3]]), x.slice([null, [0, 3]]), { cache, useCausalMask: true })];
    assert.equal(cache.length, 3);
    for (let t = 3; t < 7; t++) {
      const step = x.slice([null, [t, t + 1]]);
      parts.push(mha.attend(step, step, { cache, useCausalMask: true }));
      assert.equal(cache.length, t + 1);
    }
    assert.deepEqual(cache.keys!.shape, [2, numKeyValueHeads, 7, 4]);
    assert.ok(maxDiff(nb.concat(parts, 1), full) < 1e-5, `kv heads ${numKeyValueHeads}`);
    cache.crop(2);
    assert.equal(cache.length, 2);
    cache.reset();
    assert.equal(cache.length, 0);
  }
});

test('causal self-attention: changing a later position leaves earlier outputs unchanged', () => {
  const mha = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 4, causal: true, dtype: 'float64' });
  const x = nb.randn([1, 6, 8], { generator: g(7), dtype: 'float64' });
  const base = mha.apply(x);
  const changed = x.add(nb.tensor([0, 0, 0, 0, 5, 0], { dtype: 'float64' }).reshape([1, 6, 1]));
  const out = mha.apply(changed);
  assert.equal(maxDiff(out.slice([null, [0, 4]]), base.slice([null, [0, 4]])), 0);
  assert.ok(maxDiff(out.slice([null, [4, 6]]), base.slice([null, [4, 6]])) > 1e-3);
});

test('returnAttentionScores: rows sum to 1, masked keys get 0, same output as without', () => {
  const mha = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 3 });
  const x = nb.randn([2, 4, 6], { generator: g(8) });
  const { output, scores } = mha.attend(x, x, { useCausalMask: true, returnAttentionScores: true });
  assert.deepEqual(scores.shape, [2, 2, 4, 4]);
  const s = scores.toArray() as number[][][][];
  for (const row of s.flat(2)) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
  assert.equal(s[1]![1]![0]![1], 0);
  assert.equal(s[0]![0]![2]![3], 0);
  assert.ok(maxDiff(output, mha.attend(x, x, { useCausalMask: true })) < 1e-5);
});

test('attention dropout is seeded and active only in training', () => {
  const make = () => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 3, dropout: 0.5, seed: 3, name: 'drop' });
  const x = nb.randn([1, 5, 6], { generator: g(9) });
  const a = make();
  const b = make();
  a.apply(x);
  b.apply(x);
  b.loadStateDict(a.stateDict());
  assert.equal(maxDiff(a.apply(x), b.apply(x)), 0);
  assert.equal(maxDiff(a.apply(x, true), b.apply(x, true)), 0, 'same seed, same dropout');
  assert.ok(maxDiff(a.apply(x, true), a.apply(x)) > 1e-4, 'dropout changes the output in training');
});

test('gradcheck: MultiHeadAttention in float64 (inputs and every weight, GQA, causal)', () => {
  const mha = new layers.MultiHeadAttention({ numHeads: 2, numKeyValueHeads: 1, keyDim: 2, dtype: 'float64', causal: true, biasInitializer: 'randomNormal' });
  const x = nb.randn([2, 3, 4], { generator: g(10), dtype: 'float64' });
  mha.apply(x);
  const names = mha.namedParameters().map(([n]) => n);
  const ws = mha.namedParameters().map(([, t]) => t.detach());
  const r = nb.testing.gradcheck(
    (xi, ...wi) => functionalCall(mha, Object.fromEntries(names.map((n, i) => [n, wi[i]!])), xi!, false),
    [x, ...ws],
  );
  assert.ok(r.ok);
  const cross = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, dtype: 'float64' });
  const enc = nb.randn([2, 4, 3], { generator: g(11), dtype: 'float64' });
  assert.ok(nb.testing.gradcheck((q, v) => cross.attend(q!, v!), [x, enc]).ok);
});

test('MultiHeadAttention rejects bad input by message', () => {
  assert.throws(() => new layers.MultiHeadAttention({ numHeads: 4, numKeyValueHeads: 3, keyDim: 2 }), /^ValueError: MultiHeadAttention: numHeads \(4\) must be a multiple of numKeyValueHeads \(3\)/);
  assert.throws(() => new layers.MultiHeadAttention({ numHeads: 0, keyDim: 2 }), /MultiHeadAttention: numHeads must be a positive integer, got 0/);
  assert.throws(() => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, dropout: 1 }), /MultiHeadAttention: dropout must be a number in \[0, 1\), got 1/);
  const mha = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 2, name: 'mha_bad' });
  assert.throws(() => mha.apply(nb.zeros([2, 6])), /MultiHeadAttention 'mha_bad': expects inputs \[batch, time, features\], got shape \[2,6\]/);
  const x = nb.zeros([2, 3, 4]);
  assert.throws(
    () => mha.attend(x, x, { attentionMask: nb.ones([2, 3, 5], { dtype: 'bool' }) }),
    /MultiHeadAttention 'mha_bad': attentionMask of shape \[2,3,5\] does not fit \[batch, queries, keys\] = \[2,3,3\]/,
  );
  assert.throws(() => mha.attend(x, nb.zeros([3, 5, 4])), /MultiHeadAttention 'mha_bad': query \[2,3,4\], value \[3,5,4\] and key \[3,5,4\] must share the batch size/);
  assert.throws(() => mha.attend(x, x, { key: nb.zeros([2, 4]) }), /MultiHeadAttention 'mha_bad': key must be a 3-D tensor \[batch, time, features\], got shape \[2,4\]/);
});

test('padding masks from Embedding({ maskZero: true }) are respected, as in Keras, and passed on', () => {
  const emb = new layers.Embedding(10, 6, { maskZero: true });
  const mha = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 3 });
  const enc = new layers.TransformerEncoderBlock({ numHeads: 2, ffDim: 8 });
  const padded = emb.apply(nb.tensor([[5, 3, 0, 0]], { dtype: 'int32' }));
  const short = emb.apply(nb.tensor([[5, 3]], { dtype: 'int32' }));
  for (const layer of [mha, enc]) {
    const a = layer.apply(padded);
    const b = layer.apply(short);
    assert.ok(maxDiff(a.slice([null, [0, 2]]), b) < 1e-6, `${layer.className}: real positions ignore the padding`);
    assert.deepEqual(Array.from(getMask(a)!.data()), [1, 1, 0, 0], `${layer.className}: the mask is passed on`);
  }
});
