/**
 * Position layers and RMSNormalization: PositionEmbedding (learned, offset, too-long input),
 * SinusoidalPositionEncoding (hand-checked values), RotaryEmbedding (hand-checked rotation,
 * relative-position property, offsets, MHA with RoPE cached = full), RMSNormalization
 * (reference, gradcheck). Each layer also goes through runLayerTest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { functionalCall, layers } from '../../src/nn/index.js';
import { maxDiff } from './attention-ref.js';
import { runLayerTest } from './run-layer-test.js';

const g = (seed: number) => new nb.Generator(seed);
const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('PositionEmbedding passes runLayerTest', () => {
  runLayerTest({
    make: () => new layers.PositionEmbedding(8, { name: 'pos' }),
    input: nb.randn([2, 5, 4], { generator: g(1) }),
    outputShape: [2, 5, 4],
    trainable: { embeddings: [8, 4] },
  });
});

test('PositionEmbedding returns the table rows of the positions, from an offset, broadcast over the batch', () => {
  const pos = new layers.PositionEmbedding(6, { dtype: 'float64' });
  const x = nb.zeros([3, 4, 2], { dtype: 'float64' });
  const out = pos.apply(x);
  const table = pos.embeddings.toArray() as number[][];
  assert.deepEqual(out.shape, [3, 4, 2]);
  assert.deepEqual((out.toArray() as number[][][])[2], table.slice(0, 4));
  const step = pos.positions(nb.zeros([3, 2, 2], { dtype: 'float64' }), 4);
  assert.deepEqual((step.toArray() as number[][][])[0], table.slice(4, 6));
  // gradients land on the rows used
  const w = pos.embeddings;
  pos.positions(nb.zeros([3, 1, 2], { dtype: 'float64' }), 2).sum().backward();
  assert.deepEqual(w.grad!.toArray(), [[0, 0], [0, 0], [3, 3], [0, 0], [0, 0], [0, 0]]);
});

test('PositionEmbedding rejects a sequence longer than sequenceLength', () => {
  const pos = new layers.PositionEmbedding(64);
  assert.throws(() => pos.apply(nb.zeros([1, 80, 8])), { name: 'ValueError', message: /^PositionEmbedding: sequence length 80 exceeds the maximum 64/ });
  pos.apply(nb.zeros([1, 64, 8]));
  assert.throws(() => pos.positions(nb.zeros([1, 1, 8]), 64), /PositionEmbedding: sequence length 65 exceeds the maximum 64/);
  assert.throws(() => new layers.PositionEmbedding(0), /PositionEmbedding: sequenceLength must be a positive integer, got 0/);
});

test('SinusoidalPositionEncoding: hand-checked values, offset, runLayerTest', () => {
  const enc = new layers.SinusoidalPositionEncoding();
  const x = nb.zeros([1, 3, 4], { dtype: 'float64' });
  const pe = enc.apply(x).toArray() as number[][][];
  // width 4: frequencies 1 and 1/10000^(2/4) = 1/100
  const row = (p: number) => [Math.sin(p), Math.cos(p), Math.sin(p / 100), Math.cos(p / 100)];
  pe[0]!.forEach((r, p) => r.forEach((v, c) => close(v, row(p)[c]!, 1e-12)));
  const shifted = enc.positions(nb.zeros([2, 1, 4]), 7).toArray() as number[][][];
  shifted[1]![0]!.forEach((v, c) => close(v, row(7)[c]!));
  runLayerTest({ make: () => new layers.SinusoidalPositionEncoding({ name: 'sin' }), input: nb.randn([2, 5, 6], { generator: g(2) }), outputShape: [2, 5, 6], trainable: {} });
});

test('RotaryEmbedding: a pair rotated by position·θ, and q·k depends only on the distance', () => {
  // one pair (D = 2, θ = 1): [1, 0] at position p becomes [cos p, sin p]
  const x = nb.tensor([[[1, 0]], [[1, 0]], [[1, 0]]], { dtype: 'float64' }).reshape([1, 3, 2]);
  const r = layers.applyRotaryEmbedding(x).toArray() as number[][][];
  r[0]!.forEach(([a, b], p) => {
    close(a!, Math.cos(p), 1e-12);
    close(b!, Math.sin(p), 1e-12);
  });
  const q = nb.randn([1, 1, 8], { generator: g(3), dtype: 'float64' });
  const k = nb.randn([1, 1, 8], { generator: g(4), dtype: 'float64' });
  const dot = (m: number, n: number) => layers.applyRotaryEmbedding(q, { startIndex: m }).mul(layers.applyRotaryEmbedding(k, { startIndex: n })).sum().item();
  close(dot(5, 2), dot(13, 10), 1e-10);
  close(dot(0, 0), q.mul(k).sum().item(), 1e-12);
  assert.ok(Math.abs(dot(5, 2) - dot(5, 3)) > 1e-6);
});

test('RotaryEmbedding: an offset continues the positions; layer form, heads layout, gradcheck', () => {
  const x = nb.randn([2, 3, 5, 4], { generator: g(5), dtype: 'float64' }); // [batch, heads, time, dim]
  const rope = new layers.RotaryEmbedding({ sequenceAxis: 2 });
  const full = rope.apply(x);
  const tail = rope.rotate(x.slice([null, null, [3, 5]]), 3);
  assert.ok(maxDiff(full.slice([null, null, [3, 5]]), tail) < 1e-12);
  assert.ok(nb.testing.gradcheck((xi) => rope.rotate(xi!, 2), [x]).ok);
  runLayerTest({ make: () => new layers.RotaryEmbedding({ name: 'rope' }), input: nb.randn([2, 5, 6], { generator: g(6) }), outputShape: [2, 5, 6], trainable: {} });
  assert.throws(() => layers.applyRotaryEmbedding(nb.zeros([1, 2, 3])), /applyRotaryEmbedding: the feature size must be even \(pairs are rotated\), got 3/);
});

test('MultiHeadAttention with rotaryEmbedding: cached decoding equals the full pass', () => {
  const mha = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 4, rotaryEmbedding: true, causal: true });
  const x = nb.randn([1, 5, 8], { generator: g(7) });
  const full = mha.apply(x);
  const cache = mha.createCache();
  const parts = [mha.attend(x.slice([null, [0, 2]]), x.slice([null, [0, 2]]), { cache, useCausalMask: true })];
  for (let t = 2; t < 5; t++) parts.push(mha.attend(x.slice([null, [t, t + 1]]), x.slice([null, [t, t + 1]]), { cache, useCausalMask: true }));
  assert.ok(maxDiff(nb.concat(parts, 1), full) < 1e-5);
  // and the positions matter: without RoPE the output differs
  const plain = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 4, causal: true });
  plain.apply(x);
  plain.loadStateDict(mha.stateDict());
  assert.ok(maxDiff(plain.apply(x), full) > 1e-4);
  assert.throws(() => new layers.MultiHeadAttention({ numHeads: 2, keyDim: 3, rotaryEmbedding: true }), /rotaryEmbedding needs an even keyDim, got 3/);
});

test('RMSNormalization passes runLayerTest and matches x/√(mean(x²)+ε)·scale', () => {
  runLayerTest({ make: () => new layers.RMSNormalization({ name: 'rms' }), input: nb.randn([2, 3, 5], { generator: g(8) }), outputShape: [2, 3, 5], trainable: { scale: [5] } });
  const rms = new layers.RMSNormalization({ dtype: 'float64' });
  assert.equal(rms.epsilon, 1e-6);
  const x = nb.randn([4, 6], { generator: g(9), dtype: 'float64' }).mul(3);
  rms.apply(x);
  const scale = nb.randn([6], { generator: g(10), dtype: 'float64' });
  rms.loadStateDict({ scale });
  const y = rms.apply(x).toArray() as number[][];
  const s = scale.toArray() as number[];
  (x.toArray() as number[][]).forEach((row, i) => {
    const ms = row.reduce((a, v) => a + v * v, 0) / row.length;
    row.forEach((v, c) => close(y[i]![c]!, (v / Math.sqrt(ms + 1e-6)) * s[c]!, 1e-12));
  });
  const r = nb.testing.gradcheck((xi, si) => functionalCall(rms, { scale: si! }, xi!, true), [x, scale]);
  assert.ok(r.ok);
  assert.throws(() => rms.apply(nb.zeros([4, 5], { dtype: 'float64' })), /RMSNormalization '.*': was built for feature dims \[6\]/);
});

test('RMSNormalization over two axes', () => {
  const rms = new layers.RMSNormalization({ axis: [1, 2], dtype: 'float64' });
  const x: Tensor = nb.randn([2, 3, 4], { generator: g(11), dtype: 'float64' });
  const y = rms.apply(x);
  // each sample has mean square ≈ 1 after normalisation (scale 1)
  const msq = y.mul(y).mean([1, 2]).toArray() as number[];
  msq.forEach((m) => close(m, 1, 1e-4));
});
