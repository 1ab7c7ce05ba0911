import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { getInitializer, initializers, layers } from '../../src/nn/index.js';

function stats(t: nb.Tensor): { mean: number; std: number; min: number; max: number } {
  const d = Array.from(t.data());
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const std = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length);
  let min = Infinity;
  let max = -Infinity;
  for (const v of d) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { mean, std, min, max };
}

const within = (got: number, want: number, rel: number, what: string) =>
  assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `${what}: got ${got}, want ${want} ± ${rel * 100}%`);

test('computeFans follows Keras (dense, conv kernels, vectors, scalars)', () => {
  assert.deepEqual(initializers.computeFans([784, 256]), { fanIn: 784, fanOut: 256 });
  assert.deepEqual(initializers.computeFans([3, 3, 16, 32]), { fanIn: 144, fanOut: 288 });
  assert.deepEqual(initializers.computeFans([7]), { fanIn: 7, fanOut: 7 });
  assert.deepEqual(initializers.computeFans([]), { fanIn: 1, fanOut: 1 });
});

test('glorotUniform: uniform within ±sqrt(6/(fanIn+fanOut))', () => {
  const bound = Math.sqrt(6 / (400 + 200));
  const s = stats(initializers.glorotUniform().call([400, 200]));
  assert.ok(s.max <= bound && s.min >= -bound, 'inside the bound');
  assert.ok(s.max > 0.99 * bound && s.min < -0.99 * bound, 'reaches the bound');
  within(s.std, bound / Math.sqrt(3), 0.02, 'std of the uniform');
  assert.ok(Math.abs(s.mean) < 0.002);
});

test('heNormal: truncated normal with std sqrt(2/fanIn), values beyond two stddevs of the draw redrawn', () => {
  const fanIn = 500;
  const s = stats(initializers.heNormal().call([fanIn, 300]));
  within(s.std, Math.sqrt(2 / fanIn), 0.02, 'std');
  const cut = (2 * Math.sqrt(2 / fanIn)) / 0.87962566103423978;
  assert.ok(s.max <= cut + 1e-7 && s.min >= -cut - 1e-7, 'truncated');
  assert.ok(s.max > 0.98 * cut);
});

test('glorotNormal, heUniform, lecunNormal and the plain random initializers have their stated spread', () => {
  within(stats(initializers.glorotNormal().call([300, 500])).std, Math.sqrt(2 / 800), 0.02, 'glorotNormal std');
  const heU = stats(initializers.heUniform().call([300, 400]));
  assert.ok(heU.max <= Math.sqrt(6 / 300) && heU.max > 0.99 * Math.sqrt(6 / 300));
  within(stats(initializers.lecunNormal().call([400, 300])).std, Math.sqrt(1 / 400), 0.02, 'lecunNormal std');
  const rn = stats(initializers.randomNormal({ mean: 1, stddev: 0.5 }).call([100000]));
  within(rn.mean, 1, 0.01, 'randomNormal mean');
  within(rn.std, 0.5, 0.02, 'randomNormal std');
  const ru = stats(initializers.randomUniform({ minval: 2, maxval: 3 }).call([100000]));
  assert.ok(ru.min >= 2 && ru.max < 3);
  within(ru.mean, 2.5, 0.01, 'randomUniform mean');
  const tn = stats(initializers.truncatedNormal({ stddev: 1 }).call([100000]));
  assert.ok(tn.max <= 2 && tn.min >= -2, 'beyond two stddevs is redrawn');
  within(tn.std, 0.87962566103423978, 0.02, 'truncated std');
  assert.deepEqual(Array.from(initializers.zeros().call([3]).data()), [0, 0, 0]);
  assert.deepEqual(Array.from(initializers.ones().call([2]).data()), [1, 1]);
  assert.deepEqual(Array.from(initializers.constant(7).call([2]).data()), [7, 7]);
});

test('initializers reproduce under nb.manualSeed, and with a seed option', () => {
  const x = nb.ones([1, 5]);
  nb.manualSeed(42);
  const a = new layers.Dense(4);
  a.apply(x);
  nb.manualSeed(42);
  const b = new layers.Dense(4);
  b.apply(x);
  assert.deepEqual(a.kernel.toArray(), b.kernel.toArray());
  const c = new layers.Dense(4);
  c.apply(x);
  assert.notDeepEqual(a.kernel.toArray(), c.kernel.toArray(), 'the generator moves on');
  const seeded = initializers.heNormal({ seed: 3 });
  assert.deepEqual(seeded.call([3, 3]).toArray(), seeded.call([3, 3]).toArray());
});

test('getInitializer accepts camelCase, snake_case, class names and serialized objects', () => {
  assert.equal(getInitializer('he_normal').className, 'HeNormal');
  assert.equal(getInitializer('HeNormal').className, 'HeNormal');
  assert.equal(getInitializer('uniform').className, 'RandomUniform');
  const vs = getInitializer({ className: 'VarianceScaling', config: { scale: 2, mode: 'fan_out', distribution: 'uniform', seed: 1 } });
  assert.deepEqual(vs.getConfig(), { scale: 2, mode: 'fanOut', distribution: 'uniform', seed: 1 });
  const init = initializers.randomNormal({ stddev: 2, seed: 5 });
  const again = getInitializer(initializers.serializeInitializer(init));
  assert.deepEqual(again.call([4]).toArray(), init.call([4]).toArray());
  assert.throws(() => getInitializer('xavier'), /Unknown initializer 'xavier'\. Valid: glorotUniform, glorotNormal, heNormal/);
  assert.throws(() => initializers.varianceScaling({ mode: 'fanMiddle' }), /VarianceScaling: unknown mode 'fanMiddle'\. Valid: fanIn, fanOut, fanAvg/);
  assert.equal(initializers.glorotUniform().call([2, 2], { dtype: 'float64' }).dtype, 'float64');
  assert.throws(() => initializers.zeros().call([2], { dtype: 'int32' }), /weights are float32 or float64, got int32/);
});

test('every registered initializer name makes an initializer that round-trips through its serialized form', () => {
  assert.deepEqual(initializers.initializerNames(), [
    'glorotUniform', 'glorotNormal', 'heNormal', 'heUniform', 'lecunNormal', 'lecunUniform', 'zeros', 'ones', 'constant',
    'randomNormal', 'normal', 'randomUniform', 'uniform', 'truncatedNormal', 'varianceScaling', 'orthogonal',
  ]);
  for (const name of initializers.initializerNames()) {
    const init = getInitializer(name);
    const again = getInitializer(initializers.serializeInitializer(init));
    assert.equal(again.className, init.className, name);
    assert.deepEqual(again.getConfig(), init.getConfig(), name);
    assert.equal(getInitializer(init.className).className, init.className, `${name} is found by its class name`);
  }
  const he = getInitializer({ className: 'HeUniform', config: { seed: 7 } });
  assert.ok(he instanceof initializers.NamedScaling && he instanceof initializers.VarianceScaling);
  assert.deepEqual([he.scale, he.mode, he.distribution, he.getConfig()], [2, 'fanIn', 'uniform', { seed: 7 }]);
  assert.deepEqual(he.call([3, 2]).toArray(), initializers.varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'uniform', seed: 7 }).call([3, 2]).toArray());
});
