import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { getOptimizer, type AnyOptimizerOptions, type OptimizerName } from '../../src/optim/index.js';

// End to end: minimise an ill-conditioned quadratic Σ cᵢ·(wᵢ − tᵢ)² + (u − 1)² with each optimizer
// through the real loop (forward, backward, step, zeroGrad); the loss must fall by a large factor.

const target = nb.tensor([1, -2, 3, 0.5]);
const curvature = nb.tensor([1, 10, 0.5, 3]);

function loss(w: nb.Tensor, u: nb.Tensor): nb.Tensor {
  return w.sub(target).pow(2).mul(curvature).sum().add(u.sub(1).pow(2).sum());
}

const cases: Array<[OptimizerName, AnyOptimizerOptions]> = [
  ['sgd', { learningRate: 0.04 }],
  ['sgd', { learningRate: 0.02, momentum: 0.9, nesterov: true }],
  ['adam', { learningRate: 0.1 }],
  ['adamw', { learningRate: 0.1, weightDecay: 0.001 }],
  ['rmsprop', { learningRate: 0.02, centered: true }],
  ['adagrad', { learningRate: 0.5 }],
];

for (const [name, opts] of cases) {
  test(`${name} ${JSON.stringify(opts)} minimises a quadratic`, () => {
    const w = nb.zeros([4], { requiresGrad: true });
    const u = nb.zeros([2, 1], { requiresGrad: true });
    const opt = getOptimizer(name, opts);
    opt.build({ w, u });
    const initial = loss(w, u).item();
    for (let i = 0; i < 300; i++) {
      const l = loss(w, u);
      l.backward();
      opt.step();
      opt.zeroGrad();
    }
    const final = nb.noGrad(() => loss(w, u)).item();
    assert.ok(final < initial / 1000, `${name}: loss ${initial} → ${final}`);
    assert.equal(opt.iterations, 300);
  });
}
