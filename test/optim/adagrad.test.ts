import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Adagrad } from '../../src/optim/index.js';
import { assertClose, param, setGrad, values } from './helpers.js';

test('Adagrad: two steps (s ← s + g², w ← w − lr·g/√(s+ε)), s starting at 0.1', () => {
  const lr = 0.1;
  const eps = 1e-7;
  const w = param([1, -2]);
  const opt = new Adagrad([w], { learningRate: lr });
  assertClose(opt.getState().slots['param_0']!['accumulator']!, [0.1, 0.1]);
  setGrad(w, [0.5, -1]);
  opt.step();
  // s1 = [0.1 + 0.25, 0.1 + 1] = [0.35, 1.1]
  const w1 = [1 - (lr * 0.5) / Math.sqrt(0.35 + eps), -2 + (lr * 1) / Math.sqrt(1.1 + eps)];
  assertClose(values(w), w1);
  setGrad(w, [2, 0.5]);
  opt.step();
  // s2 = [0.35 + 4, 1.1 + 0.25] = [4.35, 1.35]
  const w2 = [w1[0]! - (lr * 2) / Math.sqrt(4.35 + eps), w1[1]! - (lr * 0.5) / Math.sqrt(1.35 + eps)];
  assertClose(values(w), w2);
  assertClose(opt.getState().slots['param_0']!['accumulator']!, [4.35, 1.35]);
});

test('Adagrad options: defaults are Keras\', initialAccumulatorValue is used', () => {
  const d = new Adagrad();
  assert.deepEqual([d.learningRate, d.initialAccumulatorValue, d.epsilon], [0.001, 0.1, 1e-7]);
  const w = param([0]);
  const opt = new Adagrad([w], { learningRate: 1, initialAccumulatorValue: 0, epsilon: 0 });
  setGrad(w, [3]);
  opt.step();
  assertClose(values(w), [-1]); // 3/√9
  assert.throws(() => new Adagrad({ initialAccumulatorValue: -1 }), /initialAccumulatorValue must be a number >= 0/);
});
