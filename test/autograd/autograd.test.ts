import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

const f64 = (v: nb.NestedArray, requiresGrad = false) => nb.tensor(v, { dtype: 'float64', requiresGrad });
const values = (t: Tensor | null) => {
  assert.ok(t, 'expected a tensor');
  return Array.from(t.data());
};

describe('backward()', () => {
  test('fills .grad of the leaves that require it, and only theirs', () => {
    const x = f64([1, 2, 3], true);
    const w = f64([4, 5, 6]);
    const h = x.mul(w);
    h.sum().backward();
    assert.deepEqual(values(x.grad), [4, 5, 6]);
    assert.equal(w.grad, null);
    assert.equal(h.grad, null, 'intermediate tensors keep no .grad');
  });

  test('accumulates into .grad across backward calls', () => {
    const x = f64([1, 2], true);
    x.mul(x).sum().backward(); // 2x
    x.mul(3).sum().backward(); // + 3
    assert.deepEqual(values(x.grad), [5, 7]);
  });

  test('a tensor used twice gets both contributions', () => {
    const x = f64([3], true);
    const y = x.mul(x).add(x.mul(2)); // x² + 2x → 2x + 2
    y.backward();
    assert.deepEqual(values(x.grad), [8]);
  });

  test('the gradient of a broadcast operand has its shape and dtype', () => {
    const b = nb.tensor([1, 2, 3], { requiresGrad: true });
    const a = nb.ones([4, 3], { dtype: 'float64' });
    nb.add(a, b).sum().backward();
    assert.deepEqual(b.grad!.shape, [3]);
    assert.equal(b.grad!.dtype, 'float32');
    assert.deepEqual(values(b.grad), [4, 4, 4]);
  });

  test('a seed gradient for a non-scalar output', () => {
    const x = f64([1, 2], true);
    x.mul(x).backward(f64([1, 10]));
    assert.deepEqual(values(x.grad), [2, 40]);
  });

  test('backward() on a non-scalar without a gradient names the shape and the remedy', () => {
    const y = f64([1, 2], true).mul(2);
    assert.throws(() => y.backward(), {
      name: 'ShapeError',
      message: /^backward: the tensor has shape \[2\]; backward\(\) without a gradient argument only works on a scalar \(one element\)\. Reduce it first \(e\.g\. loss\.mean\(\)\.backward\(\)\)/,
    });
  });

  test('a seed gradient of the wrong shape is an error', () => {
    const y = f64([1, 2], true).mul(2);
    assert.throws(() => y.backward(f64([1, 2, 3])), { name: 'ShapeError', message: /^backward: the gradient has shape \[3\] but the tensor has shape \[2\]/ });
  });

  test('backward() on a tensor that needs no gradient is an error', () => {
    assert.throws(() => f64([1]).mul(2).backward(), { name: 'ValueError', message: /^backward: this tensor does not require gradients; set requiresGrad on the inputs/ });
  });

  test('running backward twice through a freed graph is an error naming retainGraph', () => {
    const x = f64([1, 2], true);
    const loss = x.mul(x).sum();
    loss.backward();
    assert.throws(() => loss.backward(), {
      name: 'ValueError',
      message: /^backward: the graph through '(sum|mul)' was already freed by an earlier backward\(\); pass \{ retainGraph: true \} to the first backward\(\)/,
    });
  });

  test('retainGraph keeps the graph for a second backward', () => {
    const x = f64([1, 2], true);
    const loss = x.mul(x).sum();
    loss.backward(undefined, { retainGraph: true });
    loss.backward();
    assert.deepEqual(values(x.grad), [4, 8]);
  });

  test('createGraph makes .grad differentiable (second derivative)', () => {
    const x = f64([2], true);
    x.pow(3).sum().backward(undefined, { createGraph: true }); // 3x² = 12
    const g = x.grad!;
    assert.deepEqual(values(g), [12]);
    assert.ok(g.requiresGrad);
    const [h] = nb.gradients(g.sum(), [x]); // 6x = 12
    assert.deepEqual(values(h!), [12]);
  });

  test('a float→int32 cast of a tensor that requires grad is allowed and carries no gradient', () => {
    const x = nb.tensor([1.7, -2.2], { requiresGrad: true });
    const i = nb.cast(x, 'int32');
    assert.equal(i.requiresGrad, false);
    assert.deepEqual(values(i), [1, -2]);
    assert.equal(nb.cast(x, 'bool').requiresGrad, false);
    assert.equal(nb.argmax(x).requiresGrad, false);
    assert.equal(nb.gt(x, 0).requiresGrad, false);
  });

  test('only float tensors can require gradients', () => {
    assert.throws(() => nb.tensor([1], { dtype: 'int32', requiresGrad: true }), {
      name: 'DTypeError',
      message: /^requiresGrad: only float tensors can require gradients, this one is int32; cast it with x\.cast\('float32'\)/,
    });
  });
});

