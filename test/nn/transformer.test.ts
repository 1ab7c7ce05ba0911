/**
 * TransformerEncoderBlock and TransformerDecoderBlock: runLayerTest, a plain-loop reference for
 * given weights, the causal mask, cached incremental decoding against a full pass (with GQA and
 * rotary positions), cross-attention, float64 gradcheck, and bad input by message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { functionalCall, layers, type Layer } from '../../src/nn/index.js';
import { asTensor, blockRef, maxDiff } from './attention-ref.js';
import { runLayerTest } from './run-layer-test.js';

const g = (seed: number) => new nb.Generator(seed);

/** The weight shapes of a MultiHeadAttention at `prefix` (keyDim = valueDim: the output projection reads q columns). */
const mhaWeights = (prefix: string, d: number, q: number, kv: number, v: number, out: number) => ({
  [`${prefix}.queryDense.kernel`]: [d, q], [`${prefix}.queryDense.bias`]: [q],
  [`${prefix}.keyDense.kernel`]: [d, kv], [`${prefix}.keyDense.bias`]: [kv],
  [`${prefix}.valueDense.kernel`]: [d, v], [`${prefix}.valueDense.bias`]: [v],
  [`${prefix}.outputDense.kernel`]: [q, out], [`${prefix}.outputDense.bias`]: [out],
});

test('TransformerEncoderBlock passes runLayerTest', () => {
  runLayerTest({
    make: () => new layers.TransformerEncoderBlock({ numHeads: 2, ffDim: 8, name: 'enc' }),
    input: nb.randn([2, 4, 6], { generator: g(1) }),
    outputShape: [2, 4, 6],
    trainable: {
      'norm1.gamma': [6], 'norm1.beta': [6], ...mhaWeights('attention', 6, 6, 6, 6, 6),
      'norm2.gamma': [6], 'norm2.beta': [6], 'dense1.kernel': [6, 8], 'dense1.bias': [8], 'dense2.kernel': [8, 6], 'dense2.bias': [6],
    },
  });
});

test('TransformerDecoderBlock (GQA, rotary, dropout) passes runLayerTest', () => {
  runLayerTest({
    make: () => new layers.TransformerDecoderBlock({ numHeads: 4, numKeyValueHeads: 2, ffDim: 16, dropout: 0.1, rotaryEmbedding: true, seed: 1, name: 'dec' }),
    input: nb.randn([2, 5, 8], { generator: g(2) }),
    outputShape: [2, 5, 8],
    // the SGD step is checked without dropout (two dropout masks would make the losses incomparable)
    trainingMode: false,
    trainable: {
      'norm1.gamma': [8], 'norm1.beta': [8],
      'attention.queryDense.kernel': [8, 8], 'attention.queryDense.bias': [8], 'attention.keyDense.kernel': [8, 4], 'attention.keyDense.bias': [4],
      'attention.valueDense.kernel': [8, 4], 'attention.valueDense.bias': [4], 'attention.outputDense.kernel': [8, 8], 'attention.outputDense.bias': [8],
      'norm2.gamma': [8], 'norm2.beta': [8], 'dense1.kernel': [8, 16], 'dense1.bias': [16], 'dense2.kernel': [16, 8], 'dense2.bias': [8],
    },
  });
});

test('the blocks match a plain-loop reference (pre-norm, exact GELU MLP): encoder and causal decoder', () => {
  const x = nb.randn([2, 4, 6], { generator: g(3), dtype: 'float64' });
  const opts = { numHeads: 2, ffDim: 5, dtype: 'float64' as const, biasInitializer: 'randomNormal' };
  const enc = new layers.TransformerEncoderBlock(opts);
  assert.ok(maxDiff(enc.apply(x), asTensor(blockRef(enc, x, false))) < 1e-10);
  const dec = new layers.TransformerDecoderBlock(opts);
  assert.ok(maxDiff(dec.apply(x), asTensor(blockRef(dec, x, true))) < 1e-10);
  // a randomly initialised norm too, so that gamma and beta are not 1 and 0
  const gamma = nb.randn([6], { generator: g(4), dtype: 'float64' });
  dec.loadStateDict({ ...dec.stateDict(), 'norm2.gamma': gamma, 'norm1.beta': gamma.mul(0.5) });
  assert.ok(maxDiff(dec.apply(x), asTensor(blockRef(dec, x, true))) < 1e-10);
});

