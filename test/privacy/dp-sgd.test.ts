import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { PrivateEngine, resolvePrivacy } from '../../src/privacy/dp-sgd.js';
import { SecureRandom } from '../../src/tensor/secure-random.js';

const { layers } = nb;
const f64 = { dtype: 'float64' as const };

test('the clipped, noised update has the right mean and variance (seeded noise; 4 standard errors)', () => {
  nb.manualSeed(11);
  const model = new nb.Sequential([new layers.Dense(2, f64)]);
  const x = nb.randn([5, 3], f64).mul(3), y = nb.randn([5, 2], f64);
  model.apply(x);
  const C = 6, sigma = 0.8, expected = 4;
  const engine = new PrivateEngine(model, { noiseMultiplier: sigma, maxGradNorm: C, delta: 1e-5, sampleRate: 0.01, expectedBatchSize: expected, noiseSeed: 7 });
  engine.sampler.run(() => nb.sum(nb.mul(nb.sub(model.apply(x, true), y), nb.sub(model.apply(x, true), y))).backward());
  // the exact clipped sum, by hand from a batch-1 loop
  const params = model.namedParameters().map(([, t]) => t);
  const clipped = params.map((p) => new Float64Array(p.size));
  let clippedCount = 0;
  for (let i = 0; i < 5; i++) {
    const xi = nb.slice(x, [[i, i + 1]]), yi = nb.slice(y, [[i, i + 1]]);
    const d = nb.sub(model.apply(xi), yi);
    const gs = nb.gradients(nb.sum(nb.mul(d, d)), params);
    const norm = Math.sqrt(gs.reduce((a, g) => a + nb.sum(nb.mul(g, g)).item(), 0));
    const c = Math.min(1, C / (norm + 1e-6));
    if (norm > C) clippedCount++;
    gs.forEach((g, k) => g.data().forEach((v, j) => { clipped[k]![j]! += c * v; }));
  }
  assert.ok(clippedCount >= 1 && clippedCount <= 4, `${clippedCount} of 5 examples clipped: the check needs both kinds`);
  const trials = 4000;
  const sum1 = params.map((p) => new Float64Array(p.size)), sum2 = params.map((p) => new Float64Array(p.size));
  for (let t = 0; t < trials; t++) {
    for (const p of params) p.grad = null;
    engine.privatize();
    params.forEach((p, k) => p.grad!.data().forEach((v, j) => { sum1[k]![j]! += v; sum2[k]![j]! += v * v; }));
  }
  const std = (sigma * C) / expected;
  params.forEach((p, k) => {
    for (let j = 0; j < p.size; j++) {
      const mean = sum1[k]![j]! / trials;
      const variance = sum2[k]![j]! / trials - mean * mean;
      const want = clipped[k]![j]! / expected;
      assert.ok(Math.abs(mean - want) < (4 * std) / Math.sqrt(trials), `mean ${mean} vs ${want}`);
      // the sample variance's standard error is σ²·√(2/(n−1))
      assert.ok(Math.abs(variance - std * std) < 4 * std * std * Math.sqrt(2 / (trials - 1)), `variance ${variance} vs ${std * std}`);
    }
  });
  assert.equal(engine.steps, trials);
  engine.detach();
});

