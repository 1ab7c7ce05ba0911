import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { getRegularizer, regularizers } from '../../src/nn/index.js';

const w = nb.tensor([1, -2, 3], { dtype: 'float64' });
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);

test('l1, l2 and l1l2 penalties with Keras defaults (0.01)', () => {
  close(regularizers.l1().call(w).item(), 0.01 * 6);
  close(regularizers.l2().call(w).item(), 0.01 * 14);
  close(regularizers.l1l2().call(w).item(), 0.01 * 6 + 0.01 * 14);
  close(regularizers.l1l2({ l1: 0, l2: 0.5 }).call(w).item(), 7);
  close(regularizers.l2(0.1).call(w).item(), 1.4);
});

test('getRegularizer: names, serialized objects, null, and unknown names', () => {
  assert.equal(getRegularizer(null), null);
  assert.equal(getRegularizer(undefined), null);
  assert.equal(getRegularizer('l2')!.getConfig().l2, 0.01);
  assert.deepEqual(getRegularizer('l1_l2')!.getConfig(), { l1: 0.01, l2: 0.01 });
  const r = regularizers.l1l2({ l1: 0.2, l2: 0.3 });
  const again = getRegularizer(regularizers.serializeRegularizer(r)!)!;
  assert.deepEqual(again.getConfig(), { l1: 0.2, l2: 0.3 });
  assert.equal(getRegularizer(r), r);
  assert.throws(() => getRegularizer('l3'), /Unknown regularizer 'l3'\. Valid: l1, l2, l1l2/);
  assert.throws(() => regularizers.l2(-1), /L2: l2 must be a non-negative number, got -1/);
});

test('a penalty is differentiable with respect to the weight', () => {
  const v = nb.tensor([1, -2], { dtype: 'float64', requiresGrad: true });
  regularizers.l1l2({ l1: 0.5, l2: 0.25 }).call(v).backward();
  assert.deepEqual(v.grad!.toArray(), [0.5 + 0.5, -0.5 - 1]);
});
