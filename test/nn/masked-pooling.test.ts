// Masks reach the pooling layers: an Embedding with maskZero before GlobalAveragePooling1D or
// GlobalMaxPooling1D pools over the real tokens only, so padding changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

const { Embedding, GlobalAveragePooling1D, GlobalMaxPooling1D, Dropout, TextVectorization } = nb.layers;

function embedding(): InstanceType<typeof Embedding> {
  const e = new Embedding(4, 2, { maskZero: true });
  e.apply(nb.zeros([1, 1], { dtype: 'int32' }));
  // row 0 (padding) is large so that a pooling that reads it is caught
  e.embeddings.storage.set([100, 100, 1, -2, 3, 4, -5, 6]);
  return e;
}
const values = (t: nb.Tensor) => Array.from(t.data());

test('GlobalAveragePooling1D after Embedding(maskZero): the mean over the real tokens', () => {
  const e = embedding();
  const pool = new GlobalAveragePooling1D();
  const x = nb.tensor([[1, 2, 0, 0], [3, 0, 0, 0]], { dtype: 'int32' });
  // rows 1 = (1, -2), 2 = (3, 4), 3 = (-5, 6)
  assert.deepEqual(values(pool.apply(e.apply(x))), [2, 1, -5, 6]);
  // the same as the unpadded sequences
  assert.deepEqual(values(pool.apply(e.apply(nb.tensor([[1, 2]], { dtype: 'int32' })))), [2, 1]);
  // a mask passes through Dropout; without one, padding counts
  assert.deepEqual(values(pool.apply(new Dropout(0.5).apply(e.apply(x), false))), [2, 1, -5, 6]);
  const plain = new Embedding(4, 2);
  plain.apply(x);
  plain.embeddings.storage.set(e.embeddings.data());
  assert.deepEqual(values(pool.apply(plain.apply(x))), [(1 + 3 + 200) / 4, (-2 + 4 + 200) / 4, (-5 + 300) / 4, (6 + 300) / 4]);
  // every step masked: 0, not NaN
  assert.deepEqual(values(pool.apply(e.apply(nb.zeros([1, 3], { dtype: 'int32' })))), [0, 0]);
});

test('GlobalMaxPooling1D after Embedding(maskZero): the padding row never wins', () => {
  const e = embedding();
  const x = nb.tensor([[1, 2, 0], [3, 0, 0], [0, 0, 0]], { dtype: 'int32' });
  assert.deepEqual(values(new GlobalMaxPooling1D().apply(e.apply(x))), [3, 4, -5, 6, 0, 0]);
  assert.deepEqual(new GlobalMaxPooling1D({ keepDims: true }).apply(e.apply(x)).shape, [3, 1, 2]);
});

test('the masked pooling passes gradients to the real tokens only', () => {
  const e = embedding();
  const x = nb.tensor([[1, 2, 0, 0]], { dtype: 'int32' });
  const loss = new GlobalAveragePooling1D().apply(e.apply(x)).sum().add(new GlobalMaxPooling1D().apply(e.apply(x)).sum());
  loss.backward();
  const g = values(e.embeddings.grad!);
  // mean: 1/2 to rows 1 and 2 per channel; max: channel 0 → row 2 (3 > 1), channel 1 → row 2 (4 > -2)
  assert.deepEqual(g, [0, 0, 0.5, 0.5, 1.5, 1.5, 0, 0]);
});

test('TextVectorization → Embedding(maskZero) → pooling: a text pools the same at any padded length', () => {
  const tv = new TextVectorization({ vocabulary: ['good', 'film'], outputSequenceLength: 6 });
  const short = new TextVectorization({ vocabulary: ['good', 'film'] });
  const e = embedding();
  const pool = new GlobalAveragePooling1D();
  const a = pool.apply(e.apply(tv.vectorize(['good film'])));
  const b = pool.apply(e.apply(short.vectorize(['good film'])));
  assert.deepEqual(values(a), values(b));
  assert.deepEqual(values(a), [(-5 + 3) / 2, (6 + 4) / 2]);
});
