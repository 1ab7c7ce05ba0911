import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { GPT } from '../../src/models/gpt.js';
import { CharCorpus } from '../../src/data/text/char-corpus.js';
import { languageModelStep, lmLoss, trainLanguageModel } from '../../src/models/gpt-train.js';
import { generate } from '../../src/text/generate.js';
import { referenceGPT } from './gpt-reference.js';

const ids = (rows: number[][]) => nb.tensor(rows, { dtype: 'int32' });

function tiny(seed = 0, extra: Partial<ConstructorParameters<typeof GPT>[0]> = {}): GPT {
  nb.manualSeed(seed);
  return new GPT({ vocabSize: 7, contextLength: 8, numLayers: 2, numHeads: 2, embedDim: 8, ...extra });
}

test('GPT: logits match an independent plain-JS forward pass', () => {
  const m = tiny(1);
  const seq = [3, 0, 6, 6, 2];
  const got = m.apply(ids([seq])).toArray() as number[][][];
  const w = Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, t.data()]));
  const want = referenceGPT(seq, w, { vocab: 7, dim: 8, heads: 2, layers: 2 });
  for (let t = 0; t < seq.length; t++) {
    for (let v = 0; v < 7; v++) assert.ok(Math.abs(got[0]![t]![v]! - want[t]![v]!) < 1e-5, `logit [${t}, ${v}]: ${got[0]![t]![v]} vs ${want[t]![v]}`);
  }
});

test('GPT: parameter count by hand, tied head, summary', () => {
  const m = tiny();
  m.apply(ids([[1, 2]]));
  const D = 8;
  // tok 7·8 + pos 8·8 + per block (two norms γ, β: 4·8; q, k, v, out: 4·8·8; MLP 8·32 + 32·8) + final norm 2·8
  const perBlock = 4 * D + 4 * D * D + D * 4 * D + 4 * D * D;
  assert.equal(m.countParams(), 7 * D + 8 * D + 2 * perBlock + 2 * D);
  assert.equal(nb.models.GPT, GPT);
  const s = m.summary({ printFn: null });
  assert.match(s, /│ transformer_decoder_block(_\d+)? \(TransformerDecoderBlock\) /);
  assert.match(s, new RegExp(String(m.countParams()).replace(/\B(?=(\d{3})+(?!\d))/g, ',?')));
  const untied = tiny(0, { tieWeights: false });
  untied.apply(ids([[1]]));
  assert.equal(untied.countParams(), m.countParams() + D * 7);
});

test('GPT: initial weights as GPT-2, the residual projections scaled by 1/sqrt(2 numLayers)', () => {
  nb.manualSeed(6);
  const m = new GPT({ vocabSize: 50, contextLength: 64, numLayers: 8, numHeads: 4, embedDim: 64 });
  m.apply(ids([[1]]));
  const std = (path: string) => {
    const d = m.stateDict()[path]!.data();
    return Math.sqrt(Array.from(d).reduce((a, b) => a + b * b, 0) / d.length);
  };
  const near = (got: number, want: number) => assert.ok(Math.abs(got / want - 1) < 0.06, `std ${got}, want ${want}`);
  near(std('tokenEmbedding.embeddings'), 0.02);
  near(std('blocks.3.attention.queryDense.kernel'), 0.02);
  near(std('blocks.3.dense1.kernel'), 0.02);
  near(std('blocks.3.attention.outputDense.kernel'), 0.02 / 4);
  near(std('blocks.3.dense2.kernel'), 0.02 / 4);
});

test('GPT is causal: changing a later token leaves the earlier logits alone', () => {
  const m = tiny(2);
  const a = m.apply(ids([[1, 2, 3, 4, 5]])).toArray() as number[][][];
  const b = m.apply(ids([[1, 2, 3, 0, 6]])).toArray() as number[][][];
  for (let t = 0; t < 3; t++) assert.deepEqual(a[0]![t], b[0]![t]);
  assert.notDeepEqual(a[0]![3], b[0]![3]);
});

