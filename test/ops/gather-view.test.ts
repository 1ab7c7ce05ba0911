import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

// A view of the first rows of a batch starts at offset 0 of a larger storage: gather and its
// gradient (scatterAdd) once read the rows after the view as well (NaN gradients).
test('embedding lookup and its gradient on the first rows of a batch (a view at offset 0) equal those on a copy', () => {
  const ids = nb.tensor([[1, 2, 2, 0, 5], [3, 3, 3, 1, 0]], { dtype: 'int32' });
  const table = nb.randn([8, 4], { dtype: 'float64' }).requireGrad();
  const w = nb.randn([1, 5, 4], { dtype: 'float64' });
  const view = nb.slice(ids, [[0, 1]]);
  const copy = nb.tensor([[1, 2, 2, 0, 5]], { dtype: 'int32' });
  assert.deepEqual(nb.embedding(view, table).data(), nb.embedding(copy, table).data());
  const [gv] = nb.gradients(nb.sum(nb.mul(nb.embedding(view, table), w)), [table]);
  const [gc] = nb.gradients(nb.sum(nb.mul(nb.embedding(copy, table), w)), [table]);
  assert.deepEqual(gv!.data(), gc!.data());
  assert.ok(gv!.data().every(Number.isFinite));
});