test('decoder block: a later position does not change earlier outputs', () => {
  const dec = new layers.TransformerDecoderBlock({ numHeads: 2, ffDim: 8, dtype: 'float64' });
  const x = nb.randn([1, 6, 4], { generator: g(5), dtype: 'float64' });
  const base = dec.apply(x);
  const out = dec.apply(x.add(nb.tensor([0, 0, 0, 3, 0, 0], { dtype: 'float64' }).reshape([1, 6, 1])));
  assert.equal(maxDiff(out.slice([null, [0, 3]]), base.slice([null, [0, 3]])), 0);
  assert.ok(maxDiff(out.slice([null, [3, 6]]), base.slice([null, [3, 6]])) > 1e-3);
});

test('decoder block: cached decoding (prompt, then one position at a time) equals the full causal pass', () => {
  for (const opts of [{}, { numKeyValueHeads: 1, rotaryEmbedding: true }]) {
    const blocks = [0, 1].map(() => new layers.TransformerDecoderBlock({ numHeads: 2, ffDim: 12, ...opts }));
    const x = nb.randn([2, 6, 8], { generator: g(6) });
    const full = blocks.reduce((h, b) => b.apply(h), x);
    const caches = blocks.map((b) => b.createCache());
    const run = (h: nb.Tensor) => blocks.reduce((acc, b, i) => b.attendCached(acc, caches[i]!), h);
    const parts = nb.noGrad(() => [run(x.slice([null, [0, 2]])), ...[2, 3, 4, 5].map((t) => run(x.slice([null, [t, t + 1]])))]);
    assert.equal(caches[1]!.length, 6);
    assert.ok(maxDiff(nb.concat(parts, 1), full) < 1e-5, JSON.stringify(opts));
  }
});

test('decoder block with cross-attention: reads the encoder output, masks its padding', () => {
  const dec = new layers.TransformerDecoderBlock({ numHeads: 2, ffDim: 8, crossAttention: true, dtype: 'float64' });
  const x = nb.randn([2, 3, 4], { generator: g(7), dtype: 'float64' });
  const enc = nb.randn([2, 5, 4], { generator: g(8), dtype: 'float64' });
  const out = dec.decode(x, { encoderOutput: enc });
  assert.deepEqual(out.shape, [2, 3, 4]);
  assert.ok(dec.namedParameters().some(([n]) => n === 'crossAttention.keyDense.kernel'));
  assert.ok(maxDiff(out, dec.decode(x, { encoderOutput: enc.mul(2) })) > 1e-6, 'the output depends on the encoder output');
  // with the last two source positions masked, changing them changes nothing
  const mask = nb.tensor([[[1, 1, 1, 0, 0]], [[1, 1, 1, 0, 0]]], { dtype: 'bool' });
  const changed = enc.add(nb.tensor([0, 0, 0, 4, 4], { dtype: 'float64' }).reshape([1, 5, 1]));
  assert.equal(maxDiff(dec.decode(x, { encoderOutput: enc, crossAttentionMask: mask }), dec.decode(x, { encoderOutput: changed, crossAttentionMask: mask })), 0);
  assert.ok(nb.testing.gradcheck((xi, ei) => dec.decode(xi!, { encoderOutput: ei! }), [x, enc]).ok);
  assert.throws(() => dec.apply(x), /TransformerDecoderBlock '.*': was built with crossAttention and needs the encoder output: call decode\(x, \{ encoderOutput \}\)/);
});

test('gradcheck: encoder block in float64 (input and every weight)', () => {
  const block: Layer = new layers.TransformerEncoderBlock({ numHeads: 2, ffDim: 3, dtype: 'float64', biasInitializer: 'randomNormal' });
  const x = nb.randn([2, 3, 4], { generator: g(9), dtype: 'float64' });
  block.apply(x);
  const names = block.namedParameters().map(([n]) => n);
  const ws = block.namedParameters().map(([, t]) => t.detach());
  const r = nb.testing.gradcheck((xi, ...wi) => functionalCall(block, Object.fromEntries(names.map((n, i) => [n, wi[i]!])), xi!, false), [x, ...ws]);
  assert.ok(r.ok);
});

