import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { SGD, clipGradNorm, clipGradValue } from '../../src/optim/index.js';
import { assertClose, param, setGrad, values } from './helpers.js';

// With SGD at lr = 1 from w = 0, the parameter after one step is minus the clipped gradient.
function clippedBy(opts: { clipNorm?: number; clipValue?: number; globalClipnorm?: number }): [number[], number[]] {
  const a = param([0, 0]);
  const b = param([0]);
  const opt = new SGD([a, b], { learningRate: 1, ...opts });
  setGrad(a, [3, 4]); // norm 5
  setGrad(b, [-0.5]); // norm 0.5
  opt.step();
  // the optimizer clips its own copy: the .grad tensors are untouched
  assert.deepEqual(values(a.grad!), [3, 4]);
  return [values(a).map((x) => -x), values(b).map((x) => -x)];
}

test('clipNorm clips each gradient to that L2 norm: g·c/max(‖g‖, c)', () => {
  const [a, b] = clippedBy({ clipNorm: 1 });
  assertClose(a, [0.6, 0.8]); // [3, 4]·1/5
  assertClose(b, [-0.5]); // norm 0.5 ≤ 1: unchanged
});

test('globalClipnorm scales all gradients by c/max(‖all‖, c)', () => {
  const [a, b] = clippedBy({ globalClipnorm: 1 });
  const total = Math.sqrt(9 + 16 + 0.25);
  assertClose(a, [3 / total, 4 / total]);
  assertClose(b, [-0.5 / total]);
  const [c, d] = clippedBy({ globalClipnorm: 10 });
  assertClose(c, [3, 4]);
  assertClose(d, [-0.5]);
});

test('clipValue clamps each element to [−v, v]', () => {
  const [a, b] = clippedBy({ clipValue: 0.4 });
  assertClose(a, [0.4, 0.4]);
  assertClose(b, [-0.4]);
});

test('only one clipping option at a time', () => {
  assert.throws(() => new SGD({ clipNorm: 1, clipValue: 1 }), /set only one of clipNorm, clipValue and globalClipnorm, got clipNorm and clipValue/);
  assert.throws(() => new SGD({ clipNorm: 0 }), /clipNorm must be a number > 0/);
});

test('clipGradNorm returns the total norm and scales by maxNorm/(total + 1e-6) when above', () => {
  const a = param([0, 0]);
  const b = param([0]);
  const frozenNoGrad = param([0]);
  setGrad(a, [3, 4]);
  setGrad(b, [12]);
  const before = a.grad!;
  const total = clipGradNorm([a, b, frozenNoGrad], 1);
  assert.equal(total, 13); // √(9 + 16 + 144)
  const coef = 1 / (13 + 1e-6);
  assertClose(values(a.grad!), [3 * coef, 4 * coef]);
  assertClose(values(b.grad!), [12 * coef]);
  assert.deepEqual(values(before), [3, 4]); // replaced, not written in place
  assert.equal(frozenNoGrad.grad, null);

  setGrad(a, [3, 4]);
  setGrad(b, [12]);
  assert.equal(clipGradNorm({ a, b }, 100), 13);
  assert.deepEqual(values(a.grad!), [3, 4]); // below maxNorm: unchanged
});

test('clipGradNorm with other norms (1, Infinity) and shared or non-contiguous gradients', () => {
  const a = param([0, 0]);
  const b = param([0]);
  setGrad(a, [3, -4]);
  setGrad(b, [-12]);
  assert.equal(clipGradNorm([a, b], 100, 1), 19);
  assert.equal(clipGradNorm([a, b], 100, Infinity), 12);
  assertClose([clipGradNorm([a, b], 100, 3)], [Math.cbrt(27 + 64 + 1728)]);
  assert.throws(() => clipGradNorm([a, b], 1, 0), /normType must be a positive number or Infinity/);

  // two parameters holding the same gradient tensor: each is scaled exactly once
  const shared = nb.tensor([6, 8], { dtype: 'float64' });
  const c = param([0, 0]);
  const d = param([0, 0]);
  c.grad = shared;
  d.grad = shared;
  const total = clipGradNorm([c, d], 1);
  assertClose([total], [Math.sqrt(200)]);
  const k = 1 / (Math.sqrt(200) + 1e-6);
  assertClose(values(c.grad!), [6 * k, 8 * k]);
  assertClose(values(d.grad!), [6 * k, 8 * k]);

  // a transposed (non-contiguous) gradient keeps its shape
  const m = nb.zeros([2, 2], { dtype: 'float64', requiresGrad: true });
  m.grad = nb.tensor([[3, 0], [4, 0]], { dtype: 'float64' }).transpose();
  assert.equal(m.grad.isContiguous, false);
  clipGradNorm([m], 1);
  assert.deepEqual(m.grad.shape, [2, 2]);
  assertClose(values(m.grad), [0.6 / (1 + 2e-7), 0.8 / (1 + 2e-7), 0, 0], 1e-9);
});

test('clipGradValue clamps every gradient element', () => {
  const a = param([0, 0, 0]);
  setGrad(a, [-2, 0.1, 5]);
  clipGradValue([a], 1);
  assert.deepEqual(values(a.grad!), [-1, 0.1, 1]);
});
