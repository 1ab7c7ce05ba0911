import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { activations, getActivation } from '../../src/nn/index.js';

const x = nb.tensor([-2, -0.5, 0, 1.5], { dtype: 'float64' });
const values = (t: nb.Tensor) => Array.from(t.data());
const closeAll = (got: number[], want: number[]) =>
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) < 1e-9, `${g} != ${want[i]} at ${i}`));

test('every activation name computes its function', () => {
  const xs = [-2, -0.5, 0, 1.5];
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const erf = (v: number) => {
    // Abramowitz–Stegun 7.1.26 is too coarse here; integrate instead (Simpson, 2000 steps)
    const n = 2000;
    const h = v / n;
    let s = 0;
    for (let i = 0; i <= n; i++) s += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * Math.exp(-((i * h) ** 2));
    return ((2 / Math.sqrt(Math.PI)) * s * h) / 3;
  };
  const expected: Record<string, number[]> = {
    relu: xs.map((v) => Math.max(v, 0)),
    leakyRelu: xs.map((v) => (v > 0 ? v : 0.2 * v)),
    elu: xs.map((v) => (v > 0 ? v : Math.exp(v) - 1)),
    gelu: xs.map((v) => 0.5 * v * (1 + erf(v / Math.SQRT2))),
    sigmoid: xs.map(sig),
    tanh: xs.map(Math.tanh),
    softplus: xs.map((v) => Math.log1p(Math.exp(v))),
    silu: xs.map((v) => v * sig(v)),
    swish: xs.map((v) => v * sig(v)),
    linear: xs,
  };
  for (const [name, want] of Object.entries(expected)) closeAll(values(getActivation(name)(x)), want);
  const e = xs.map(Math.exp);
  const total = e.reduce((a, b) => a + b, 0);
  closeAll(values(getActivation('softmax')(x)), e.map((v) => v / total));
});

test('getActivation: snake_case names, functions, null and unknown names', () => {
  assert.equal(getActivation('leaky_relu'), activations.leakyRelu);
  assert.equal(getActivation('ReLU'), activations.relu);
  assert.equal(getActivation('swish'), activations.silu);
  const f = (t: nb.Tensor) => t;
  assert.equal(getActivation(f), f);
  assert.equal(getActivation(null), activations.linear);
  assert.equal(getActivation(undefined), activations.linear);
  assert.throws(
    () => getActivation('rleu'),
    /Unknown activation 'rleu'\. Valid: relu, leakyRelu, elu, gelu, sigmoid, tanh, softmax, softplus, silu, swish, linear/,
  );
  assert.equal(activations.activationName(activations.swish), 'silu');
});