test('transformer blocks reject bad input by message', () => {
  assert.throws(() => new layers.TransformerEncoderBlock({ numHeads: 3, ffDim: 8, numKeyValueHeads: 2 }), /TransformerEncoderBlock: numHeads \(3\) must be a multiple of numKeyValueHeads \(2\)/);
  assert.throws(() => new layers.TransformerDecoderBlock({ numHeads: 2, ffDim: 0 }), /TransformerDecoderBlock: ffDim must be a positive integer, got 0/);
  assert.throws(() => new layers.TransformerDecoderBlock({ numHeads: 2, ffDim: 4, dropout: -0.1 }), /TransformerDecoderBlock: dropout must be a number in \[0, 1\), got -0.1/);
  const enc = new layers.TransformerEncoderBlock({ numHeads: 4, ffDim: 8, name: 'enc_bad' });
  assert.throws(() => enc.apply(nb.zeros([2, 3, 6])), /TransformerEncoderBlock 'enc_bad': the model width 6 is not divisible by numHeads 4; give keyDim explicitly/);
  assert.throws(() => enc.apply(nb.zeros([2, 6])), /TransformerEncoderBlock 'enc_bad': expects inputs \[batch, time, features\], got shape \[2,6\]/);
  const dec = new layers.TransformerDecoderBlock({ numHeads: 2, ffDim: 8, name: 'dec_bad' });
  dec.apply(nb.zeros([1, 2, 4]));
  assert.throws(() => dec.apply(nb.zeros([1, 2, 6])), /TransformerDecoderBlock 'dec_bad': expects inputs \[batch, time, 4\], got shape \[1,2,6\]/);
  assert.throws(() => dec.decode(nb.zeros([1, 2, 4]), { encoderOutput: nb.zeros([1, 3, 4]) }), /was built without cross-attention; pass crossAttention: true/);
});

test('a model of transformer blocks saves and loads (layer registry, safetensors)', async () => {
  const model = new nb.Sequential([
    new layers.TransformerEncoderBlock({ numHeads: 2, ffDim: 8, rotaryEmbedding: true }),
    new layers.TransformerDecoderBlock({ numHeads: 2, numKeyValueHeads: 1, ffDim: 8 }),
    new layers.RMSNormalization(),
  ]);
  const x = nb.randn([2, 5, 8], { generator: g(10) });
  const before = model.predict(x);
  const dir = mkdtempSync(join(tmpdir(), 'nabla-transformer-'));
  try {
    await model.save(dir);
    const loaded = nb.loadModel(dir);
    assert.deepEqual(Array.from(loaded.predict(x).data()), Array.from(before.data()));
    assert.deepEqual(loaded.namedWeights().map(([n]) => n), model.namedWeights().map(([n]) => n));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nb.checkpoint over a decoder block (fused attention, dropout) gives the same gradients', () => {
  const x0 = nb.randn([2, 4, 6], { generator: g(11), dtype: 'float64' });
  const make = () => new layers.TransformerDecoderBlock({ numHeads: 2, ffDim: 8, dropout: 0.2, seed: 3, dtype: 'float64' });
  const ref = make();
  ref.apply(x0);
  const grads = (checkpointed: boolean) => {
    const block = make();
    block.apply(x0);
    block.loadStateDict(ref.stateDict());
    const x = x0.detach().requireGrad();
    const y = checkpointed ? nb.checkpoint((xi) => block.apply(xi, true), x) : block.apply(x, true);
    y.pow(2).sum().backward();
    return [x.grad!, ...block.parameters().map((p) => p.grad!)];
  };
  const plain = grads(false);
  grads(true).forEach((t, i) => assert.equal(maxDiff(t, plain[i]!), 0));
});

test('a block without biases applies its GELU itself (one fused op) and matches the plain-loop reference', () => {
  const x = nb.randn([2, 4, 6], { generator: g(5), dtype: 'float64' });
  const opts = { numHeads: 2, ffDim: 5, dtype: 'float64' as const };
  const plain = new layers.TransformerDecoderBlock({ ...opts, useBias: false });
  const y = plain.apply(x);
  // the reference reads biases: the same weights in a block with biases, all of them zero
  const twin = new layers.TransformerDecoderBlock(opts);
  twin.apply(x);
  const weights = plain.stateDict();
  twin.loadStateDict(Object.fromEntries(Object.entries(twin.stateDict()).map(([k, v]) => [k, weights[k] ?? nb.zeros(v.shape, { dtype: 'float64' })])));
  assert.ok(maxDiff(y, asTensor(blockRef(twin, x, true))) < 1e-10);
  assert.ok(maxDiff(y, twin.apply(x)) < 1e-12);
});
