import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

test('gradcheck accepts a correct gradient and reports a small error', () => {
  const r = nb.testing.gradcheck((x, y) => x.mul(y).exp().sum(), [nb.tensor([0.1, -0.3]), nb.tensor([0.5, 0.2])]);
  assert.ok(r.ok);
  assert.ok(r.maxAbsError < 1e-6);
});

test('gradcheck rejects a wrong gradient with the worst element', () => {
  // detach hides one factor from autograd: the analytic gradient is x, the true one 2x
  assert.throws(() => nb.testing.gradcheck((x) => x.detach().mul(x).sum(), [nb.tensor([1, 2])]), {
    name: 'ValueError',
    message: /^gradcheck: analytic and numeric gradients differ for input 0 at flat index 1: analytic 2, numeric (4\.0000|3\.9999)/,
  });
});

test('gradcheck checks every element of a non-scalar output', () => {
  // only the second output element is wrong: random weights still expose it
  const wrong = (x: nb.Tensor) => nb.stack([x.sum(), x.detach().mul(x).sum()]);
  assert.throws(() => nb.testing.gradcheck(wrong, [nb.tensor([1, 2])]), /gradcheck: analytic and numeric gradients differ/);
});

test('gradcheck works on a float64 view at an offset and leaves it unchanged', () => {
  const base = nb.tensor([1, 2, 3, 4], { dtype: 'float64' });
  const view = base.slice('2:');
  assert.ok(nb.testing.gradcheck((x) => x.mul(x).sum(), [view]).ok);
  assert.deepEqual(Array.from(base.data()), [1, 2, 3, 4]);
});

test('gradcheck skips non-float inputs and errors when nothing depends on the checked ones', () => {
  const idx = nb.tensor([1, 0], { dtype: 'int32' });
  assert.ok(nb.testing.gradcheck((x, i) => nb.gather(x, i).mul(x).sum(), [nb.tensor([0.5, 2]), idx]).ok);
  assert.throws(() => nb.testing.gradcheck((x) => x.detach().sum(), [nb.tensor([1])]), {
    name: 'ValueError',
    message: /^gradcheck: the output does not depend on the checked inputs/,
  });
});
