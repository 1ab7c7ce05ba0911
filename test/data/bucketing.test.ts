// Length bucketing in the DataLoader: windows of batches sorted by length, seeded, each batch
// padded to its own longest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { DataLoader, sequenceLengths } from '../../src/data/index.js';

/** Ids [n, 8] padded with 0: row i holds lengths[i] ids (i + 1, repeated). */
function padded(lengths: number[]): nb.Tensor {
  return nb.tensor(lengths.map((len, i) => Array.from({ length: 8 }, (_, j) => (j < len ? i + 1 : 0))), { dtype: 'int32' });
}
const rowsOf = (xb: nb.Tensor): number[] => Array.from(nb.tensor(xb.slice([null, [0, 1]]).data()).data(), (v) => v - 1);

test('sequenceLengths: one past the last id that is not padding', () => {
  const ids = nb.tensor([[5, 3, 0, 0], [2, 0, 0, 0], [0, 0, 0, 0], [1, 0, 4, 0], [1, 2, 3, 4]], { dtype: 'int32' });
  assert.deepEqual(Array.from(sequenceLengths(ids)), [2, 1, 0, 3, 4]);
  assert.deepEqual(Array.from(sequenceLengths(nb.tensor([[7, 9, 9]], { dtype: 'int32' }), 9)), [1]);
  assert.throws(() => sequenceLengths(nb.zeros([3])), /sequenceLengths: expects padded ids \[n, length\], got shape \[3\]/);
});

test('without shuffle: each window of batches is sorted by length, and each batch is cut to its longest', () => {
  const lengths = [5, 1, 8, 2, 3, 3, 7, 1, 2, 6];
  const ids = padded(lengths);
  const y = nb.arange(10);
  // batchSize 2, windows of 2 batches: samples [0..3] sorted → 1 (1), 3 (2), 0 (5), 2 (8); [4..7] → 7 (1), 4 (3), 5 (3), 6 (7); [8, 9] → 8, 9
  const loader = new DataLoader([ids, y], { batchSize: 2, lengths, bucketWindow: 2, padToLongest: true });
  const batches = [...loader];
  assert.equal(batches.length, loader.length);
  assert.deepEqual(batches.map(([, yb]) => Array.from(yb.data())), [[1, 3], [0, 2], [7, 4], [5, 6], [8, 9]]);
  assert.deepEqual(batches.map(([xb]) => xb.shape), [[2, 2], [2, 8], [2, 3], [2, 7], [2, 6]]);
  // the rows are the dataset's rows, cut
  assert.deepEqual(Array.from(batches[0]![0].data()), [2, 0, 4, 4]);
  assert.deepEqual(rowsOf(batches[3]![0]), [5, 6]);
  // dropLast leaves out the last window's smaller batch (its longest samples)
  const odd = new DataLoader([ids.slice([[0, 9]]), y.slice([[0, 9]])], { batchSize: 2, lengths: lengths.slice(0, 9), bucketWindow: 2, dropLast: true });
  assert.deepEqual([...odd].map(([, yb]) => Array.from(yb.data())), [[1, 3], [0, 2], [7, 4], [5, 6]]);
});

test('with shuffle: seeded, every sample once per epoch, batches of similar lengths, far less padding', () => {
  const g = new nb.Generator(5);
  const lengths = Array.from({ length: 400 }, () => 1 + g.int(0, 40));
  const ids = nb.tensor(lengths.map((len) => Array.from({ length: 40 }, (_, j) => (j < len ? 7 : 0))), { dtype: 'int32' });
  const y = nb.arange(400);
  const make = (seed: number) => new DataLoader([ids, y], { batchSize: 16, shuffle: true, seed, lengths: sequenceLengths(ids), bucketWindow: 5, padToLongest: true });
  const epoch = (loader: Iterable<[nb.Tensor, nb.Tensor]>) => [...loader].map(([xb, yb]) => ({ width: xb.shape[1]!, rows: Array.from(yb.data()) }));
  const a = epoch(make(3));
  assert.deepEqual(epoch(make(3)), a, 'same seed, same batches');
  assert.notDeepEqual(epoch(make(4)), a);
  const loader = make(3);
  const first = epoch(loader);
  assert.notDeepEqual(epoch(loader), first, 'a new order each epoch');
  assert.deepEqual(a.flatMap((b) => b.rows).sort((p, q) => p - q), Array.from({ length: 400 }, (_, i) => i));
  for (const b of a) assert.equal(b.width, Math.max(...b.rows.map((r) => lengths[r]!)), 'each batch is as wide as its longest');
  const padding = (batches: { width: number; rows: number[] }[]) => batches.reduce((s, b) => s + b.rows.reduce((t, r) => t + b.width - lengths[r]!, 0), 0);
  const plain = [...new DataLoader([ids, y], { batchSize: 16, shuffle: true, seed: 3, lengths: sequenceLengths(ids), bucketWindow: 1, padToLongest: true })]
    .map(([xb, yb]) => ({ width: xb.shape[1]!, rows: Array.from(yb.data()) }));
  // windows of one batch sort nothing across batches: ~half the steps are padding; windows of 5 cut it several-fold
  assert.ok(padding(a) * 3 < padding(plain), `padding ${padding(a)} vs ${padding(plain)}`);
});

test('a Dataset with a length function and a padding collate; bad options are refused', () => {
  const seqs = [[1, 2, 3], [4], [5, 6], [7, 8, 9, 10]];
  const ds = { length: 4, get: (i: number) => seqs[i]! };
  const collate = (samples: number[][]) => samples.map((s) => s.length);
  const loader = new DataLoader(ds, { batchSize: 2, lengths: (s: number[]) => s.length, collate });
  assert.deepEqual([...loader], [[1, 2], [3, 4]]);
  const ids = padded([1, 2]);
  assert.throws(() => new DataLoader([ids], { lengths: [1] }), /DataLoader: lengths has 1 entries for 2 samples/);
  assert.throws(() => new DataLoader([ids], { lengths: [1, -2] }), /DataLoader: lengths\[1\] = -2 is not a non-negative integer/);
  assert.throws(() => new DataLoader([ids], { lengths: [1, 2], bucketWindow: 0 }), /bucketWindow must be a positive integer, got 0/);
  assert.throws(() => new DataLoader([ids], { padToLongest: true }), /padToLongest needs the lengths of the samples/);
  assert.throws(() => new DataLoader([nb.arange(2)], { lengths: [1, 2], padToLongest: true }), /padToLongest cuts the first tensor of the batch/);
});

test('fit takes a bucketed loader of ids (PyTorch-style padded batches, a Keras model)', async () => {
  const vectorize = new nb.layers.TextVectorization();
  const texts = ['good', 'bad', 'a good film indeed', 'a bad film sadly', 'good good', 'bad film'];
  vectorize.adapt(texts);
  const ids = vectorize.encodeTexts(texts);
  const y = nb.tensor([1, 0, 1, 0, 1, 0], { dtype: 'int32' });
  nb.manualSeed(0);
  const model = new nb.Sequential([new nb.layers.Embedding(vectorize.vocabularySize(), 4, { maskZero: true }), new nb.layers.GlobalAveragePooling1D(), new nb.layers.Dense(2, { activation: 'softmax' })]);
  model.compile({ optimizer: new nb.optim.Adam({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const loader = new DataLoader([ids, y], { batchSize: 2, shuffle: true, seed: 1, lengths: sequenceLengths(ids), padToLongest: true });
  const h = await model.fit(loader, undefined, { epochs: 15, verbose: 0 });
  assert.equal(h.history.accuracy!.at(-1), 1);
});