test('GPT: the key/value cache gives the logits of the full run, and the same generated tokens', () => {
  const m = tiny(3);
  const seq = [4, 1, 1, 5, 0, 2];
  const full = m.apply(ids([seq])).toArray() as number[][][];
  const cache = m.createCache();
  const first = m.applyWithCache(ids([seq.slice(0, 3)]), cache).toArray() as number[][][];
  const rest = seq.slice(3).map((id) => (m.applyWithCache(ids([[id]]), cache).toArray() as number[][][])[0]![0]!);
  const stepped = [...first[0]!, ...rest];
  stepped.forEach((row, t) => row.forEach((v, j) => assert.ok(Math.abs(v - full[0]![t]![j]!) < 1e-5, `position ${t}`)));
  assert.equal(cache.length, 6);
  assert.throws(() => m.applyWithCache(ids([[1, 2, 3]]), cache), /3 more tokens after the 6 in the cache exceed the context length 8/);
  for (const opts of [{ temperature: 0 }, { temperature: 1, topK: 4, seed: 9 }]) {
    const a = generate(m, [1, 2], { ...opts, maxNewTokens: 20 });
    const b = generate(m, [1, 2], { ...opts, maxNewTokens: 20, useCache: false });
    assert.deepEqual(Array.from(a), Array.from(b));
  }
});

test('GPT saves and loads (model.save / nb.loadModel) with the same logits', async () => {
  const m = tiny(4);
  const x = ids([[0, 1, 2, 3]]);
  const before = m.apply(x).toArray();
  const dir = join(mkdtempSync(join(tmpdir(), 'nabla-gpt-')), 'model');
  await m.save(dir);
  const loaded = nb.loadModel(dir);
  assert.ok(loaded instanceof GPT);
  assert.equal((loaded as GPT).contextLength, 8);
  assert.deepEqual(loaded.apply(x).toArray(), before);
});

test('GPT: gradient checkpointing gives the same loss and gradients', () => {
  const grads = (ckpt: boolean) => {
    const m = tiny(5, { gradientCheckpointing: ckpt });
    const logits = m.apply(ids([[1, 2, 3, 4], [5, 6, 0, 1]]), true);
    nb.losses.sparseCategoricalCrossentropy(ids([[2, 3, 4, 5], [6, 0, 1, 2]]).reshape([8]), logits.reshape([8, 7]), { fromLogits: true }).backward();
    return m.namedParameters().map(([n, p]) => [n, Array.from(p.grad!.data())] as const);
  };
  const plain = grads(false);
  const ckpt = grads(true);
  plain.forEach(([n, g], i) => g.forEach((v, j) => assert.ok(Math.abs(v - ckpt[i]![1][j]!) < 1e-6, `${n}[${j}]`)));
});

test('GPT: bad input is a clear error', () => {
  const m = tiny();
  assert.throws(() => m.apply(ids([[0, 1, 2, 3, 4, 5, 6, 0, 1]])), /a sequence of 9 tokens exceed the context length 8; crop the input to its last 8 tokens/);
  assert.throws(() => m.apply(ids([[0, 9]])), /token id 9 is outside the vocabulary \[0, 7\)/);
  assert.throws(() => m.apply(nb.tensor([1, 2], { dtype: 'int32' })), /expected token ids of shape \[batch, time\], got \[2\]/);
  assert.throws(() => new GPT({ vocabSize: 7, contextLength: 8, embedDim: 10, numHeads: 4 }), /embedDim 10 must be a multiple of numHeads 4/);
  assert.throws(() => new GPT({ vocabSize: 0, contextLength: 8 }), /vocabSize must be a positive integer, got 0/);
});

