// nb.memory(): the counters of tensor storage allocated, read around a piece of code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

test('memory(): allocatedBytes and allocations grow by exactly what new tensors take', () => {
  const before = nb.memory();
  nb.zeros([1000]); // float32: 4,000 bytes
  nb.zeros([10], { dtype: 'float64' }); // 80 bytes
  const after = nb.memory();
  assert.equal(after.allocatedBytes - before.allocatedBytes, 4080);
  assert.equal(after.allocations - before.allocations, 2);
});

test('memory(): an op that writes a new tensor counts its output, a view counts nothing', () => {
  const a = nb.ones([64, 64]);
  const b = nb.ones([64, 64]);
  let m = nb.memory();
  a.reshape([4096]);
  assert.equal(nb.memory().allocatedBytes - m.allocatedBytes, 0);
  m = nb.memory();
  nb.matmul(a, b); // one [64, 64] float32 output (16,384 bytes), nothing else at this size
  assert.equal(nb.memory().allocatedBytes - m.allocatedBytes, 64 * 64 * 4);
});

test('memory(): arrayBufferBytes is what Node reports for live ArrayBuffers', () => {
  const m = nb.memory();
  assert.equal(typeof m.arrayBufferBytes, 'number');
  assert.ok(m.arrayBufferBytes! > 0);
});
