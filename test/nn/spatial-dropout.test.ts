import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { runLayerTest } from './run-layer-test.js';

const g = (seed: number) => new nb.Generator(seed);

/**
 * For every (sample, channel) of `y = drop(x)`, whether the channel was dropped: asserts that it is
 * either zero at every position or exactly `x/(1 − rate)` at every position. `at(n, c, p)` is the
 * flat index of sample n, channel c, spatial position p.
 */
function channelFates(x: nb.Tensor, y: nb.Tensor, rate: number, n: number, c: number, positions: number, at: (n: number, c: number, p: number) => number): boolean[] {
  const xs = x.data();
  const ys = y.data();
  const dropped: boolean[] = [];
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < c; k++) {
      const zero = ys[at(i, k, 0)] === 0;
      for (let p = 0; p < positions; p++) {
        const want = zero ? 0 : xs[at(i, k, p)]! / (1 - rate);
        assert.ok(Math.abs(ys[at(i, k, p)]! - want) < 1e-5, `sample ${i} channel ${k} position ${p}: ${ys[at(i, k, p)]} != ${want} (channel ${zero ? 'dropped' : 'kept'})`);
      }
      dropped.push(zero);
    }
  }
  return dropped;
}

test('SpatialDropout1D and SpatialDropout2D pass runLayerTest', () => {
  runLayerTest({ make: () => new nb.layers.SpatialDropout1D(0.3, { seed: 1 }), input: nb.randn([2, 5, 4], { generator: g(1) }), outputShape: [2, 5, 4], trainable: {} });
  runLayerTest({
    make: () => new nb.layers.SpatialDropout2D(0.4, { seed: 2, dataFormat: 'channelsFirst' }),
    input: nb.randn([2, 3, 4, 5], { generator: g(2) }),
    outputShape: [2, 3, 4, 5],
    trainable: {},
  });
});

test('SpatialDropout2D (channelsLast) drops whole channels, scales the kept ones, at about `rate`', () => {
  const [N, H, W, C] = [8, 3, 4, 100];
  // values offset from 0 so that a kept element is never zero
  const x = nb.rand([N, H, W, C], { generator: g(3) }).add(0.5);
  const rate = 0.3;
  const y = new nb.layers.SpatialDropout2D(rate, { seed: 4 }).apply(x, true);
  assert.deepEqual(y.shape, [N, H, W, C]);
  const dropped = channelFates(x, y, rate, N, C, H * W, (n, c, p) => (n * H * W + p) * C + c);
  const fraction = dropped.filter(Boolean).length / dropped.length;
  // 800 Bernoulli(0.3) draws: standard deviation ≈ 0.016
  assert.ok(Math.abs(fraction - rate) < 0.06, `dropped fraction ${fraction} is not near ${rate}`);
  // different samples get different masks
  assert.notDeepEqual(dropped.slice(0, C), dropped.slice(C, 2 * C));
});

test('SpatialDropout2D channelsFirst drops whole [H, W] maps of one channel', () => {
  const [N, C, H, W] = [4, 50, 3, 2];
  const x = nb.rand([N, C, H, W], { generator: g(5) }).add(0.5);
  const rate = 0.5;
  const y = new nb.layers.SpatialDropout2D(rate, { seed: 6, dataFormat: 'channelsFirst' }).apply(x, true);
  const dropped = channelFates(x, y, rate, N, C, H * W, (n, c, p) => (n * C + c) * H * W + p);
  const fraction = dropped.filter(Boolean).length / dropped.length;
  assert.ok(Math.abs(fraction - rate) < 0.12, `dropped fraction ${fraction} is not near ${rate}`);
});

test('SpatialDropout1D drops whole channels of a sequence, in both data formats', () => {
  const [N, T, C] = [6, 7, 40];
  const rate = 0.25;
  const last = nb.rand([N, T, C], { generator: g(7) }).add(0.5);
  const yl = new nb.layers.SpatialDropout1D(rate, { seed: 8 }).apply(last, true);
  const dl = channelFates(last, yl, rate, N, C, T, (n, c, t) => (n * T + t) * C + c);
  assert.ok(Math.abs(dl.filter(Boolean).length / dl.length - rate) < 0.08);
  const first = nb.rand([N, C, T], { generator: g(9) }).add(0.5);
  const yf = new nb.layers.SpatialDropout1D(rate, { seed: 10, dataFormat: 'channelsFirst' }).apply(first, true);
  const df = channelFates(first, yf, rate, N, C, T, (n, c, t) => (n * C + c) * T + t);
  assert.ok(Math.abs(df.filter(Boolean).length / df.length - rate) < 0.08);
});

