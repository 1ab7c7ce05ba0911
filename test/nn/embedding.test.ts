import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { layers } from '../../src/nn/index.js';
import { runLayerTest } from './run-layer-test.js';

const ids = (v: number[][]) => nb.tensor(v, { dtype: 'int32' });

test('Embedding passes runLayerTest', () => {
  runLayerTest({
    make: () => new layers.Embedding(10, 4, { name: 'emb' }),
    input: ids([[1, 2, 3], [3, 9, 0]]),
    outputShape: [2, 3, 4],
    trainable: { embeddings: [10, 4] },
  });
});

test('Embedding picks rows of its table; the default init is uniform in [-0.05, 0.05)', () => {
  const emb = new layers.Embedding(5, 3);
  const y = emb.apply(ids([[4, 0]]));
  const table = emb.embeddings.toArray() as number[][];
  assert.deepEqual(y.toArray(), [[table[4], table[0]]]);
  assert.ok(Array.from(emb.embeddings.data()).every((v) => v >= -0.05 && v < 0.05));
});

test('Embedding gradients accumulate over repeated ids', () => {
  const emb = new layers.Embedding(4, 2);
  emb.apply(ids([[1, 1, 2]])).sum().backward();
  assert.deepEqual(emb.embeddings.grad!.toArray(), [[0, 0], [2, 2], [1, 1], [0, 0]]);
});

test('Embedding checks the range and type of ids', () => {
  const emb = new layers.Embedding(10, 2, { name: 'emb_check' });
  assert.throws(() => emb.apply(ids([[3, 10]])), { name: 'ValueError', message: "Embedding 'emb_check': token id 10 is outside the vocabulary [0, 10)" });
  assert.throws(() => emb.apply(ids([[-1]])), /Embedding 'emb_check': token id -1 is outside the vocabulary \[0, 10\)/);
  assert.throws(() => emb.apply(nb.tensor([[70]])), /token id 70 is outside the vocabulary \[0, 10\)/, 'float ids are range-checked too');
  assert.throws(() => emb.apply(nb.tensor([[1.5]])), /Embedding 'emb_check': ids must be whole numbers \(int32\), got 1.5/);
  assert.deepEqual(emb.apply(nb.tensor([[1, 2]])).shape, [1, 2, 2], 'whole-number float ids are accepted');
  assert.throws(() => new layers.Embedding(0, 2), /Embedding: inputDim must be a positive integer, got 0/);
});

test('Embedding and nb.embedding agree, and backward fills one table-sized gradient', () => {
  const emb = new layers.Embedding(6, 3);
  const x = ids([[5, 0, 5], [2, 2, 1]]);
  const y = emb.apply(x);
  assert.deepEqual(y.toArray(), nb.embedding(x, emb.embeddings).toArray());
  const upstream = nb.tensor(Array.from({ length: 18 }, (_, i) => i + 1), { shape: [2, 3, 3] });
  y.mul(upstream).sum().backward();
  // row r of the gradient is the sum of the upstream rows at the positions holding id r
  const up = upstream.toArray() as number[][][];
  const expected = Array.from({ length: 6 }, () => [0, 0, 0]);
  const flatIds = [5, 0, 5, 2, 2, 1];
  flatIds.forEach((id, p) => up[Math.floor(p / 3)]![p % 3]!.forEach((v, c) => (expected[id]![c] = expected[id]![c]! + v)));
  assert.deepEqual(emb.embeddings.grad!.toArray(), expected);
  // the graph node is the lookup itself: one gather reading the table and the ids, nothing table-sized in between
  assert.equal(y.node!.name, 'gather');
  assert.equal(y.node!.inputs[0], emb.embeddings);
});
