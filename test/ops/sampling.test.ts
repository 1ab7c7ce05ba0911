import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

const counts = (ids: number[], n: number): number[] => {
  const c = new Array<number>(n).fill(0);
  for (const i of ids) c[i]!++;
  return c;
};

test('multinomial with replacement follows the weights (seeded, unnormalised weights)', () => {
  const draws = 40000;
  const ids = nb.multinomial(nb.tensor([1, 0, 6, 3]), draws, { replacement: true, seed: 123 });
  assert.equal(ids.dtype, 'int32');
  assert.deepEqual(ids.shape, [draws]);
  const freq = counts(ids.toArray() as number[], 4).map((c) => c / draws);
  assert.equal(freq[1], 0, 'a zero weight is never drawn');
  // binomial standard deviations at 40,000 draws are below 0.0025: 0.01 is four of them
  [0.1, 0, 0.6, 0.3].forEach((p, i) => assert.ok(Math.abs(freq[i]! - p) < 0.01, `category ${i}: ${freq[i]} vs ${p}`));
});

test('multinomial without replacement: distinct picks, and the second pick follows the leftover weights', () => {
  const w = [0.5, 0.3, 0.2];
  const rows = 20000;
  const ids = nb.multinomial(nb.tensor(Array.from({ length: rows }, () => w)), 2, { seed: 9 });
  assert.deepEqual(ids.shape, [rows, 2]);
  const pairs = ids.toArray() as number[][];
  assert.ok(pairs.every(([a, b]) => a !== b));
  const second = counts(pairs.map((p) => p[1]!), 3).map((c) => c / rows);
  // P(second = j) = Σ_{i≠j} w_i · w_j / (1 − w_i), worked out by hand for each j
  const expected = [0.3 * (0.5 / 0.7) + 0.2 * (0.5 / 0.8), 0.5 * (0.3 / 0.5) + 0.2 * (0.3 / 0.8), 0.5 * (0.2 / 0.5) + 0.3 * (0.2 / 0.7)];
  expected.forEach((p, j) => assert.ok(Math.abs(second[j]! - p) < 0.012, `second pick ${j}: ${second[j]} vs ${p}`));
  // drawing as many as there are non-zero weights gives each of them once
  const all = nb.multinomial(nb.tensor([[0, 2, 0, 1, 5]]), 3, { seed: 1 }).toArray() as number[][];
  assert.deepEqual([...all[0]!].sort(), [1, 3, 4]);
});

test('multinomial is reproducible: same seed, same draws; a generator advances between calls', () => {
  const w = nb.tensor([[0.2, 0.3, 0.5], [0.9, 0.05, 0.05]]);
  const a = nb.multinomial(w, 5, { replacement: true, seed: 42 }).toArray();
  assert.deepEqual(nb.multinomial(w, 5, { replacement: true, seed: 42 }).toArray(), a);
  const g = new nb.Generator(42);
  assert.deepEqual(nb.multinomial(w, 5, { replacement: true, generator: g }).toArray(), a);
  assert.notDeepEqual(nb.multinomial(w, 5, { replacement: true, generator: g }).toArray(), a);
  nb.manualSeed(5);
  const b = nb.multinomial(w, 5, { replacement: true }).toArray();
  nb.manualSeed(5);
  assert.deepEqual(nb.multinomial(w, 5, { replacement: true }).toArray(), b, 'the global generator is seeded by manualSeed');
  assert.deepEqual(nb.multinomial(nb.tensor([1, 2]), 0).shape, [0]);
  const strided = nb.tensor([[0, 9], [0, 9], [1, 9]]).transpose().slice('0:1'); // [1, 3] view of column 0
  assert.deepEqual(nb.multinomial(strided, 1, { seed: 0 }).toArray(), [[2]]);
});

test('multinomial rejects bad weights with a clear error', () => {
  const m = (v: nb.NestedArray, k = 1, o: nb.SamplingOptions = {}) => () => nb.multinomial(nb.tensor(v), k, o);
  assert.throws(m([0.5, -0.1]), /^ValueError: multinomial: weights must be finite and non-negative, got -0\.1\d* at index 1$/);
  assert.throws(m([[1, 1], [NaN, 1]]), /multinomial: weights must be finite and non-negative, got NaN at index 0 in row 1/);
  assert.throws(m([[1, 1], [0, 0]]), /multinomial: all weights in row 1 are zero; at least one category needs a positive weight/);
  assert.throws(m([1, 0, 1], 3), /multinomial: cannot draw 3 samples without replacement from 2 categories with non-zero weight; pass \{ replacement: true \} or draw fewer/);
  assert.throws(m([[[1]]]), /multinomial: weights must be \[n\] or \[rows, n\], got shape \[1,1,1\]/);
  assert.throws(m([1, 1], 1.5), /multinomial: numSamples must be a non-negative integer, got 1.5/);
  assert.throws(m([1, 1], 1, { seed: 1, generator: new nb.Generator(1) }), /multinomial: pass either generator or seed, not both/);
  assert.throws(() => nb.multinomial(nb.tensor([1, 2], { dtype: 'int32' }), 1), /multinomial: weights must be a float tensor, got int32; cast them with weights.cast\('float32'\)/);
});

test('categorical samples from logits like multinomial of their softmax; -Infinity is never drawn', () => {
  const logits = nb.tensor([[Math.log(0.2), -Infinity, Math.log(0.8)]]);
  const draws = 20000;
  const ids = nb.categorical(logits, draws, { seed: 3 });
  assert.deepEqual(ids.shape, [1, draws]);
  const freq = counts((ids.toArray() as number[][])[0]!, 3).map((c) => c / draws);
  assert.equal(freq[1], 0);
  assert.ok(Math.abs(freq[2]! - 0.8) < 0.012, `${freq[2]}`);
  // large logits do not overflow: only the differences matter
  assert.deepEqual(nb.categorical(nb.tensor([1000, 1000 + Math.log(1e9)]), 3, { seed: 0 }).toArray(), [1, 1, 1]);
  assert.throws(() => nb.categorical(nb.tensor([[0, 1], [-Infinity, -Infinity]]), 1), /categorical: all logits in row 1 are -Infinity; at least one category must be possible/);
  assert.throws(() => nb.categorical(nb.tensor([0, NaN]), 1), /categorical: logits must be finite or -Infinity, got NaN at index 1 in row 0/);
});