describe('noGrad, enableGrad, detach', () => {
  test('noGrad records nothing and returns the result', () => {
    const x = f64([1, 2], true);
    const y = nb.noGrad(() => x.mul(2).exp());
    assert.equal(y.requiresGrad, false);
    assert.equal(y.node, null);
    assert.equal(nb.isGradEnabled(), true);
  });

  test('noGrad restores recording after a throw, and enableGrad works inside it', () => {
    assert.throws(() => nb.noGrad(() => {
      throw new Error('boom');
    }), /boom/);
    assert.equal(nb.isGradEnabled(), true);
    const x = f64([1], true);
    nb.noGrad(() => {
      assert.equal(nb.isGradEnabled(), false);
      assert.equal(nb.enableGrad(() => x.mul(2)).requiresGrad, true);
      assert.equal(nb.isGradEnabled(), false);
    });
  });

  test('noGrad keeps recording off until an async function settles', async () => {
    const x = f64([1], true);
    const p = nb.noGrad(async () => {
      await Promise.resolve();
      return x.mul(2);
    });
    assert.equal(nb.isGradEnabled(), false);
    assert.equal((await p).requiresGrad, false);
    assert.equal(nb.isGradEnabled(), true);
  });

  test('detach shares storage and stops the gradient', () => {
    const x = f64([3], true);
    const d = x.detach();
    assert.equal(d.storage, x.storage);
    assert.equal(d.requiresGrad, false);
    x.mul(d).sum().backward(); // d is a constant: gradient 3, not 6
    assert.deepEqual(values(x.grad), [3]);
  });
});

describe('grad and valueAndGrad', () => {
  test('grad(f) gives ∂f/∂x', () => {
    const df = nb.grad((x) => x.mul(x).sum());
    assert.deepEqual(values(df(f64([1, -2])) as Tensor), [2, -4]);
  });

  test('grad(grad(f)) gives the second derivative', () => {
    const f = (x: Tensor) => nb.sin(x).sum();
    const d2 = nb.grad((x) => (nb.grad(f)(x) as Tensor).sum());
    const x = f64([0.5]);
    assert.ok(Math.abs(values(d2(x) as Tensor)[0]! + Math.sin(0.5)) < 1e-12);
    const cube = nb.grad((y) => (nb.grad((z) => z.pow(3).sum())(y) as Tensor).sum());
    assert.deepEqual(values(cube(f64([2])) as Tensor), [12]); // d²(x³) = 6x
  });

  test('valueAndGrad returns both, one gradient per argument, and respects argnums', () => {
    const f = (a: Tensor, b: Tensor) => a.mul(b).sum();
    const { value, grad } = nb.valueAndGrad(f)(f64([2, 3]), f64([5, 7]));
    assert.equal(value.item(), 31);
    assert.equal(value.requiresGrad, false);
    const [ga, gb] = grad as Tensor[];
    assert.deepEqual(values(ga!), [5, 7]);
    assert.deepEqual(values(gb!), [2, 3]);
    const only = nb.valueAndGrad(f, { argnums: 1 })(f64([2, 3]), f64([5, 7]));
    assert.deepEqual(values(only.grad as Tensor), [2, 3]);
  });

  test('grad leaves its arguments untouched', () => {
    const x = f64([1, 2]);
    nb.grad((t) => t.mul(t).sum())(x);
    assert.equal(x.requiresGrad, false);
    assert.equal(x.grad, null);
  });

  test('a non-scalar function is an error naming the shape', () => {
    assert.throws(() => nb.grad((x) => x.mul(2))(f64([1, 2])), { name: 'ShapeError', message: /^grad: the function must return a scalar, got shape \[2\]; reduce it/ });
  });

  test('an int32 argument is an error', () => {
    assert.throws(() => nb.grad((x) => x.sum())(nb.tensor([1], { dtype: 'int32' })), { name: 'ValueError', message: /^grad: argument 0 is int32; only float tensors can be differentiated/ });
  });

  test('gradients of an unused input are zeros', () => {
    const x = f64([1, 2], true);
    const unused = f64([5], true);
    const [gx, gu] = nb.gradients(x.sum(), [x, unused]);
    assert.deepEqual(values(gx!), [1, 1]);
    assert.deepEqual(values(gu!), [0]);
  });
});
