import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { functionalCall } from '../../src/nn/index.js';
import { runLayerTest } from './run-layer-test.js';

const g = (seed: number) => new nb.Generator(seed);

/**
 * Group norm of channels-last data `[N, S..., C]` written as plain loops: for each sample and
 * group, the mean and biased variance over every position and the group's C/G channels.
 */
function referenceGroupNorm(x: ArrayLike<number>, n: number, positions: number, c: number, groups: number, eps: number, gamma: ArrayLike<number>, beta: ArrayLike<number>): number[] {
  const out = new Array<number>(n * positions * c).fill(NaN);
  const per = c / groups;
  for (let i = 0; i < n; i++) {
    for (let grp = 0; grp < groups; grp++) {
      const idx: number[] = [];
      for (let p = 0; p < positions; p++) for (let k = grp * per; k < (grp + 1) * per; k++) idx.push((i * positions + p) * c + k);
      let m = 0;
      for (const j of idx) m += x[j]!;
      m /= idx.length;
      let v = 0;
      for (const j of idx) v += (x[j]! - m) ** 2;
      v /= idx.length;
      for (const j of idx) out[j] = ((x[j]! - m) / Math.sqrt(v + eps)) * gamma[j % c]! + beta[j % c]!;
    }
  }
  return out;
}

