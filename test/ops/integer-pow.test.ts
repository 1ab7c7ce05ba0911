import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

test('pow of integers: non-negative exponents stay int32, negative ones are an error (as in NumPy)', () => {
  const r = nb.pow(nb.tensor([2, 3], { dtype: 'int32' }), nb.tensor([3, 2], { dtype: 'int32' }));
  assert.equal(r.dtype, 'int32');
  assert.deepEqual(r.toArray(), [8, 9]);
  assert.throws(() => nb.pow(nb.tensor([2], { dtype: 'int32' }), -1), /pow: integers to negative integer powers are not allowed.*cast the base to float first/);
  assert.deepEqual(nb.pow(nb.tensor([2], { dtype: 'int32' }), -1.0 + 0.5).dtype, 'float32');
  assert.deepEqual(nb.pow(nb.tensor([2]), -1).toArray(), [0.5]);
});

test('reducing over non-adjacent axes records only the reduction in the graph', () => {
  const x = nb.randn([2, 3, 4], { requiresGrad: true });
  const y = nb.sum(x, [0, 2]);
  assert.equal(y.node!.name, 'sum');
  assert.equal(y.node!.inputs[0], x);
});
