import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SGD } from '../../src/optim/index.js';
import { assertClose, param, setGrad, values } from './helpers.js';

// Two steps from w0 = [1, -2] with gradients g1 = [0.5, -1], g2 = [1, 1]; expected values are
// worked out by hand from the formulas in the SGD docs (Keras' momentum form).

test('SGD without momentum: w ← w − lr·g, two steps', () => {
  const w = param([1, -2]);
  const opt = new SGD([w], { learningRate: 0.1 });
  setGrad(w, [0.5, -1]);
  opt.step();
  assertClose(values(w), [0.95, -1.9]); // 1 − 0.1·0.5, −2 + 0.1·1
  setGrad(w, [1, 1]);
  opt.step();
  assertClose(values(w), [0.85, -2.0]);
  assert.equal(opt.iterations, 2);
  assert.deepEqual(opt.getState().slots, { param_0: {} });
});

test('SGD with momentum: v ← μv − lr·g, w ← w + v, two steps', () => {
  const w = param([1, -2]);
  const opt = new SGD([w], { learningRate: 0.1, momentum: 0.9 });
  setGrad(w, [0.5, -1]);
  opt.step();
  // v1 = [−0.05, 0.1]
  assertClose(values(w), [0.95, -1.9]);
  setGrad(w, [1, 1]);
  opt.step();
  // v2 = 0.9·v1 − 0.1·g2 = [−0.045 − 0.1, 0.09 − 0.1] = [−0.145, −0.01]
  assertClose(values(w), [0.95 - 0.145, -1.9 - 0.01]);
  assertClose(opt.getState().slots['param_0']!['momentum']!, [-0.145, -0.01]);
});

test('SGD with Nesterov momentum: w ← w + μv − lr·g, two steps', () => {
  const w = param([1, -2]);
  const opt = new SGD([w], { learningRate: 0.1, momentum: 0.9, nesterov: true });
  setGrad(w, [0.5, -1]);
  opt.step();
  // v1 = [−0.05, 0.1]; w1 = w0 + 0.9·v1 − 0.1·g1 = [1 − 0.045 − 0.05, −2 + 0.09 + 0.1]
  assertClose(values(w), [0.905, -1.81]);
  setGrad(w, [1, 1]);
  opt.step();
  // v2 = [−0.145, −0.01]; w2 = w1 + 0.9·v2 − 0.1·g2
  assertClose(values(w), [0.905 - 0.1305 - 0.1, -1.81 - 0.009 - 0.1]);
});

test('SGD weight decay adds λ·w to the gradient (with and without momentum)', () => {
  const w = param([1, -2]);
  const opt = new SGD([w], { learningRate: 0.1, weightDecay: 0.01 });
  setGrad(w, [0.5, -1]);
  opt.step();
  // g' = [0.5 + 0.01, −1 − 0.02]; w1 = [1 − 0.051, −2 + 0.102]
  assertClose(values(w), [0.949, -1.898]);
  setGrad(w, [1, 1]);
  opt.step();
  // g' = [1 + 0.00949, 1 − 0.01898]
  assertClose(values(w), [0.949 - 0.100949, -1.898 - 0.098102]);

  const u = param([1, -2]);
  const mom = new SGD([u], { learningRate: 0.1, momentum: 0.5, weightDecay: 0.1 });
  setGrad(u, [0.5, -1]);
  mom.step();
  // g' = [0.6, −1.2]; v1 = [−0.06, 0.12]; u1 = [0.94, −1.88]
  assertClose(values(u), [0.94, -1.88]);
  setGrad(u, [1, 1]);
  mom.step();
  // g' = [1.094, 0.812]; v2 = 0.5·v1 − 0.1·g' = [−0.03 − 0.1094, 0.06 − 0.0812] = [−0.1394, −0.0212]
  assertClose(values(u), [0.94 - 0.1394, -1.88 - 0.0212]);
});

test('SGD float32 parameters are updated in their own storage', () => {
  const w = param([1, 2], 'float32');
  const storage = w.storage;
  const opt = new SGD([w], { learningRate: 0.5 });
  setGrad(w, [1, -1]);
  opt.step();
  assert.equal(w.storage, storage);
  assert.deepEqual(Array.from(w.storage), [0.5, 2.5]);
});

test('SGD rejects nesterov without momentum and bad values', () => {
  assert.throws(() => new SGD({ nesterov: true }), /nesterov needs momentum > 0/);
  assert.throws(() => new SGD({ momentum: 1.5 }), /SGD: momentum must be a number in \[0, 1\], got 1.5/);
  assert.throws(() => new SGD({ learningRate: -1 }), /SGD: learningRate must be a number >= 0, got -1/);
});
