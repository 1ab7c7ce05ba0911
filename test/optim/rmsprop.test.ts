import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RMSprop } from '../../src/optim/index.js';
import { assertClose, param, setGrad, values } from './helpers.js';

// Expected values: scalar arithmetic from the RMSprop formulas as Keras computes them (ε inside
// the square root), two steps from w0 with gradients g1 then g2.

const lr = 0.01;
const rho = 0.9;
const eps = 1e-7;
const w0 = [1, -2];
const g1 = [0.5, -1];
const g2 = [1, 0.25];

test('RMSprop: two steps (v ← ρv + (1−ρ)g², w ← w − lr·g/√(v+ε))', () => {
  const w = param(w0);
  const opt = new RMSprop([w], { learningRate: lr });
  setGrad(w, g1);
  opt.step();
  const v1 = g1.map((g) => (1 - rho) * g * g);
  const w1 = w0.map((x, i) => x - (lr * g1[i]!) / Math.sqrt(v1[i]! + eps));
  assertClose(values(w), w1);
  // first step: g/√(0.1·g²) = sign(g)·√10
  assertClose(values(w), [1 - lr * Math.sqrt(10), -2 + lr * Math.sqrt(10)], 1e-6);
  setGrad(w, g2);
  opt.step();
  const v2 = g2.map((g, i) => rho * v1[i]! + (1 - rho) * g * g);
  const w2 = w1.map((x, i) => x - (lr * g2[i]!) / Math.sqrt(v2[i]! + eps));
  assertClose(values(w), w2);
  assert.deepEqual(Object.keys(opt.getState().slots['param_0']!), ['velocity']);
});

test('RMSprop centered: divides by √(v − a² + ε), two steps', () => {
  const w = param(w0);
  const opt = new RMSprop([w], { learningRate: lr, centered: true });
  setGrad(w, g1);
  opt.step();
  const v1 = g1.map((g) => (1 - rho) * g * g);
  const a1 = g1.map((g) => (1 - rho) * g);
  const w1 = w0.map((x, i) => x - (lr * g1[i]!) / Math.sqrt(v1[i]! - a1[i]! * a1[i]! + eps));
  assertClose(values(w), w1);
  setGrad(w, g2);
  opt.step();
  const v2 = g2.map((g, i) => rho * v1[i]! + (1 - rho) * g * g);
  const a2 = g2.map((g, i) => rho * a1[i]! + (1 - rho) * g);
  const w2 = w1.map((x, i) => x - (lr * g2[i]!) / Math.sqrt(v2[i]! - a2[i]! * a2[i]! + eps));
  assertClose(values(w), w2);
  assertClose(opt.getState().slots['param_0']!['averageGradient']!, a2);
});

test('RMSprop with momentum: s ← μs + lr·g/√(v+ε), w ← w − s, two steps', () => {
  const mu = 0.5;
  const w = param(w0);
  const opt = new RMSprop([w], { learningRate: lr, momentum: mu });
  setGrad(w, g1);
  opt.step();
  const v1 = g1.map((g) => (1 - rho) * g * g);
  const s1 = g1.map((g, i) => (lr * g) / Math.sqrt(v1[i]! + eps));
  const w1 = w0.map((x, i) => x - s1[i]!);
  assertClose(values(w), w1);
  setGrad(w, g2);
  opt.step();
  const v2 = g2.map((g, i) => rho * v1[i]! + (1 - rho) * g * g);
  const s2 = g2.map((g, i) => mu * s1[i]! + (lr * g) / Math.sqrt(v2[i]! + eps));
  const w2 = w1.map((x, i) => x - s2[i]!);
  assertClose(values(w), w2);
  assertClose(opt.getState().slots['param_0']!['momentum']!, s2);
});

test('RMSprop defaults are Keras\'', () => {
  const opt = new RMSprop();
  assert.deepEqual(
    [opt.learningRate, opt.rho, opt.momentum, opt.epsilon, opt.centered],
    [0.001, 0.9, 0, 1e-7, false],
  );
  assert.throws(() => new RMSprop({ alpha: 0.99 } as never), /RMSprop: unknown option 'alpha' \(did you mean 'rho'\?\)/);
});