test('SpatialDropout2D: the gradient flows through kept channels with the same 1/(1-rate) scale', () => {
  const x = nb.ones([2, 3, 3, 8], { requiresGrad: true });
  const y = new nb.layers.SpatialDropout2D(0.5, { seed: 11 }).apply(x, true);
  y.sum().backward();
  assert.deepEqual(Array.from(x.grad!.data()), Array.from(y.data()));
  assert.ok(Array.from(y.data()).every((v) => v === 0 || v === 2));
});

test('SpatialDropout is reproducible by seed and by nb.manualSeed; distinct seeds differ', () => {
  const x = nb.ones([4, 5, 5, 16]);
  const a = new nb.layers.SpatialDropout2D(0.5, { seed: 12 }).apply(x, true);
  const b = new nb.layers.SpatialDropout2D(0.5, { seed: 12 }).apply(x, true);
  const c = new nb.layers.SpatialDropout2D(0.5, { seed: 13 }).apply(x, true);
  assert.deepEqual(a.toArray(), b.toArray());
  assert.notDeepEqual(a.toArray(), c.toArray());
  const drop = new nb.layers.SpatialDropout1D(0.5);
  const s = nb.ones([4, 6, 16]);
  nb.manualSeed(14);
  const d = drop.apply(s, true);
  nb.manualSeed(14);
  const e = drop.apply(s, true);
  assert.deepEqual(d.toArray(), e.toArray());
});

test('SpatialDropout is the identity in inference and with rate 0', () => {
  const x = nb.randn([2, 4, 4, 3], { generator: g(15) });
  const drop = new nb.layers.SpatialDropout2D(0.5, { seed: 1 });
  assert.equal(drop.apply(x), x);
  assert.equal(drop.apply(x, false), x);
  assert.equal(new nb.layers.SpatialDropout2D(0).apply(x, true), x);
  const s = nb.randn([2, 4, 3], { generator: g(16) });
  assert.equal(new nb.layers.SpatialDropout1D(0.5).apply(s), s);
});

test('SpatialDropout validates rate, dataFormat and input rank', () => {
  assert.throws(() => new nb.layers.SpatialDropout2D(1), /SpatialDropout2D: rate must be a number in \[0, 1\), got 1/);
  assert.throws(() => new nb.layers.SpatialDropout1D(-0.2), /SpatialDropout1D: rate must be a number in \[0, 1\), got -0.2/);
  assert.throws(
    () => new nb.layers.SpatialDropout2D(0.2, { dataFormat: 'nhwc' as 'channelsLast' }),
    /SpatialDropout2D: dataFormat must be 'channelsLast' or 'channelsFirst', got "nhwc"/,
  );
  assert.throws(
    () => new nb.layers.SpatialDropout2D(0.2).apply(nb.randn([2, 3, 4]), true),
    /SpatialDropout2D '.*': expected a 4-D input \[batch, height, width, channels\], got shape \[2,3,4\]/,
  );
  assert.throws(
    () => new nb.layers.SpatialDropout1D(0.2, { dataFormat: 'channelsFirst' }).apply(nb.randn([2, 3]), true),
    /SpatialDropout1D '.*': expected a 3-D input \[batch, channels, steps\], got shape \[2,3\]/,
  );
});

test('SpatialDropout2D survives a JSON config round trip with its options', () => {
  const layer = new nb.layers.SpatialDropout2D(0.2, { seed: 5, dataFormat: 'channelsFirst', name: 'sd' });
  const config = layer.getConfig();
  assert.equal(config.rate, 0.2);
  assert.equal(config.dataFormat, 'channelsFirst');
  assert.equal(config.seed, 5);
  const copy = nb.layers.SpatialDropout2D.fromConfig(JSON.parse(JSON.stringify(config)));
  assert.deepEqual(copy.getConfig(), config);
});
