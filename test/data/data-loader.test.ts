import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { DataLoader, TensorDataset, type Dataset } from '../../src/data/index.js';

/** x [n, 3] with row i = [i, i + 0.5, -i]; y [n] = 2i (int32): rows must stay aligned. */
function rows(n: number): [nb.Tensor, nb.Tensor] {
  const x = nb.tensor(Array.from({ length: n }, (_, i) => [i, i + 0.5, -i]), { shape: n === 0 ? [0, 3] : undefined });
  const y = nb.tensor(Array.from({ length: n }, (_, i) => 2 * i), { dtype: 'int32' });
  return [x, y];
}

function epochIds(loader: Iterable<nb.Tensor[]>): number[] {
  const ids: number[] = [];
  for (const [xb, yb] of loader) {
    const xs = xb!.toArray() as number[][];
    const ys = yb!.toArray() as number[];
    xs.forEach((r, k) => {
      assert.deepEqual(r, [r[0]!, r[0]! + 0.5, -r[0]!]);
      assert.equal(ys[k], 2 * r[0]!, 'x and y rows stay together');
      ids.push(r[0]!);
    });
  }
  return ids;
}

test('batch count and sizes, with and without dropLast', () => {
  const data = rows(10);
  const keep = new DataLoader(data, { batchSize: 3 });
  assert.equal(keep.length, 4);
  assert.deepEqual([...keep].map(([xb, yb]) => [xb!.shape, yb!.shape]), [[[3, 3], [3]], [[3, 3], [3]], [[3, 3], [3]], [[1, 3], [1]]]);
  const drop = new DataLoader(data, { batchSize: 3, dropLast: true });
  assert.equal(drop.length, 3);
  assert.deepEqual([...drop].map(([xb]) => xb!.shape[0]), [3, 3, 3]);
  assert.equal(new DataLoader(data, { batchSize: 5, dropLast: true }).length, 2);
  assert.equal(new DataLoader(data).length, 1, 'default batchSize 32');
  assert.deepEqual(epochIds(keep), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'no shuffle: dataset order');
});

test('seeded shuffling: a permutation per epoch, new each epoch, reproducible', () => {
  const data = rows(100);
  const a = new DataLoader(data, { batchSize: 7, shuffle: true, seed: 42 });
  const b = new DataLoader(new TensorDataset(...data), { batchSize: 7, shuffle: true, seed: 42 });
  const a1 = epochIds(a);
  const a2 = epochIds(a);
  const sorted = Array.from({ length: 100 }, (_, i) => i);
  assert.deepEqual([...a1].sort((p, q) => p - q), sorted, 'every sample exactly once');
  assert.deepEqual([...a2].sort((p, q) => p - q), sorted);
  assert.notDeepEqual(a1, sorted, 'shuffled');
  assert.notDeepEqual(a1, a2, 'a new order each epoch');
  assert.deepEqual(epochIds(b), a1, 'same seed, same first epoch');
  assert.deepEqual(epochIds(b), a2, 'same seed, same second epoch');
  assert.notDeepEqual(epochIds(new DataLoader(data, { batchSize: 7, shuffle: true, seed: 43 })), a1);
});

test('without a seed, nb.manualSeed makes shuffling reproducible', () => {
  const data = rows(50);
  nb.manualSeed(3);
  const first = epochIds(new DataLoader(data, { batchSize: 8, shuffle: true }));
  nb.manualSeed(3);
  assert.deepEqual(epochIds(new DataLoader(data, { batchSize: 8, shuffle: true })), first);
});

test('batches are fresh tensors, not views of the dataset', () => {
  const [x, y] = rows(4);
  const [xb] = [...new DataLoader([x, y], { batchSize: 4 })][0]!;
  xb!.storage.fill(99);
  assert.equal(x.storage[0], 0);
});

test('async iteration yields the same batches', async () => {
  const data = rows(20);
  const sync = epochIds(new DataLoader(data, { batchSize: 6, shuffle: true, seed: 1 }));
  const ids: number[] = [];
  for await (const [xb] of new DataLoader(data, { batchSize: 6, shuffle: true, seed: 1 })) {
    for (const r of xb!.toArray() as number[][]) ids.push(r[0]!);
  }
  assert.deepEqual(ids, sync);
});

test('generic datasets are batched by stacking samples', () => {
  const ds: Dataset<[nb.Tensor, number]> = { length: 5, get: (i) => [nb.tensor([i, -i]), i % 3] };
  const batches = [...new DataLoader(ds, { batchSize: 2 })];
  assert.equal(batches.length, 3);
  const [xb, yb] = batches[0]!;
  assert.deepEqual(xb.toArray(), [[0, -0], [1, -1]]);
  assert.equal(yb.dtype, 'int32');
  assert.deepEqual(yb.toArray(), [0, 1]);
  assert.deepEqual(batches[2]![0].shape, [1, 2]);

  const objects: Dataset<{ image: nb.Tensor; label: number; weight: number; ok: boolean }> = {
    length: 3,
    get: (i) => ({ image: nb.ones([2, 2]).mul(i), label: i, weight: i + 0.5, ok: i > 0 }),
  };
  const [batch] = [...new DataLoader(objects, { batchSize: 3 })];
  assert.deepEqual(batch!.image.shape, [3, 2, 2]);
  assert.equal(batch!.weight.dtype, 'float32');
  assert.deepEqual(batch!.ok.toArray(), [false, true, true]);

  const custom = new DataLoader(ds, { batchSize: 5, collate: (samples) => samples.map(([, label]) => label) });
  assert.deepEqual([...custom], [[0, 1, 2, 0, 1]]);
});

test('bad input is rejected with clear errors', () => {
  const [x] = rows(10);
  assert.throws(() => new DataLoader([x], { batchSize: 0 }), /batchSize must be a positive integer, got 0/);
  assert.throws(() => new TensorDataset(x, nb.zeros([9])), /tensors\[1\] has 9 rows \(shape \[9\]\) but tensors\[0\] has 10 \(shape \[10,3\]\)/);
  assert.throws(() => new TensorDataset(nb.tensor(1)), /is a scalar/);
  assert.throws(() => new TensorDataset(x).get(10), /index 10 is out of range for 10 samples/);
  const ragged: Dataset<nb.Tensor> = { length: 2, get: (i) => nb.zeros([i + 1]) };
  assert.throws(() => [...new DataLoader(ragged)], /has shape \[1\] in sample 0 but \[2\] in sample 1/);
  const strings: Dataset<string> = { length: 1, get: () => 'a' };
  assert.throws(() => [...new DataLoader(strings)], /cannot batch the sample, a string; .* pass \{collate/);
});

test('TensorDataset.get returns row views; an empty dataset has no batches', () => {
  const [x, y] = rows(3);
  const [xi, yi] = new TensorDataset(x, y).get(2);
  assert.deepEqual(xi!.toArray(), [2, 2.5, -2]);
  assert.equal(yi!.item(), 4);
  const empty = new DataLoader(rows(0), { shuffle: true, seed: 0 });
  assert.equal(empty.length, 0);
  assert.deepEqual([...empty], []);
});
