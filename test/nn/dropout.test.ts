import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { layers } from '../../src/nn/index.js';
import { runLayerTest } from './run-layer-test.js';

test('Dropout passes runLayerTest', () => {
  runLayerTest({ make: () => new layers.Dropout(0.3, { seed: 1 }), input: nb.randn([4, 6]), outputShape: [4, 6], trainable: {} });
});

test('Dropout is the identity in inference', () => {
  const x = nb.randn([3, 4]);
  const drop = new layers.Dropout(0.5);
  assert.equal(drop.apply(x), x);
  assert.equal(drop.apply(x, false), x);
  assert.equal(new layers.Dropout(0).apply(x, true), x);
});

test('Dropout in training zeroes about `rate` of the elements and scales the rest by 1/(1-rate)', () => {
  const x = nb.ones([4000], { requiresGrad: true });
  const y = new layers.Dropout(0.25, { seed: 3 }).apply(x, true);
  const values = Array.from(y.data());
  const zeros = values.filter((v) => v === 0).length;
  assert.ok(values.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6), 'every kept value is 1/(1-rate)');
  assert.ok(Math.abs(zeros / 4000 - 0.25) < 0.03, `about a quarter dropped, got ${zeros / 4000}`);
  // the gradient goes through the kept elements with the same scale
  y.sum().backward();
  assert.deepEqual(Array.from(x.grad!.data()), values);
});

test('Dropout is reproducible: by seed option, and by nb.manualSeed', () => {
  const x = nb.ones([50]);
  const a = new layers.Dropout(0.5, { seed: 9 }).apply(x, true);
  const b = new layers.Dropout(0.5, { seed: 9 }).apply(x, true);
  assert.deepEqual(a.toArray(), b.toArray());
  const drop = new layers.Dropout(0.5);
  nb.manualSeed(11);
  const c = drop.apply(x, true);
  nb.manualSeed(11);
  const d = drop.apply(x, true);
  assert.deepEqual(c.toArray(), d.toArray());
});

test('Dropout validates its rate', () => {
  assert.throws(() => new layers.Dropout(1), /Dropout: rate must be a number in \[0, 1\), got 1/);
  assert.throws(() => new layers.Dropout(-0.1), /Dropout: rate must be a number in \[0, 1\), got -0.1/);
});