function assertClose(got: ArrayLike<number>, want: readonly number[], tol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: lengths differ`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(got[i]! - want[i]!) <= tol, `${what}: element ${i} is ${got[i]}, expected ${want[i]}`);
  }
}

test('GroupNormalization passes runLayerTest (channelsLast, and channelsFirst without center)', () => {
  runLayerTest({
    make: () => new nb.layers.GroupNormalization({ groups: 2, name: 'gn' }),
    input: nb.randn([2, 2, 3, 4], { generator: g(1) }),
    outputShape: [2, 2, 3, 4],
    trainable: { gamma: [4], beta: [4] },
  });
  runLayerTest({
    make: () => new nb.layers.GroupNormalization({ groups: 3, axis: 1, center: false, name: 'gn_first' }),
    input: nb.randn([2, 6, 3, 2], { generator: g(2) }),
    outputShape: [2, 6, 3, 2],
    trainable: { gamma: [6] },
  });
});

test('GroupNormalization matches a loop reference on [2, 2, 3, 4] with 2 groups and learned gamma/beta', () => {
  const [N, H, W, C] = [2, 2, 3, 4];
  const x = nb.randn([N, H, W, C], { generator: g(3) }).mul(3).add(1);
  const gamma = nb.tensor([0.5, -1, 2, 1.5]);
  const beta = nb.tensor([0.1, 0.2, -0.3, 0]);
  const layer = new nb.layers.GroupNormalization({ groups: 2 });
  assert.equal(layer.epsilon, 1e-3);
  layer.apply(x);
  const y = functionalCall(layer, { gamma, beta }, x);
  assert.deepEqual(y.shape, [N, H, W, C]);
  assertClose(y.data(), referenceGroupNorm(x.data(), N, H * W, C, 2, 1e-3, gamma.data(), beta.data()), 1e-5, 'groups 2');
});

test('GroupNormalization with axis=1 (channelsFirst) equals the channelsLast result transposed', () => {
  const [N, C, H, W] = [2, 6, 3, 2];
  const x = nb.randn([N, C, H, W], { generator: g(4) });
  const gamma = nb.randn([C], { generator: g(5) });
  const beta = nb.randn([C], { generator: g(6) });
  const layer = new nb.layers.GroupNormalization({ groups: 3, axis: 1 });
  layer.apply(x);
  const y = functionalCall(layer, { gamma, beta }, x);
  const last = x.permute([0, 2, 3, 1]).contiguous();
  const want = referenceGroupNorm(last.data(), N, H * W, C, 3, 1e-3, gamma.data(), beta.data());
  assertClose(y.permute([0, 2, 3, 1]).contiguous().data(), want, 1e-5, 'axis 1');
});

test('GroupNormalization on 1-D sequences, 3-D volumes and plain [N, C] matches the reference', () => {
  const cases: { shape: number[]; groups: number }[] = [
    { shape: [3, 5, 8], groups: 4 },
    { shape: [2, 2, 3, 2, 6], groups: 2 },
    { shape: [4, 6], groups: 3 },
  ];
  for (const [i, { shape, groups }] of cases.entries()) {
    const x = nb.randn(shape, { generator: g(10 + i) });
    const c = shape[shape.length - 1]!;
    const gamma = nb.randn([c], { generator: g(20 + i) });
    const beta = nb.randn([c], { generator: g(30 + i) });
    const layer = new nb.layers.GroupNormalization({ groups, epsilon: 1e-5 });
    layer.apply(x);
    const y = functionalCall(layer, { gamma, beta }, x);
    const positions = shape.slice(1, -1).reduce((a, b) => a * b, 1);
    assertClose(y.data(), referenceGroupNorm(x.data(), shape[0]!, positions, c, groups, 1e-5, gamma.data(), beta.data()), 1e-4, `shape [${shape}]`);
  }
});

test('GroupNormalization: groups=1 is layer norm over (H, W, C); groups=C (or -1) is instance norm', () => {
  const [N, H, W, C] = [2, 3, 4, 5];
  const x = nb.randn([N, H, W, C], { generator: g(40) }).mul(2).sub(1);
  const one = new nb.layers.GroupNormalization({ groups: 1, center: false, scale: false }).apply(x);
  const ln = new nb.layers.LayerNormalization({ axis: [1, 2, 3], center: false, scale: false }).apply(x);
  assertClose(one.data(), Array.from(ln.data()), 1e-5, 'groups 1 vs layer norm');
  // instance norm: each channel of each sample over its H·W positions, computed as a layer norm
  // over the last axis of the [N, C, H·W] transpose
  const perChannel = x.reshape([N, H * W, C]).permute([0, 2, 1]).contiguous();
  const inst = new nb.layers.LayerNormalization({ center: false, scale: false }).apply(perChannel).permute([0, 2, 1]).contiguous();
  const byC = new nb.layers.GroupNormalization({ groups: C, center: false, scale: false }).apply(x);
  assertClose(byC.data(), Array.from(inst.data()), 1e-5, 'groups C vs instance norm');
  const minusOne = new nb.layers.GroupNormalization({ groups: -1, center: false, scale: false }).apply(x);
  assertClose(minusOne.data(), Array.from(inst.data()), 1e-5, 'groups -1 vs instance norm');
});

test('GroupNormalization normalizes each sample independently of the rest of the batch', () => {
  const x = nb.randn([3, 4, 4, 8], { generator: g(50) });
  const layer = new nb.layers.GroupNormalization({ groups: 4 });
  const all = layer.apply(x);
  const alone = layer.apply(x.slice('1:2'));
  assertClose(alone.data(), Array.from(all.slice('1:2').contiguous().data()), 1e-6, 'sample 1');
});

test('gradcheck: GroupNormalization (input, gamma, beta) in float64, channelsLast and channelsFirst', () => {
  const cases: { shape: number[]; axis: number; groups: number }[] = [
    { shape: [2, 2, 3, 4], axis: -1, groups: 2 },
    { shape: [2, 6, 2, 2], axis: 1, groups: 3 },
  ];
  for (const [i, { shape, axis, groups }] of cases.entries()) {
    const layer = new nb.layers.GroupNormalization({ groups, axis, dtype: 'float64' });
    const c = shape.at(axis)!;
    const x = nb.randn(shape, { dtype: 'float64', generator: g(60 + i) });
    layer.apply(x);
    const gamma = nb.randn([c], { dtype: 'float64', generator: g(70 + i) });
    const beta = nb.randn([c], { dtype: 'float64', generator: g(80 + i) });
    const r = nb.testing.gradcheck((xi, gi, bi) => functionalCall(layer, { gamma: gi!, beta: bi! }, xi!), [x, gamma, beta]);
    assert.ok(r.ok, `axis ${axis}: max error ${r.maxAbsError}`);
  }
});

test('GroupNormalization rejects channels not divisible by groups, and other bad options', () => {
  assert.throws(
    () => new nb.layers.GroupNormalization({ groups: 4 }).apply(nb.randn([2, 3, 3, 30])),
    /GroupNormalization '.*': 30 channels cannot be split into 4 groups; choose groups dividing 30/,
  );
  // the Keras default of 32 groups needs at least 32 channels
  assert.throws(() => new nb.layers.GroupNormalization().apply(nb.randn([1, 2, 2, 16])), /16 channels cannot be split into 32 groups/);
  assert.throws(() => new nb.layers.GroupNormalization({ groups: 0 }), /GroupNormalization: groups must be a positive integer \(or -1 for one group per channel\), got 0/);
  assert.throws(() => new nb.layers.GroupNormalization({ groups: 2.5 }), /groups must be a positive integer/);
  assert.throws(() => new nb.layers.GroupNormalization({ epsilon: 0 }), /GroupNormalization: epsilon must be a positive number, got 0/);
  assert.throws(() => new nb.layers.GroupNormalization({ groups: 2, axis: 0 }).apply(nb.randn([4, 6])), /axis 0 is the batch axis/);
  assert.throws(() => new nb.layers.GroupNormalization({ groups: 2, axis: 3 }).apply(nb.randn([4, 6])), /axis 3 is out of range/);
  const built = new nb.layers.GroupNormalization({ groups: 2 });
  built.apply(nb.randn([1, 3, 4]));
  assert.throws(() => built.apply(nb.randn([1, 3, 6])), /was built for feature dims \[4\]/);
});

test('GroupNormalization config keeps its options', () => {
  const layer = new nb.layers.GroupNormalization({ groups: 8, axis: 1, epsilon: 1e-5, center: false, gammaRegularizer: 'l2' });
  const config = layer.getConfig();
  assert.equal(config.groups, 8);
  assert.equal(config.axis, 1);
  assert.equal(config.epsilon, 1e-5);
  assert.equal(config.center, false);
  assert.equal(config.scale, true);
  assert.notEqual(config.gammaRegularizer, null);
  assert.equal(config.betaRegularizer, null);
});
