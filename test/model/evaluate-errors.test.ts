// evaluate's errors name evaluate (not fit, whose data helpers it shares), and fit's still name fit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { mlp, quiet, toyData } from './helpers.js';

function compiled(): nb.Sequential {
  const model = mlp();
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  return model;
}

test('evaluate: a bad batchSize, a malformed batch, or data that is not batches are reported as evaluate errors', async () => {
  const { x, y } = toyData(8);
  const model = compiled();
  await assert.rejects(model.evaluate(x, y, { batchSize: 0 }), { message: 'evaluate: batchSize must be a positive integer, got 0' });
  await assert.rejects(model.evaluate([x, y], undefined, { batchSize: 2.5 }), { message: 'evaluate: batchSize must be a positive integer, got 2.5' });
  await assert.rejects(model.evaluate([[x]] as never), { message: 'evaluate: each batch must be [x, y] or {x, y} with tensors' });
  await assert.rejects(model.evaluate(42 as never), /^ValueError: evaluate: x must be a tensor \(with y\), an \[x, y\] pair or an iterable of \[x, y\] batches \(a DataLoader\), got number$/);
  await assert.rejects(model.evaluate(x, y.slice('0:4')), { message: 'evaluate: x [8,4] and y [4] must have the same number of samples (first dimension)' });
});

test('fit: the same mistakes still name fit', async () => {
  const { x, y } = toyData(8);
  const model = compiled();
  await assert.rejects(model.fit(x, y, { batchSize: 0, stream: quiet }), { message: 'fit: batchSize must be a positive integer, got 0' });
  await assert.rejects(model.fit([[x]] as never, { stream: quiet }), { message: 'fit: each batch must be [x, y] or {x, y} with tensors' });
});
