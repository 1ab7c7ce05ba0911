// nb.customGrad (issue 11, item 7): a function with a gradient of one's own, as tf.customGrad /
// torch.autograd.Function, checked against finite differences in float64, first and second order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

const f64 = (v: nb.NestedArray, requiresGrad = false) => nb.tensor(v, { dtype: 'float64', requiresGrad });
const values = (t: Tensor | null) => Array.from(t!.data());

/** softplus(x) = log(1 + eˣ), with its derivative σ(x) given by hand, in ops. */
const softplus = nb.customGrad((x: Tensor) => ({ value: nb.log1p(nb.exp(x)), grad: (dy) => dy.mul(x.sigmoid()) }));

test('customGrad: the gradient given by hand passes gradcheck in float64', () => {
  const x = f64([-3, -0.5, 0, 0.7, 2.5]);
  assert.deepEqual(values(softplus(x)), values(nb.log1p(nb.exp(x))), 'the value is the function\'s');
  const r = nb.testing.gradcheck((t) => softplus(t), [x]);
  assert.ok(r.ok && r.maxAbsError < 1e-8, `max error ${r.maxAbsError}`);
  // the check can fail: a wrong hand-written gradient is caught
  const wrong = nb.customGrad((t: Tensor) => ({ value: nb.log1p(nb.exp(t)), grad: (dy) => dy.mul(t.sigmoid()).mul(1.01) }));
  assert.throws(() => nb.testing.gradcheck((t) => wrong(t), [x]), /gradcheck: analytic and numeric gradients differ/);
});

test('customGrad: the hand-written gradient replaces the automatic one (straight-through clipping)', () => {
  const clipST = nb.customGrad((x: Tensor) => ({ value: x.clamp(-1, 1), grad: (dy) => dy }));
  const x = f64([3, -0.5, -2], true);
  const y = clipST(x);
  assert.deepEqual(values(y), [1, -0.5, -1]);
  y.mul(f64([1, 2, 3])).sum().backward();
  assert.deepEqual(values(x.grad), [1, 2, 3], 'the automatic gradient of clamp would be [0, 2, 0]');
});

test('customGrad: several inputs, a null gradient, and the same tensor in two slots', () => {
  // f(a, b) = a·b, d/da = b·dy, d/db = a·dy
  const mul = nb.customGrad((a: Tensor, b: Tensor) => ({ value: a.mul(b), grad: (dy) => [dy.mul(b), dy.mul(a)] }));
  const r = nb.testing.gradcheck((a, b) => mul(a!, b!), [f64([[1, -2], [0.5, 3]]), f64([[4, 0.25], [-1, 2]])]);
  assert.ok(r.ok);
  const x = f64([3], true);
  mul(x, x).sum().backward();
  assert.deepEqual(values(x.grad), [6], 'd(x·x) = 2x: both slots contribute');
  const scaleOnly = nb.customGrad((a: Tensor, s: Tensor) => ({ value: a.mul(s), grad: (dy) => [dy.mul(s), null] }));
  const a = f64([1, 2], true);
  const s = f64([5], true);
  scaleOnly(a, s).sum().backward();
  assert.deepEqual(values(a.grad), [5, 5]);
  assert.equal(s.grad, null, 'a null gradient leaves that input without one');
});

test('customGrad: gradients of gradients, when the backward is written in ops', () => {
  // d²/dx² softplus = σ(x)(1 − σ(x)), from the recorded hand-written backward
  const x = f64([-1.5, 0, 0.8]);
  const d2 = nb.grad((t) => nb.grad((z) => softplus(z).sum())(t).sum())(x);
  const s = values(nb.sigmoid(x));
  values(d2).forEach((v, i) => assert.ok(Math.abs(v - s[i]! * (1 - s[i]!)) < 1e-12, `${v}`));
  // and against finite differences of the first derivative
  assert.ok(nb.testing.gradcheck((t) => nb.grad((z) => softplus(z).sum())(t), [x]).ok);
  // a backward reading a tensor the forward computed: its own graph carries the second derivative
  const exp = nb.customGrad((t: Tensor) => {
    const e = t.exp();
    return { value: e, grad: (dy) => dy.mul(e) };
  });
  assert.ok(nb.testing.gradcheck((t) => nb.grad((z) => exp(z).sum())(t), [f64([0.3, -1])]).ok);
});

test('customGrad: no graph without gradients; misuse is a clear error', () => {
  const y = nb.noGrad(() => softplus(f64([1], true)));
  assert.equal(y.requiresGrad, false);
  assert.equal(softplus(f64([1])).requiresGrad, false);

  const x = f64([1, 2], true);
  const twoGrads = nb.customGrad((t: Tensor) => ({ value: t.mul(2), grad: (dy) => [dy, dy] }));
  assert.throws(() => twoGrads(x).sum().backward(), { name: 'ValueError', message: /^customGrad: grad returned 2 gradients for 1 input; return one per input/ });
  const badShape = nb.customGrad((t: Tensor) => ({ value: t.sum(), grad: (dy) => dy }));
  assert.throws(() => badShape(x).backward(), { name: 'ShapeError', message: /^customGrad: the gradient of input 0 has shape \[\] but the input has shape \[2\]; grad must return gradients shaped like the inputs/ });
  const badType = nb.customGrad((t: Tensor) => ({ value: t.mul(1), grad: (dy) => dy.cast('float32') }));
  assert.throws(() => badType(x).sum().backward(), { name: 'DTypeError', message: /^customGrad: the gradient of input 0 is float32 but the input is float64; cast it/ });
  const w = f64([3], true);
  const closesOver = nb.customGrad((t: Tensor) => ({ value: t.mul(w), grad: (dy) => dy.mul(w) }));
  assert.throws(() => closesOver(x), { name: 'ValueError', message: /^customGrad: the function reads a tensor \[1\] that requires gradients but is not one of its inputs/ });
  const notAnObject = nb.customGrad(((t: Tensor) => t) as unknown as (t: Tensor) => nb.CustomGradResult);
  assert.throws(() => notAnObject(x), /^ValueError: customGrad: the function must return \{ value: Tensor, grad: \(dy\) => gradients \}/);
});
