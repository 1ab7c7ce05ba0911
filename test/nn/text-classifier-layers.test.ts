// The layers the text classifier recipes add: MultiWidthConv1D (Kim's parallel widths) and
// TokenAndPositionEmbedding (the transformer's input).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { getMask } from '../../src/nn/index.js';
import { runLayerTest } from './run-layer-test.js';

const { MultiWidthConv1D, TokenAndPositionEmbedding, Conv1D, Embedding } = nb.layers;

test('MultiWidthConv1D: runLayerTest', () => {
  runLayerTest({
    make: () => new MultiWidthConv1D(4, { kernelSizes: [2, 3] }),
    input: nb.randn([2, 6, 5]),
    outputShape: [2, 6, 8],
    trainable: { 'convs.0.kernel': [2, 5, 4], 'convs.0.bias': [4], 'convs.1.kernel': [3, 5, 4], 'convs.1.bias': [4] },
  });
});

test("MultiWidthConv1D is its Conv1Ds ('same' padding) side by side, and keeps a padding mask", () => {
  nb.manualSeed(3);
  const layer = new MultiWidthConv1D(3, { kernelSizes: [3, 4], activation: null });
  const x = nb.randn([2, 7, 5]);
  const out = layer.apply(x);
  for (const [i, k] of [3, 4].entries()) {
    const conv = new Conv1D(3, k, { padding: 'same' });
    conv.apply(x);
    conv.loadStateDict(layer.convs[i]!.stateDict());
    const expected = conv.apply(x);
    const part = out.slice([null, null, [3 * i, 3 * i + 3]]);
    Array.from(part.data()).forEach((v, j) => assert.ok(Math.abs(v - expected.data()[j]!) < 1e-6, `branch ${k}, element ${j}`));
  }
  const ids = nb.tensor([[3, 4, 0, 0], [5, 0, 0, 0]], { dtype: 'int32' });
  const masked = new MultiWidthConv1D(2).apply(new Embedding(8, 4, { maskZero: true }).apply(ids));
  assert.deepEqual(Array.from(getMask(masked)!.data()), [1, 1, 0, 0, 1, 0, 0, 0]);
  assert.throws(() => new MultiWidthConv1D(2, { kernelSizes: [] }), /MultiWidthConv1D: kernelSizes must list at least one width/);
  assert.throws(() => new MultiWidthConv1D(0), /MultiWidthConv1D: filters must be/);
  assert.throws(() => new MultiWidthConv1D(2).apply(nb.randn([2, 3])), /expects inputs \[batch, time, features\], got shape \[2,3\]/);
});

test('TokenAndPositionEmbedding: runLayerTest, token + position rows, the padding mask', () => {
  const ids = nb.tensor([[2, 3, 0], [1, 0, 0]], { dtype: 'int32' });
  runLayerTest({
    make: () => new TokenAndPositionEmbedding(6, 4, 5),
    input: ids,
    outputShape: [2, 3, 5],
    trainable: { 'tokenEmbedding.embeddings': [6, 5], 'positionEmbedding.embeddings': [4, 5] },
  });
  const layer = new TokenAndPositionEmbedding(6, 4, 5, { maskZero: true });
  const out = layer.apply(ids);
  const tok = layer.tokenEmbedding.embeddings.data();
  const pos = layer.positionEmbedding.embeddings.data();
  // row 0, step 1: token 3 at position 1
  for (let j = 0; j < 5; j++) assert.ok(Math.abs(out.data()[5 + j]! - (tok[3 * 5 + j]! + pos[5 + j]!)) < 1e-6);
  assert.deepEqual(Array.from(getMask(out)!.data()), [1, 1, 0, 1, 0, 0]);
  assert.throws(() => layer.apply(nb.zeros([1, 5], { dtype: 'int32' })), /PositionEmbedding/);
  assert.throws(() => new TokenAndPositionEmbedding(6, 0, 5), /TokenAndPositionEmbedding: sequenceLength must be/);
});
