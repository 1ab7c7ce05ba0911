// nb.grad's result types (issue 11, item 7): one tensor for a function of one tensor, an array
// for several; `npm run typecheck` compiles this file, so a wrong type fails it. And Tensor.clone().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

const f64 = (v: nb.NestedArray, requiresGrad = false) => nb.tensor(v, { dtype: 'float64', requiresGrad });
const values = (t: Tensor | null) => Array.from(t!.data());

test('grad of a function of one tensor is a Tensor; of several, an array; argnums picks', () => {
  const x = f64([1, -2]);
  const y = f64([3, 4]);
  const gx: Tensor = nb.grad((t) => t.mul(t).sum())(x);
  assert.deepEqual(values(gx), [2, -4]);
  const [ga, gb]: Tensor[] = nb.grad((a, b) => a.mul(b).sum())(x, y);
  assert.deepEqual([values(ga!), values(gb!)], [[3, 4], [1, -2]]);
  const second: Tensor = nb.grad((t) => nb.grad((z) => z.pow(3).sum())(t).sum())(f64([2]));
  assert.deepEqual(values(second), [12]);
  const one: Tensor = nb.grad((a: Tensor, b: Tensor) => a.mul(b).sum(), { argnums: 1 })(x, y);
  assert.deepEqual(values(one), [1, -2]);
  // an array of argnums asks for an array, even of one gradient (as JAX)
  const listed: Tensor[] = nb.grad((a: Tensor, b: Tensor) => a.mul(b).sum(), { argnums: [1] })(x, y);
  assert.equal(listed.length, 1);
  assert.deepEqual(values(listed[0]!), [1, -2]);
  const vg: { value: Tensor; grad: Tensor } = nb.valueAndGrad((t) => t.sum())(x);
  assert.deepEqual([vg.value.item(), values(vg.grad)], [-1, [1, 1]]);
  // @ts-expect-error a function of one tensor gives one gradient, not an array
  const wrong: Tensor[] = nb.grad((t) => t.sum())(x);
  assert.ok(wrong instanceof nb.Tensor);
});

test('Tensor.clone(): a copy in storage of its own, through which the gradient flows', () => {
  const x = f64([[1, 2, 3], [4, 5, 6]], true);
  const c = x.clone();
  assert.notEqual(c.storage, x.storage);
  assert.deepEqual(c.toArray(), x.toArray());
  assert.equal(c.requiresGrad, true);
  assert.equal(c.isLeaf, false, 'it stays in the graph, unlike detach()');
  c.mul(f64([[1, 2, 3], [4, 5, 6]])).sum().backward();
  assert.deepEqual(x.grad!.toArray(), [[1, 2, 3], [4, 5, 6]]);
  x.storage[0] = 100;
  assert.deepEqual(c.toArray(), [[1, 2, 3], [4, 5, 6]], 'writing the original leaves the clone as it was');

  const view = nb.transpose(f64([[1, 2], [3, 4]]));
  const copy = nb.clone(view);
  assert.equal(copy.isContiguous, true);
  assert.deepEqual(copy.toArray(), [[1, 3], [2, 4]]);
  for (const t of [nb.tensor([1, 2], { dtype: 'int32' }), nb.tensor([true, false])]) {
    const k = t.clone();
    assert.equal(k.dtype, t.dtype);
    assert.deepEqual(k.toArray(), t.toArray());
    assert.notEqual(k.storage, t.storage);
  }
  assert.equal(nb.noGrad(() => f64([1], true).clone()).requiresGrad, false);
  // gradients of gradients pass through it too: d²(x³)/dx² = 6x
  assert.deepEqual(values(nb.grad((t) => nb.grad((z) => z.clone().pow(3).sum())(t).sum())(f64([2]))), [12]);
  assert.ok(nb.testing.gradcheck((t) => t.clone().mul(t).sum(), [f64([0.5, -1])]).ok);
});
