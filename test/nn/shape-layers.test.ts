import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { layers } from '../../src/nn/index.js';
import { runLayerTest } from './run-layer-test.js';

test('Flatten passes runLayerTest', () => {
  runLayerTest({ make: () => new layers.Flatten(), input: nb.randn([2, 3, 4]), outputShape: [2, 12], trainable: {} });
});

test('Flatten keeps the batch dim; a 1-D input becomes [N, 1]', () => {
  const f = new layers.Flatten();
  assert.deepEqual(f.apply(nb.zeros([5])).shape, [5, 1]);
  assert.deepEqual(f.apply(nb.zeros([2, 2, 2, 2])).shape, [2, 8]);
  assert.deepEqual(f.apply(nb.zeros([0, 3])).shape, [0, 3]);
  assert.throws(() => f.apply(nb.tensor(1)), /Flatten 'flatten\w*': needs a batch dim/);
});

test('Reshape passes runLayerTest', () => {
  runLayerTest({ make: () => new layers.Reshape([3, -1]), input: nb.randn([2, 12]), outputShape: [2, 3, 4], trainable: {} });
});

test('Reshape checks its target shape and the input size', () => {
  assert.throws(() => new layers.Reshape([-1, -1]), /Reshape: only one entry of targetShape may be -1/);
  assert.throws(() => new layers.Reshape([0, 2]), /Reshape: targetShape must list positive integers/);
  const r = new layers.Reshape([5]);
  assert.throws(() => r.apply(nb.zeros([2, 6])), /Reshape 'reshape\w*': cannot reshape samples of shape \[6\] \(6 elements\) into \[5\]/);
  assert.throws(() => new layers.Reshape([4, -1]).apply(nb.zeros([2, 6])), /cannot reshape samples of shape \[6\]/);
});

test('Activation passes runLayerTest and applies its function', () => {
  runLayerTest({ make: () => new layers.Activation('softmax'), input: nb.randn([3, 4]), outputShape: [3, 4], trainable: {} });
  const y = new layers.Activation('relu').apply(nb.tensor([-1, 2]));
  assert.deepEqual(y.toArray(), [0, 2]);
  assert.throws(() => new layers.Activation('rleu'), /Unknown activation 'rleu'\. Valid: relu, /);
});
