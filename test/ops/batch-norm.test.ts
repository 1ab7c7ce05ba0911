/**
 * The fused training-mode batch norm (src/ops/batch-norm.ts) against the composite
 * `(x − mean)/√(var + ε)·γ + β` written with plain ops: values, batch statistics and gradients
 * on every backend, float32 and float64, contiguous and permuted inputs; float64 gradcheck;
 * second-order gradients (the VJP's op form) against the composite's; bad input.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { jsBackend, setBackend, type Backend, type Tensor } from '../../src/index.js';
import { nativeBackend } from '../../src/backend/native/index.js';
import { batchNormTraining } from '../../src/ops/batch-norm.js';

const native = nativeBackend({ minElements: 0, minGemm: 0 });
const BACKENDS: Backend[] = native ? [jsBackend, native] : [jsBackend];

const rnd = (shape: number[], seed: number, dtype: 'float32' | 'float64' = 'float64'): Tensor =>
  nb.randn(shape, { dtype, generator: new nb.Generator(seed) });

/** The composite, axes = every axis but the last. */
function composite(x: Tensor, gamma: Tensor, beta: Tensor, eps: number): Tensor {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const mu = nb.mean(x, axes, true);
  const v = nb.mean(nb.mul(nb.sub(x, mu), nb.sub(x, mu)), axes, true);
  return nb.add(nb.mul(nb.div(nb.sub(x, mu), nb.sqrt(nb.add(v, eps))), gamma), beta);
}

function assertClose(a: Tensor, b: Tensor, tol: number, what: string): void {
  assert.deepEqual(a.shape, b.shape, `${what}: shape`);
  const x = a.data(), y = b.data();
  for (let i = 0; i < x.length; i++) {
    assert.ok(Math.abs(x[i]! - y[i]!) <= tol * (1 + Math.abs(y[i]!)), `${what}: [${i}] ${x[i]} vs ${y[i]}`);
  }
}

for (const backend of BACKENDS) {
  describe(`batchNormTraining on the ${backend.name} backend`, () => {
    before(() => setBackend(backend));
    after(() => setBackend(jsBackend));

    test('matches the composite: output, batch mean and variance, gradients (float32/64, permuted input)', () => {
      for (const [dtype, tol] of [['float64', 1e-10], ['float32', 2e-4]] as const) {
        for (const [shape, seed] of [[[7, 3], 1], [[4, 5, 3, 6], 2], [[300, 40], 3]] as const) {
          const base = nb.add(nb.mul(rnd([...shape], seed, dtype), 3), 2);
          // a permuted view: the channels axis is not the fastest in memory
          const perm = shape.map((_, i) => i).reverse();
          const x = nb.permute(nb.contiguous(nb.permute(base, perm)), perm).requireGrad();
          const x2 = nb.tensor(Array.from(base.data()), { shape: [...shape], dtype }).requireGrad();
          const c = shape[shape.length - 1]!;
          const gamma = rnd([c], seed + 1, dtype).requireGrad(), beta = rnd([c], seed + 2, dtype).requireGrad();
          const gamma2 = nb.tensor(Array.from(gamma.data()), { dtype }).requireGrad(), beta2 = nb.tensor(Array.from(beta.data()), { dtype }).requireGrad();
          const { y, mean, variance } = batchNormTraining(x, gamma, beta, 1e-3);
          const y2 = composite(x2, gamma2, beta2, 1e-3);
          assertClose(y, y2, tol, `${dtype} [${shape}] y`);
          const axes = shape.slice(0, -1).map((_, i) => i);
          assertClose(mean, nb.mean(x2, axes), tol, 'mean');
          assertClose(variance, nb.mean(nb.pow(nb.sub(x2, nb.mean(x2, axes, true)), 2), axes), tol, 'variance');
          const w = rnd([...shape], seed + 3, dtype);
          nb.sum(nb.mul(y, w)).backward();
          nb.sum(nb.mul(y2, w)).backward();
          assertClose(x.grad!, x2.grad!, tol * 10, `${dtype} [${shape}] dx`);
          assertClose(gamma.grad!, gamma2.grad!, tol * 10, 'dgamma');
          assertClose(beta.grad!, beta2.grad!, tol * 10, 'dbeta');
        }
      }
    });

    test('gradcheck (float64) of x, gamma and beta', () => {
      const r = nb.testing.gradcheck((x, g, b) => batchNormTraining(x!, g!, b!, 1e-3).y, [rnd([6, 2, 3], 4), rnd([3], 5), rnd([3], 6)], { atol: 1e-6, rtol: 1e-5 });
      assert.ok(r.ok, `gradcheck failed: ${JSON.stringify(r.worst)}`);
    });

    test('second-order gradients (the VJP in ops) equal the composite\'s', () => {
      const x = rnd([5, 4], 7).requireGrad(), gamma = rnd([4], 8).requireGrad(), beta = rnd([4], 9).requireGrad();
      const w = rnd([5, 4], 10);
      const second = (f: (x: Tensor) => Tensor) => {
        const [dx] = nb.gradients(nb.sum(nb.mul(f(x), w)), [x], { createGraph: true });
        return nb.gradients(nb.sum(nb.mul(dx!, dx!)), [x, gamma])!;
      };
      const [a1, a2] = second((t) => batchNormTraining(t, gamma, beta, 1e-3).y);
      const [b1, b2] = second((t) => composite(t, gamma, beta, 1e-3));
      assertClose(a1!, b1!, 1e-9, 'd²/dx²');
      assertClose(a2!, b2!, 1e-9, 'd²/dx dgamma');
    });
  });
}

test('batchNormTraining errors name the op, the shapes and the remedy', () => {
  const x = nb.zeros([4, 3]);
  assert.throws(() => batchNormTraining(x, nb.ones([2]), nb.zeros([3]), 1e-3), /batchNormTraining: gamma must have shape \[3\] \(one value per channel\), got \[2\]/);
  assert.throws(() => batchNormTraining(x, nb.ones([3], { dtype: 'float64' }), nb.zeros([3]), 1e-3), /must share one float dtype, got float32, float64, float32/);
  assert.throws(() => batchNormTraining(nb.zeros([0, 3]), nb.ones([3]), nb.zeros([3]), 1e-3), /no empty axis; got shape \[0,3\]/);
});
