import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

test('a chain of 100,000 ops backpropagates without overflowing the stack', () => {
  const x = nb.tensor([1], { dtype: 'float64', requiresGrad: true });
  let y = x;
  for (let i = 0; i < 100_000; i++) y = y.add(1e-5).mul(1);
  y.sum().backward();
  assert.equal(x.grad!.item(), 1);
  assert.ok(Math.abs(y.item() - 2) < 1e-9);
});