test('a tiny GPT overfits a short text and then recites it greedily', () => {
  const text = 'to be or not to be, that is the question. '.repeat(12);
  const corpus = new CharCorpus(text);
  nb.manualSeed(0);
  const m = new GPT({ vocabSize: corpus.tokenizer.vocabSize, contextLength: 16, numLayers: 1, numHeads: 2, embedDim: 32 });
  const r = trainLanguageModel(m, corpus, { iters: 150, batchSize: 8, learningRate: 1e-2, warmupIters: 10, weightDecay: 0, evalInterval: 50, evalIters: 2, finalEvalIters: 4, seed: 1 });
  assert.equal(r.history.iteration.join(','), '0,50,100,150');
  assert.equal(r.history.epoch.join(','), '0,1,2,3');
  assert.ok(r.trainLoss < 0.15, `train loss ${r.trainLoss}`);
  const out = generate(m, 'to be or', { tokenizer: corpus.tokenizer, temperature: 0, maxNewTokens: 30 });
  assert.equal(out, text.slice(0, 38));
});

/**
 * The step languageModelStep took before it used one AdamW with parameter groups: two AdamW (the
 * matrices decayed, the vectors not) and PyTorch's clipGradNorm between backward and the steps.
 */
function twoOptimizerStep(model: GPT, lr: (step: number) => number, weightDecay: number, gradClip: number): (x: nb.Tensor, y: nb.Tensor) => number {
  const params = model.namedParameters();
  const adam = { learningRate: lr, beta1: 0.9, beta2: 0.99, epsilon: 1e-8 };
  const optimizers = [
    new nb.optim.AdamW(params.filter(([, p]) => p.ndim >= 2), { ...adam, weightDecay }),
    new nb.optim.AdamW(params.filter(([, p]) => p.ndim < 2), { ...adam, weightDecay: 0 }),
  ];
  return (x, y) => {
    const loss = lmLoss(model, x, y, true);
    loss.backward();
    if (gradClip > 0) nb.optim.clipGradNorm(params.map(([, p]) => p), gradClip);
    for (const o of optimizers) {
      o.step();
      o.zeroGrad();
    }
    return loss.item();
  };
}

const lossValue = (step: (x: nb.Tensor, y: nb.Tensor) => nb.Tensor) => (x: nb.Tensor, y: nb.Tensor) => step(x, y).item();

test('languageModelStep (one AdamW, two groups, globalClipnorm) runs the training of two AdamW and clipGradNorm', () => {
  const corpus = new CharCorpus('First Citizen:\nBefore we proceed any further, hear me speak.\n'.repeat(20));
  const run = (old: boolean, gradClip: number): { losses: number[]; weights: number[] } => {
    const m = tiny(4, { vocabSize: corpus.tokenizer.vocabSize, contextLength: 16 });
    m.apply(corpus.batch('train', 1, 16, new nb.Generator(0))[0]);
    const lr = (s: number) => 1e-2 / (1 + s);
    const step = old ? twoOptimizerStep(m, lr, 0.1, gradClip) : lossValue(languageModelStep(m, { learningRate: lr, weightDecay: 0.1, gradClip }));
    const g = new nb.Generator(9);
    const losses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const [x, y] = corpus.batch('train', 4, 16, g);
      losses.push(step(x, y));
    }
    return { losses, weights: m.namedParameters().flatMap(([, p]) => Array.from(p.data())) };
  };
  // no clipping, or a clip the gradients never reach: the very same run, bit for bit
  for (const clip of [0, 100]) assert.deepEqual(run(false, clip), run(true, clip), `gradClip ${clip}`);
  // clipping: Keras' factor c / max(‖g‖, c) against PyTorch's c / (‖g‖ + 1e-6), a relative 1e-6/‖g‖ apart
  const [a, b] = [run(false, 0.3), run(true, 0.3)];
  a.losses.forEach((l, i) => assert.ok(Math.abs(l - b.losses[i]!) <= 1e-5 * Math.abs(l), `step ${i}: ${l} vs ${b.losses[i]}`));
  assert.notDeepEqual(a.weights, run(false, 0).weights, 'the clip of 0.3 was active');
});
