// WeightedLayer: the activation, useBias and each weight's initializer and regularizer, shared by
// Dense and the convolutions — resolved once, written to the config in one order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { layers } from '../../src/nn/index.js';

test('each weight\'s initializer and regularizer are resolved from its options, with the defaults', () => {
  const sep = new layers.SeparableConv2D(4, 3, { pointwiseInitializer: 'he_normal', depthwiseRegularizer: 'l1', biasRegularizer: nb.regularizers.l2(0.5) });
  assert.deepEqual(Object.keys(sep.initializers), ['depthwise', 'pointwise', 'bias']);
  assert.deepEqual(Object.values(sep.initializers).map((i) => i.className), ['GlorotUniform', 'HeNormal', 'Zeros']);
  assert.deepEqual(Object.values(sep.regularizers).map((r) => r && r.getConfig()), [{ l1: 0.01 }, null, { l2: 0.5 }]);
  const dense = new layers.Dense(2, { useBias: false, activation: 'relu' });
  assert.deepEqual(Object.keys(dense.initializers), ['kernel', 'bias']);
  assert.equal(dense.activation, nb.activations.relu);
  dense.apply(nb.ones([1, 3]));
  assert.equal(dense.bias, null);
  assert.deepEqual(dense.namedWeights().map(([n]) => n), ['kernel']);
});

test('configs list activation, useBias, the initializers, then the regularizers, after the layer\'s own fields', () => {
  assert.deepEqual(Object.keys(new layers.Dense(2, { name: 'd' }).getConfig()), [
    'name', 'trainable', 'dtype', 'units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer',
  ]);
  const keys = Object.keys(new layers.SeparableConv2D(4, 3).getConfig());
  assert.deepEqual(keys.slice(keys.indexOf('depthMultiplier')), [
    'depthMultiplier', 'activation', 'useBias', 'depthwiseInitializer', 'pointwiseInitializer', 'biasInitializer',
    'depthwiseRegularizer', 'pointwiseRegularizer', 'biasRegularizer',
  ]);
  const dw = new layers.DepthwiseConv2D(3, { depthwiseRegularizer: 'l2', activation: 'tanh' }).getConfig();
  assert.deepEqual(dw.depthwiseRegularizer, { className: 'L2', config: { l2: 0.01 } });
  assert.equal(dw.activation, 'tanh');
  assert.deepEqual(dw.depthwiseInitializer, { className: 'GlorotUniform', config: { seed: null } });
});

test("Keras' attribute names (kernelInitializer, biasRegularizer, …) still read each weight's initializer and regularizer", () => {
  const dense = new layers.Dense(2, { kernelInitializer: 'he_normal', kernelRegularizer: 'l2' });
  assert.equal(dense.kernelInitializer.className, 'HeNormal');
  assert.equal(dense.biasInitializer.className, 'Zeros');
  assert.deepEqual(dense.kernelRegularizer?.getConfig(), { l2: 0.01 });
  assert.equal(dense.biasRegularizer, null);
  const conv = new layers.Conv2D(3, 3, { biasInitializer: 'ones' });
  assert.equal(conv.kernelInitializer.className, 'GlorotUniform');
  assert.equal(conv.biasInitializer.className, 'Ones');
  const sep = new layers.SeparableConv2D(4, 3, { pointwiseInitializer: 'lecun_normal' });
  assert.equal(sep.pointwiseInitializer.className, 'LecunNormal');
  assert.equal(sep.depthwiseInitializer.className, 'GlorotUniform');
  assert.equal(new layers.DepthwiseConv2D(3, { depthwiseRegularizer: 'l1' }).depthwiseRegularizer?.getConfig().l1, 0.01);
});
