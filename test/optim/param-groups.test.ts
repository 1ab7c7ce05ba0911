import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Adam, AdamW, RMSprop, SGD } from '../../src/optim/index.js';
import { assertClose, param, setGrad, values } from './helpers.js';

// Per-group settings, PyTorch's parameter groups: expected values computed here one element at a
// time, from AdamW's decoupled decay (w ← w − lr·λ·w, then Adam with lr) and SGD's L2 penalty.

const b1 = 0.9;
const b2 = 0.999;
const eps = 1e-7;

/** Two AdamW steps of one parameter by hand: learning rate `lr` (multiplier applied), decay `wd`. */
function adamWByHand(w0: number[], grads: number[][], lr: number, wd: number): number[] {
  let w = w0.slice();
  let m = w0.map(() => 0);
  let v = w0.map(() => 0);
  grads.forEach((g, k) => {
    const t = k + 1;
    const lrT = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    m = g.map((gi, i) => b1 * m[i]! + (1 - b1) * gi);
    v = g.map((gi, i) => b2 * v[i]! + (1 - b2) * gi * gi);
    w = w.map((wi) => wi - lr * wd * wi);
    w = w.map((wi, i) => wi - (lrT * m[i]!) / (Math.sqrt(v[i]!) + eps));
  });
  return w;
}

test('AdamW: each group decays with its own weightDecay (and its lrMultiplier), others with the optimizer\'s', () => {
  const lr = 0.01;
  const [a0, b0, c0] = [[1, -2, 0.5], [3, 0.25], [-1.5, 4]];
  const grads = { a: [[0.5, -1, 2], [-0.25, 0.75, 1]], b: [[1, -1], [0.5, 0.5]], c: [[-2, 0.1], [1, -0.3]] };
  const [a, b, c] = [param(a0), param(b0), param(c0)];
  const opt = new AdamW([a, b, c], {
    learningRate: lr,
    weightDecay: 0.1,
    paramGroups: [{ params: [b], weightDecay: 0 }, { params: [c], weightDecay: 0.5, lrMultiplier: 0.5 }],
  });
  assert.deepEqual([opt.weightDecayOf(a), opt.weightDecayOf(b), opt.weightDecayOf(c)], [0.1, 0, 0.5]);
  for (let k = 0; k < 2; k++) {
    setGrad(a, grads.a[k]!);
    setGrad(b, grads.b[k]!);
    setGrad(c, grads.c[k]!);
    opt.step();
  }
  assertClose(values(a), adamWByHand(a0, grads.a, lr, 0.1), 1e-12, 'a');
  assertClose(values(b), adamWByHand(b0, grads.b, lr, 0), 1e-12, 'b');
  assertClose(values(c), adamWByHand(c0, grads.c, lr * 0.5, 0.5), 1e-12, 'c');
  // the decay is what tells them apart: b undecayed is plain Adam
  const plain = param(b0);
  const adam = new Adam([plain], { learningRate: lr });
  for (const g of grads.b) {
    setGrad(plain, g);
    adam.step();
  }
  assert.deepEqual(values(b), values(plain));
});

test('SGD: a group\'s weightDecay replaces the L2 penalty, g ← g + λ·w', () => {
  const [w0, u0] = [[1, -2], [0.5, 4]];
  const [gw, gu] = [[0.5, 0.25], [-1, 2]];
  const [w, u] = [param(w0), param(u0)];
  const opt = new SGD([w, u], { learningRate: 0.1, weightDecay: 0.05, paramGroups: [{ params: [u], weightDecay: 0.2 }] });
  setGrad(w, gw);
  setGrad(u, gu);
  opt.step();
  assertClose(values(w), w0.map((x, i) => x - 0.1 * (gw[i]! + 0.05 * x)));
  assertClose(values(u), u0.map((x, i) => x - 0.1 * (gu[i]! + 0.2 * x)));
});

test('setLrMultiplier keeps a group\'s weightDecay; Adam without decay reports 0', () => {
  const [w, u] = [param([1]), param([2])];
  const opt = new AdamW([w, u], { weightDecay: 0.3, paramGroups: [{ params: [w], weightDecay: 0 }] });
  opt.setLrMultiplier([w], 0.25);
  assert.deepEqual([opt.lrMultiplierOf(w), opt.weightDecayOf(w)], [0.25, 0]);
  assert.deepEqual([opt.lrMultiplierOf(u), opt.weightDecayOf(u)], [1, 0.3]);
  assert.equal(new Adam([w]).weightDecayOf(w), 0);
});

test('parameter-group errors name the group and the remedy', () => {
  const w = param([1]);
  assert.throws(() => new Adam({ paramGroups: [{ params: [w], weightDecay: 0.1 }] }), /^ValueError: Adam: paramGroups\[0\] sets weightDecay, but Adam has no weight decay; use AdamW \(decoupled decay\) or SGD \(L2 penalty\)$/);
  assert.throws(() => new RMSprop({ paramGroups: [{ params: [w], lrMultiplier: 1 }, { params: [param([2])], weightDecay: 0 }] }), /RMSprop: paramGroups\[1\] sets weightDecay, but RMSprop has no weight decay/);
  assert.throws(() => new AdamW({ paramGroups: [{ params: [w], weightDecay: -1 }] }), /AdamW: paramGroups\[0\]: weightDecay must be a finite number >= 0, got -1/);
  assert.throws(() => new SGD({ paramGroups: [{ params: [w], lr: 0.1 } as never] }), /SGD: paramGroups\[0\]: unknown key 'lr'; a group takes params, lrMultiplier and weightDecay/);
  assert.throws(() => new SGD({ paramGroups: [{ lrMultiplier: 1 } as never] }), /SGD: paramGroups\[0\] must be \{ params, lrMultiplier\?, weightDecay\? \}/);
});