test('secure noise: crypto-backed uniforms in [0, 1) and normals with mean 0, variance 1', () => {
  const rng = new SecureRandom();
  const n = 200_000, z = new Float64Array(n);
  rng.normals(z);
  const mean = z.reduce((a, v) => a + v, 0) / n;
  const variance = z.reduce((a, v) => a + (v - mean) ** 2, 0) / n;
  assert.ok(Math.abs(mean) < 4 / Math.sqrt(n), `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 4 * Math.sqrt(2 / n), `variance ${variance}`);
  for (let i = 0; i < 1000; i++) { const u = rng.uniform(); assert.ok(u >= 0 && u < 1); }
});

test("DataLoader sampling: 'poisson': each example with probability batchSize/n, seeded draws reproducible, round(n/batchSize) batches", () => {
  const x = nb.arange(0, 1000).reshape([1000, 1]);
  const loader = new nb.DataLoader([x], { batchSize: 50, sampling: 'poisson', seed: 3 });
  assert.equal(loader.length, 20);
  assert.equal(loader.sampleRate, 0.05);
  const counts = new Float64Array(1000);
  let batches = 0, total = 0;
  for (let e = 0; e < 20; e++) {
    for (const [xb] of loader) {
      batches++;
      total += xb.shape[0]!;
      const v = xb.data();
      for (let i = 1; i < v.length; i++) assert.ok(v[i]! > v[i - 1]!, 'indices in order, no repeats');
      v.forEach((i) => { counts[i]!++; });
    }
  }
  assert.equal(batches, 400);
  // 400 batches × 1000 × 0.05 = 20,000 expected draws, sd √(20000·0.95) ≈ 138
  assert.ok(Math.abs(total - 20000) < 4 * 138, `total ${total}`);
  const again = [...new nb.DataLoader([x], { batchSize: 50, sampling: 'poisson', seed: 3 })].map(([b]) => b.data().join());
  const first = [...new nb.DataLoader([x], { batchSize: 50, sampling: 'poisson', seed: 3 })].map(([b]) => b.data().join());
  assert.deepEqual(again, first);
  assert.throws(() => new nb.DataLoader([x], { batchSize: 50, sampling: 'poisson', shuffle: true }), /sampling: 'poisson' draws each batch at random by itself; leave out shuffle/);
  assert.throws(() => new nb.DataLoader([x], { sampling: 'uniform' as never }), /sampling must be 'epoch' or 'poisson'/);
});

function blobs(n: number, seed: number): [nb.Tensor, nb.Tensor] {
  const g = new nb.Generator(seed);
  const x = new Float32Array(n * 2), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    x[2 * i] = (y[i] ? 1.5 : -1.5) + g.normal() * 0.5;
    x[2 * i + 1] = g.normal() * 0.5;
  }
  return [nb.tensor(x).reshape([n, 2]), nb.tensor(y)];
}

test('fit with compile({ privacy }): learns, logs ε per epoch as the accountant computes it, restores the layers', async () => {
  nb.manualSeed(1);
  const [x, y] = blobs(2000, 1);
  const model = new nb.Sequential([new layers.Dense(8, { activation: 'tanh' }), new layers.Dense(2, { activation: 'softmax' })]);
  model.compile({ optimizer: new nb.optim.SGD({ learningRate: 0.5 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], privacy: { noiseMultiplier: 1.1, maxGradNorm: 1, delta: 1e-5, noiseSeed: 5 } });
  const history = await model.fit(x, y, { epochs: 3, batchSize: 100, verbose: 0 });
  const eps = history.history['epsilon']!;
  assert.equal(eps.length, 3);
  eps.forEach((e, k) => assert.ok(Math.abs(e - nb.privacy.computeEpsilon({ sampleRate: 0.05, noiseMultiplier: 1.1, steps: 20 * (k + 1), delta: 1e-5 })) < 1e-12));
  const r = await model.evaluate(x, y);
  assert.ok(r['accuracy']! > 0.9, `accuracy ${r['accuracy']}`);
  assert.equal(model.privateEngine, null);
  assert.equal(Object.prototype.hasOwnProperty.call(model.layers[0]!, 'call'), false);
});

test('fit with targetEpsilon: the noise is computed so that the run spends at most that ε', async () => {
  nb.manualSeed(2);
  const [x, y] = blobs(1000, 2);
  const model = new nb.Sequential([new layers.Dense(2, { activation: 'softmax' })]);
  model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', privacy: { targetEpsilon: 2, maxGradNorm: 1, delta: 1e-4 } });
  const history = await model.fit(x, y, { epochs: 2, batchSize: 100, verbose: 0 });
  const last = history.history['epsilon']!.at(-1)!;
  assert.ok(last <= 2 && last > 1.98, `ε = ${last}`);
});

test('makePrivate: a hand-written loop trains privately; ε grows with the steps', () => {
  nb.manualSeed(3);
  const [x, y] = blobs(1000, 3);
  const net = new nb.Sequential([new layers.Dense(2, { activation: 'softmax' })]);
  net.build([null, 2]);
  const { model, optimizer, dataLoader, noiseMultiplier } = nb.privacy.makePrivate({
    model: net, optimizer: new nb.optim.SGD(net.parameters(), { learningRate: 0.5 }), dataLoader: new nb.DataLoader([x, y], { batchSize: 100 }),
    noiseMultiplier: 1, maxGradNorm: 1, delta: 1e-5, noiseSeed: 9,
  });
  assert.equal(noiseMultiplier, 1);
  let steps = 0;
  for (let e = 0; e < 3; e++) {
    for (const [xb, yb] of dataLoader) {
      optimizer.zeroGrad();
      nb.losses.sparseCategoricalCrossentropy(yb!, model.apply(xb!, true)).backward();
      optimizer.step();
      steps++;
    }
  }
  assert.equal(steps, 30);
  assert.ok(Math.abs(optimizer.epsilon() - nb.privacy.computeEpsilon({ sampleRate: 0.1, noiseMultiplier: 1, steps: 30, delta: 1e-5 })) < 1e-12);
  const acc = nb.mean(nb.eq(nb.argmax(model.apply(x), -1), y).cast('float32')).item();
  assert.ok(acc > 0.9, `accuracy ${acc}`);
});

test('private training errors: BatchNorm, δ ≥ 1/n, unreachable ε, bad settings, a weight used outside its layer', async () => {
  const bn = new nb.Sequential([new layers.Dense(4), new layers.BatchNormalization({ name: 'bn1' }), new layers.Dense(2)]);
  bn.build([null, 3]);
  assert.throws(() => bn.compile({ optimizer: 'sgd', loss: 'mse', privacy: { noiseMultiplier: 1, maxGradNorm: 1, delta: 1e-5 } }),
    /BatchNormalization 'bn1' mixes the examples of a batch .* use GroupNormalization/);
  const [x, y] = blobs(100, 4);
  const m = new nb.Sequential([new layers.Dense(2, { activation: 'softmax' })]);
  m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', privacy: { noiseMultiplier: 1, maxGradNorm: 1, delta: 0.02 } });
  await assert.rejects(m.fit(x, y, { epochs: 1, verbose: 0 }), /privacy.delta = 0.02 is not below 1\/n = 0.0100 for 100 examples/);
  m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', privacy: { targetEpsilon: 1e-3, maxGradNorm: 1, delta: 1e-3 } });
  await assert.rejects(m.fit(x, y, { epochs: 50, batchSize: 100, verbose: 0 }), /ε = 0.001 is out of reach for sampleRate 1, 50 steps/);
  assert.throws(() => m.compile({ optimizer: 'sgd', loss: 'mse', privacy: { maxGradNorm: 1, delta: 1e-5 } }), /privacy needs exactly one of noiseMultiplier .* or targetEpsilon/);
  assert.throws(() => m.compile({ optimizer: 'sgd', loss: 'mse', privacy: { noiseMultiplier: 1, maxGradNorm: 0, delta: 1e-5 } }), /privacy.maxGradNorm must be a finite number > 0, got 0/);
  assert.throws(() => m.compile({ optimizer: 'sgd', loss: 'mse', privacy: { noiseMultiplier: 1, maxGradNorm: 1, delta: 1e-5, clip: 1 } as never }), /privacy has no option 'clip'/);
  assert.throws(() => resolvePrivacy('x', { noiseMultiplier: 1, maxGradNorm: 1, delta: 1 }, 100, 10, 1), /privacy.delta must be a number in \(0, 1\)/);
  // a weight read by another layer (tied weights) would escape clipping and noise
  class Tied extends nb.Layer {
    readonly a = new layers.Dense(2, { name: 'a' });
    call(x: nb.Tensor): nb.Tensor { const h = this.a.apply(x); return nb.matmul(h, this.a.kernel); }
  }
  const tied = new Tied();
  tied.apply(nb.randn([3, 2]));
  const engine = new PrivateEngine(tied, resolvePrivacy('t', { noiseMultiplier: 1, maxGradNorm: 1, delta: 1e-5, noiseSeed: 1 }, 1000, 10, 1));
  engine.sampler.run(() => nb.sum(tied.apply(nb.randn([3, 2]), true)).backward());
  assert.throws(() => engine.privatize(), /the weight 'a.kernel' got a gradient outside the per-example computation .* tied embeddings/);
  engine.detach();
});
