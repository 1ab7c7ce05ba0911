import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Adam, AdamW } from '../../src/optim/index.js';
import { assertClose, param, setGrad, values } from './helpers.js';

// Expected values are computed here with scalar arithmetic straight from Kingma & Ba's update in
// the form Keras uses (ε added to √v, bias correction folded into lr_t), one element at a time.

const lr = 0.01;
const b1 = 0.9;
const b2 = 0.999;
const eps = 1e-7;
const w0 = [1, -2, 0.5];
const g1 = [0.5, -1, 2];
const g2 = [-0.25, 0.75, 1];

test('Adam: two steps match the hand-computed update', () => {
  const w = param(w0);
  const opt = new Adam([w], { learningRate: lr });
  setGrad(w, g1);
  opt.step();
  // t = 1: m = 0.1·g, v = 0.001·g², lr_1 = lr·√0.001 / 0.1
  const lr1 = (lr * Math.sqrt(1 - b2)) / (1 - b1);
  const m1 = g1.map((g) => (1 - b1) * g);
  const v1 = g1.map((g) => (1 - b2) * g * g);
  const w1 = w0.map((w, i) => w - (lr1 * m1[i]!) / (Math.sqrt(v1[i]!) + eps));
  assertClose(values(w), w1);
  // the first Adam step moves each weight by almost exactly lr against the gradient's sign
  assertClose(values(w), [1 - lr, -2 + lr, 0.5 - lr], 1e-5);

  setGrad(w, g2);
  opt.step();
  const lr2 = (lr * Math.sqrt(1 - b2 * b2)) / (1 - b1 * b1);
  const m2 = g2.map((g, i) => b1 * m1[i]! + (1 - b1) * g);
  const v2 = g2.map((g, i) => b2 * v1[i]! + (1 - b2) * g * g);
  const w2 = w1.map((w, i) => w - (lr2 * m2[i]!) / (Math.sqrt(v2[i]!) + eps));
  assertClose(values(w), w2);
  const state = opt.getState();
  assertClose(state.slots['param_0']!['m']!, m2);
  assertClose(state.slots['param_0']!['v']!, v2);
  assert.equal(state.iterations, 2);
});

test('Adam with amsgrad uses the running maximum of v (two steps)', () => {
  // β2 = 0.5 so that v shrinks on the second step and the maximum matters.
  const beta2 = 0.5;
  const big = [1, -2];
  const small = [0.1, 0.1];
  const w = param([0, 0]);
  const opt = new Adam([w], { learningRate: lr, beta2, amsgrad: true });
  setGrad(w, big);
  opt.step();
  const m1 = big.map((g) => (1 - b1) * g);
  const v1 = big.map((g) => (1 - beta2) * g * g);
  const lr1 = (lr * Math.sqrt(1 - beta2)) / (1 - b1);
  const w1 = m1.map((m, i) => -(lr1 * m) / (Math.sqrt(v1[i]!) + eps));
  assertClose(values(w), w1);

  setGrad(w, small);
  opt.step();
  const m2 = small.map((g, i) => b1 * m1[i]! + (1 - b1) * g);
  const v2 = small.map((g, i) => beta2 * v1[i]! + (1 - beta2) * g * g);
  const vHat = v2.map((v, i) => Math.max(v, v1[i]!)); // = v1 here, since v2 < v1
  assert.ok(v2[0]! < v1[0]!);
  const lr2 = (lr * Math.sqrt(1 - beta2 * beta2)) / (1 - b1 * b1);
  const w2 = w1.map((x, i) => x - (lr2 * m2[i]!) / (Math.sqrt(vHat[i]!) + eps));
  assertClose(values(w), w2);
  assertClose(opt.getState().slots['param_0']!['vHat']!, vHat);

  // plain Adam would have divided by √v2 instead: a different point
  const plain = w1.map((x, i) => x - (lr2 * m2[i]!) / (Math.sqrt(v2[i]!) + eps));
  assert.ok(Math.abs(plain[0]! - w2[0]!) > 1e-6);
});

test('AdamW: decoupled decay w ← w − lr·λ·w, then the Adam step (two steps)', () => {
  const wd = 0.1;
  const w = param(w0);
  const opt = new AdamW([w], { learningRate: lr, weightDecay: wd });
  setGrad(w, g1);
  opt.step();
  const lr1 = (lr * Math.sqrt(1 - b2)) / (1 - b1);
  const m1 = g1.map((g) => (1 - b1) * g);
  const v1 = g1.map((g) => (1 - b2) * g * g);
  const w1 = w0.map((w, i) => w - lr * wd * w - (lr1 * m1[i]!) / (Math.sqrt(v1[i]!) + eps));
  assertClose(values(w), w1);

  setGrad(w, g2);
  opt.step();
  const lr2 = (lr * Math.sqrt(1 - b2 * b2)) / (1 - b1 * b1);
  const m2 = g2.map((g, i) => b1 * m1[i]! + (1 - b1) * g);
  const v2 = g2.map((g, i) => b2 * v1[i]! + (1 - b2) * g * g);
  const w2 = w1.map((w, i) => w - lr * wd * w - (lr2 * m2[i]!) / (Math.sqrt(v2[i]!) + eps));
  assertClose(values(w), w2);
});

test('Adam and AdamW defaults are Keras\'', () => {
  const a = new Adam();
  assert.equal(a.learningRate, 0.001);
  assert.equal(a.beta1, 0.9);
  assert.equal(a.beta2, 0.999);
  assert.equal(a.epsilon, 1e-7);
  assert.equal(a.amsgrad, false);
  const w = new AdamW();
  assert.equal(w.weightDecay, 0.004);
  assert.equal(w.learningRate, 0.001);
  assert.equal(w.name, 'adamw');
  assert.equal(w.getConfig()['weightDecay'], 0.004);
});

test('Adam validates its options and names the right class', () => {
  assert.throws(() => new Adam({ beta1: 1 }), /Adam: beta1 must be a number in \[0, 1\), got 1/);
  assert.throws(() => new AdamW({ beta2: -0.1 }), /AdamW: beta2 must be/);
  assert.throws(() => new Adam({ weightDecay: 0.1 } as never), /Adam: unknown option 'weightDecay'/);
  assert.throws(() => new Adam({ eps: 1e-8 } as never), /did you mean 'epsilon'/);
});
